#!/usr/bin/env node
/**
 * `npm run test:all`, the whole suite, what .ci/run runs: npm test first (with the API property test
 * inside its run, beside its other files), then two lanes at once, since each leaves one of the two
 * cores idle much of the time (downloads, a JVM starting, one project's tests on one core): the other
 * suites one after another, beside the option matrix. Each line of a lane is printed as it comes,
 * after the lane's name. Every suite runs even when one fails; the exit status is the first failure's,
 * and a table of each suite's result and time ends the output, followed by what each failed suite said
 * of its failures (a CI log is often read from its end only).
 */
import { spawn } from 'node:child_process';

// test:pack without its build: npm test has just built dist/, which the matrix reads as it runs.
const SUITES_AFTER = ['test:pack:built', 'test:addons', 'test:spark', 'test:lifecycle'];
const results = [];

/**
 * Lines that say what failed: vitest's FAIL and × lines, pytest's FAILED lines, an error's first line
 * and where it was thrown, the matrix's "matrix-NN: FAILED: step" and "matrix-NN failed at step"
 * lines, a cleanup warning.
 */
const FAILURE = /^(FAIL(ED)?\b|×|\w*Error\b|❯ \S+\.test\.ts:\d+|matrix-\d+(: FAILED| failed at))|could not remove/;
const ANSI = /\x1b\[[0-9;]*m/g;
/** The failure lines kept of each suite, at most this many: the last ones (vitest's summary ends a run). */
const KEPT = 40;

/**
 * Runs `npm run <script>` with extra environment; its lines are printed as they come, prefixed with
 * `[label] ` when a label is given, and those that say what failed are kept for the end.
 */
function run(script, env = {}, label) {
  const started = Date.now();
  const failures = [];
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const say = (line) => {
      process.stdout.write(label ? `[${label}] ${line}\n` : `${line}\n`);
      const plain = line.replace(ANSI, '').trim();
      if (!FAILURE.test(plain) || failures.includes(plain)) return;
      failures.push(plain);
      if (failures.length > KEPT) failures.shift();
    };
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        lines.forEach(say);
      });
      stream.on('end', () => rest && say(rest));
    }
    const done = (status) => {
      results.push({ script, status, seconds: (Date.now() - started) / 1000, failures });
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
    ...results
      .filter((r) => r.status !== 0)
      .flatMap((r) => [`what ${r.script} said of its failures (its last ${KEPT} such lines at most):`, ...r.failures.map((line) => `  ${line}`)]),
    '',
  ].join('\n'),
);
process.exit(failed ? failed.status : 0);
