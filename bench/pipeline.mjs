// Time to first prediction of a generated project, phase by phase, with uv and with pip: generate ->
// make install -> make all (data, train, evaluate, in one process) ->
// make serve -> first answer of POST /predict. The goal is <= 20 s with uv (warm download cache).
// Then, for the first installer: where the pipeline steps' imports go (python -X importtime), and
// in-process vs. HTTP prediction latency (bench/predict_latency.py) against its server.
// Usage: npm run build && node bench/pipeline.mjs [--installer uv|pip] [--json FILE] [other generator flags]
// Without --installer it runs uv, then pip. The download caches (UV_CACHE_DIR, PIP_CACHE_DIR) decide
// much of `make install`: run twice to see the warm figure.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { jsonOption, ms, writeFigures } from './figures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mlp-bench-pipeline-'));
const { json, rest: args } = jsonOption(process.argv.slice(2));
const chosen = args.indexOf('--installer');
const installers = chosen >= 0 ? [args[chosen + 1]] : ['uv', 'pip'];
const generatorArgs = chosen >= 0 ? args.filter((_, i) => i !== chosen && i !== chosen + 1) : args;
const GOAL_S = 20;

const seconds = (t) => `${(t / 1000).toFixed(2).padStart(7)} s`;

/**
 * CPU seconds used so far by the finished child processes (Linux: /proc/self/stat), so that a phase's
 * CPU can be told apart from waiting on a machine shared with other work; undefined elsewhere.
 */
function childCpu() {
  if (!existsSync('/proc/self/stat')) return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in ticks of 1/100 s
}
// The steps' own INFO logs are left out; their warnings and errors still show.
const quiet = { ...process.env, LOG_LEVEL: 'WARNING' };
const sh = (cmd, argv, cwd) => execFileSync(cmd, argv, { cwd, env: quiet, stdio: ['ignore', 'ignore', 'inherit'] });

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One raw row of the held-out split, without the target: what a client would send. */
function firstRow(project) {
  const code = [
    'import json, pandas as pd',
    'version = json.load(open("models/latest.json"))["version"]',
    'target = json.load(open(f"models/{version}/metadata.json"))["target"]',
    'print(pd.read_csv("data/processed/test.csv").drop(columns=[target]).head(1).to_json(orient="records"))',
  ].join('\n');
  return JSON.parse(execFileSync(join(project, '.venv/bin/python'), ['-c', code], { cwd: project }).toString());
}

/** Starts `make serve` and times it up to the first 200 answer of POST /predict. */
async function serveUntilFirstAnswer(project, url, port, instance) {
  const server = spawn('make', ['serve'], {
    cwd: project,
    env: { ...quiet, HOST: '127.0.0.1', PORT: String(port) },
    detached: true,
    stdio: 'ignore',
  });
  const start = performance.now();
  for (;;) {
    try {
      const response = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instances: instance }),
      });
      if (response.status === 200) return { server, ms: performance.now() - start };
      throw new Error(`POST /predict answered ${response.status}`);
    } catch (error) {
      if (!String(error.cause?.code ?? '').startsWith('ECONNREFUSED')) {
        stop(server);
        throw error;
      }
      if (performance.now() - start > 120_000) {
        stop(server);
        throw new Error('the server did not answer within 120 s');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function stop(server) {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already stopped
  }
}

/**
 * What the pipeline steps import, in seconds, from `python -X importtime` of the modules that
 * `make train` loads: the total, and the largest top-level packages (each including what it imports).
 */
function importProfile(project, module) {
  const code = `import ${module}.cli, ${module}.train, ${module}.evaluate`;
  const python = join(project, '.venv/bin/python');
  const { stderr } = spawnSync(python, ['-X', 'importtime', '-c', code], { cwd: project, encoding: 'utf8' });
  const packages = new Map();
  let total = 0;
  for (const line of stderr.split('\n')) {
    const match = /^import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)$/.exec(line);
    if (!match) continue;
    const [, , cumulative, indent, name] = match;
    if (indent.length === 0) total += Number(cumulative);
    const top = name.split('.')[0];
    if (!name.includes('.') || top === module) packages.set(name, Math.max(packages.get(name) ?? 0, Number(cumulative)));
  }
  const largest = [...packages].sort((a, b) => b[1] - a[1]).slice(0, 8);
  return { total: total / 1e6, largest: largest.map(([name, us]) => [name, us / 1e6]) };
}

async function run(installer) {
  const project = join(work, `bench-${installer}`);
  const module = `bench_${installer}`;
  const phases = [];
  const phase = (name, fn) => {
    const [start, cpu] = [performance.now(), childCpu()];
    fn();
    phases.push([name, performance.now() - start, cpu === undefined ? undefined : childCpu() - cpu]);
  };
  phase('generate', () =>
    sh('node', [join(root, 'dist/bin/mlpipeline.js'), project, '--yes', '--skip-install', '--skip-git', '--installer', installer, ...generatorArgs], work),
  );
  phase('make install', () => sh('make', ['install'], project));
  phase('make all', () => sh('make', ['all'], project));

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { server, ms } = await serveUntilFirstAnswer(project, url, port, firstRow(project));
  phases.push(['make serve -> first answer', ms]);

  const total = phases.reduce((sum, [, t]) => sum + t, 0);
  const cache = installer === 'uv' ? process.env.UV_CACHE_DIR ?? "uv's default" : process.env.PIP_CACHE_DIR ?? "pip's default";
  console.log(`\n${installer} (download cache: ${cache})`);
  for (const [name, t, cpu] of phases) {
    console.log(`  ${name.padEnd(28)} ${seconds(t)}${cpu === undefined ? '' : `   (CPU ${cpu.toFixed(1)} s)`}`);
  }
  console.log(`  ${'time to first prediction'.padEnd(28)} ${seconds(total)}${installer === 'uv' ? `   (goal: <= ${GOAL_S} s)` : ''}`);
  return { installer, project, module, url, server, phases, total };
}

console.log(
  `PYTHONDONTWRITEBYTECODE is ${process.env.PYTHONDONTWRITEBYTECODE ? 'set: make install compiles the bytecode' : 'unset: Python compiles on first import'}`,
);
const runs = [];
try {
  for (const installer of installers) {
    const result = await run(installer);
    runs.push(result);
    if (runs.length > 1) stop(result.server);
  }
  const first = runs[0];
  const profile = importProfile(first.project, first.module);
  console.log(`\nimports of ${first.module}.cli + train + evaluate (what make all loads): ${profile.total.toFixed(2)} s; largest:`);
  for (const [name, s] of profile.largest) console.log(`  ${name.padEnd(28)} ${s.toFixed(2).padStart(7)} s`);
  console.log('');
  const latency = JSON.parse(
    execFileSync(
      join(first.project, '.venv/bin/python'),
      [join(root, 'bench/predict_latency.py'), '--module', first.module, '--url', first.url, '--json'],
      { cwd: first.project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
  const call = latency.ms_per_call;
  const rows = latency.batch;
  console.log(`prediction latency, median per call (${first.installer} project):`);
  console.log(`  1 row:        in process ${ms(call.in_process_row)}, HTTP ${ms(call.http_row)}`);
  console.log(
    `  ${rows} rows:   in process ${ms(call.in_process_batch)} (${(call.in_process_batch / rows).toFixed(3)} ms a row), ` +
      `HTTP ${ms(call.http_batch)} (${(call.http_batch / rows).toFixed(3)} ms a row)`,
  );
  writeFigures(json, 'Time to first prediction and latency', [
    ...runs.map(({ installer, phases, total }) => ({
      what: `time to first prediction, ${installer}: ${phases.map(([name, t]) => `${name} ${(t / 1000).toFixed(1)} s`).join(', ')}`,
      ours: `${(total / 1000).toFixed(1)} s`,
      goal: installer === 'uv' ? `<= ${GOAL_S} s` : undefined,
      met: installer === 'uv' ? total / 1000 <= GOAL_S : undefined,
    })),
    { what: 'prediction latency, 1 row: HTTP (ours) vs. in process (baseline)', ours: ms(call.http_row), baseline: ms(call.in_process_row), ratio: call.http_row / call.in_process_row },
    {
      what: `prediction latency, ${rows}-row batch, a row: HTTP vs. in process`,
      ours: ms(call.http_batch / rows),
      baseline: ms(call.in_process_batch / rows),
      ratio: call.http_batch / call.in_process_batch,
    },
  ]);
} finally {
  for (const { server } of runs) stop(server);
  rmSync(work, { recursive: true, force: true });
}
