#!/usr/bin/env node
/**
 * `npm run test:all`, the whole suite, what .ci/run runs: npm test first (with the API property test
 * inside its run, beside its other files), then two lanes at once, since each leaves one of the two
 * cores idle much of the time (downloads, a JVM starting, one project's tests on one core): the other
 * suites one after another, beside the option matrix. Each line of a lane is printed as it comes,
 * after the lane's name. Every suite runs even when one fails; the exit status is the first failure's,
 * and a table of each suite's result and time ends the output.
 */
import { spawn } from 'node:child_process';

// test:pack without its build: npm test has just built dist/, which the matrix reads as it runs.
const SUITES_AFTER = ['test:pack:built', 'test:addons', 'test:spark', 'test:lifecycle'];
const results = [];

/** Runs `npm run <script>` with extra environment; its lines prefixed with `[label] ` when a label is given. */
function run(script, env = {}, label) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], {
      env: { ...process.env, ...env },
      stdio: label ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (label) {
      for (const stream of [child.stdout, child.stderr]) {
        let rest = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop();
          for (const line of lines) process.stdout.write(`[${label}] ${line}\n`);
        });
        stream.on('end', () => rest && process.stdout.write(`[${label}] ${rest}\n`));
      }
    }
    const done = (status) => {
      results.push({ script, status, seconds: (Date.now() - started) / 1000 });
      resolve(status);
    };
    child.on('error', (error) => {
      process.stderr.write(`test:all: could not start npm run ${script}: ${error.message}\n`);
      done(1);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

const started = Date.now();
await run('test', { MLP_TEST_SCHEMATHESIS: '1' });
const lane = async () => {
  for (const script of SUITES_AFTER) await run(script, {}, script.replace(/^test:|:built$/g, ''));
};
await Promise.all([lane(), run('test:matrix', { MLP_MATRIX_STRICT: '1' }, 'matrix')]);

const failed = results.find((result) => result.status !== 0);
process.stdout.write(
  [
    '',
    `test:all: ${results.length} suites in ${((Date.now() - started) / 60_000).toFixed(1)} min` +
      ` (after npm test, ${SUITES_AFTER.join(', ')} ran one after another beside test:matrix)`,
    ...results.map((r) => `  ${(r.status === 0 ? 'passed' : `FAILED (exit ${r.status})`).padEnd(15)}  ${(r.seconds / 60).toFixed(1).padStart(5)} min  ${r.script}`),
    '',
  ].join('\n'),
);
process.exit(failed ? failed.status : 0);
