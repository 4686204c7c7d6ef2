// Serving under load: the generated API against the naive endpoint a user would write first, around the
// same artifact. It generates and trains the default project (iris, random forest of 200 trees), starts
// its API (`<module> serve`) and, beside it, a naive FastAPI endpoint (`async def`, one request -> one
// DataFrame -> predict_proba) run with the project's own Python, then drives both with hey: one-row
// requests over 16 connections, the two alternated round after round so that machine noise hits both
// alike. It prints requests/s, p50, p99 and errors of each, then the ratios; then the resident memory of
// the API before and after a 60 s load (VmRSS in /proc/PID/status), and the latency of single requests
// sent one after another (no concurrency) against the same API with batching off (the unbatched path).
// Targets: >= 5x the naive requests/s; our p99 below the naive p50; no errors; memory +< 10 %; single
// requests <= 1.1x the unbatched latency. The API with its prediction log (config monitor.prediction_log,
// on by default) is also run against the same API with the log off, in pairs of runs one right after the
// other (the order swapped every pair): the log must cost at most 5 % of the requests/s (the median of
// the pairs' ratios); the CPU time the server spends per answered request (/proc/PID/stat), which a busy
// machine sways less than requests/s, is shown beside it. Every API copy writes its log under the
// temporary folder, never into the project's own logs/.
//
// Usage: npm run build && node bench/serve.mjs [--quick] [--json FILE] [--project DIR] [--keep]
//   --quick        one short round of each measurement (a quick check, not a figure to quote)
//   --json FILE    also write the figures to FILE, for `npm run bench` (bench/report.mjs)
//   --project DIR  use this trained project (default layout, `make all` done) instead of generating one
//   --keep         keep the temporary folder (the generated project, server logs)
// hey is looked up on PATH, then in $(go env GOPATH)/bin; with Go but without hey, it is installed with
// `go install github.com/rakyll/hey@latest`.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ms, writeFigures } from './figures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const quick = flag('--quick');
const jsonPath = option('--json');
const given = option('--project');
const CONNECTIONS = 16;
const plan = quick
  ? { rounds: 1, seconds: 5, warmup: 2, pairs: 100, memorySeconds: 15, logPairs: 2, logSeconds: 3 }
  : { rounds: 3, seconds: 10, warmup: 3, pairs: 400, memorySeconds: 60, logPairs: 10, logSeconds: 5 };
const TARGETS = { throughput: 5, p99UnderNaiveP50: true, errors: 0, memoryGrowthPct: 10, singleRatio: 1.1, logRatio: 0.95 };

const work = mkdtempSync(join(tmpdir(), 'mlp-bench-serve-'));
const servers = [];
const log = (line) => console.log(line);

/** hey on PATH, else in Go's bin folder; installed with Go when missing, else an error saying how. */
function findHey() {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'hey');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  const go = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
  const howTo = 'install Go (https://go.dev/dl/), then: go install github.com/rakyll/hey@latest (it goes to $(go env GOPATH)/bin), or put hey on PATH';
  if (go.status !== 0) throw new Error(`hey not found on PATH and Go is not installed: ${howTo}`);
  const installed = join(go.stdout.trim().split(delimiter)[0], 'bin', 'hey');
  if (!existsSync(installed)) {
    log('hey not found: installing it with `go install github.com/rakyll/hey@latest`');
    const done = spawnSync('go', ['install', 'github.com/rakyll/hey@latest'], { stdio: 'inherit' });
    if (done.status !== 0 || !existsSync(installed)) throw new Error(`could not install hey: ${howTo}`);
  }
  return installed;
}

function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** The default project, generated, installed (make install) and trained (make all); or --project. */
function trainedProject() {
  if (given) {
    const project = resolve(given);
    if (!existsSync(join(project, 'models/latest.json'))) throw new Error(`${project} has no promoted model: run make all there`);
    return project;
  }
  const project = join(work, 'bench-serve');
  log('generating, installing and training the default project (iris, random forest of 200 trees) ...');
  const quiet = { ...process.env, LOG_LEVEL: 'WARNING' };
  execFileSync('node', [join(root, 'dist/bin/mlpipeline.js'), project, '--yes', '--skip-git'], { cwd: work, env: quiet, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('make', ['all'], { cwd: project, env: quiet, stdio: ['ignore', 'ignore', 'inherit'] });
  return project;
}

/** The naive endpoint a user would write first, around the same artifact. */
const NAIVE = `import json
from pathlib import Path

import joblib
import pandas as pd
from fastapi import FastAPI, Request

models = Path("models")
version = json.loads((models / "latest.json").read_text())["version"]
pipeline = joblib.load(models / version / "model.joblib")
app = FastAPI()


@app.post("/predict")
async def predict(request: Request):
    frame = pd.DataFrame((await request.json())["instances"])
    if hasattr(pipeline, "predict_proba"):
        probabilities = pipeline.predict_proba(frame)
        predictions = pipeline.classes_[probabilities.argmax(axis=1)]
        return {"predictions": predictions.tolist(), "probabilities": probabilities.tolist()}
    return {"predictions": pipeline.predict(frame).tolist()}
`;

/** Python run with the project's interpreter, from the project folder; returns its stdout. */
function python(project, code, ...argv) {
  return execFileSync(join(project, '.venv/bin/python'), ['-c', code, ...argv], { cwd: project, encoding: 'utf8' });
}

/** The project's module, a one-row request body (a held-out row), and a config with batching off. */
function prepare(project) {
  const code = `
import json, sys, yaml, pandas as pd
from pathlib import Path
project = Path.cwd()
module = next(p.parent.name for p in (project / "src").glob("*/serve.py"))
version = json.loads((project / "models/latest.json").read_text())["version"]
target = json.loads((project / "models" / version / "metadata.json").read_text())["target"]
row = pd.read_csv(project / "data/processed/test.csv").drop(columns=[target]).head(1)
Path(sys.argv[1]).write_text(json.dumps({"instances": json.loads(row.to_json(orient="records"))}))
original = (project / "config/config.yaml").read_text(encoding="utf-8")
for target, batching, logged in ((sys.argv[2], False, True), (sys.argv[3], True, True), (sys.argv[4], True, False)):
    settings = yaml.safe_load(original)
    paths = settings.setdefault("paths", {})
    paths["models_dir"] = str((project / paths.get("models_dir", "models")).resolve())
    settings.setdefault("serve", {}).setdefault("batching", {})["enabled"] = batching
    log = settings.setdefault("monitor", {}).setdefault("prediction_log", {})
    log.update(enabled=logged, path="logs/predictions.jsonl")  # under the config's own folder
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(yaml.safe_dump(settings), encoding="utf-8")
print(module)
`;
  const body = join(work, 'one-row.json');
  const [unbatched, logged, unlogged] = ['unbatched', 'logged', 'unlogged'].map((name) => join(work, name, 'config', 'config.yaml'));
  const module = python(project, code, body, unbatched, logged, unlogged).trim();
  writeFileSync(join(work, 'naive.py'), NAIVE);
  return { module, body, unbatched, logged, unlogged };
}

/** Starts a server (its own process group) and waits until `path` answers 200 or 405. */
async function start(name, project, command, argv, env, probe) {
  const port = await freePort();
  const logFile = join(work, `${name}.log`);
  const out = openSync(logFile, 'w');
  const child = spawn(command, [...argv(port)], {
    cwd: project,
    env: { ...process.env, LOG_LEVEL: 'WARNING', ...env },
    detached: true,
    stdio: ['ignore', out, out],
  });
  const server = { name, url: `http://127.0.0.1:${port}`, pid: child.pid, child, logFile };
  servers.push(server);
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} stopped (exit ${child.exitCode}):\n${readFileSync(logFile, 'utf8')}`);
    try {
      const response = await fetch(`${server.url}${probe}`);
      if (response.status === 200 || response.status === 405) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not answer within 180 s:\n${readFileSync(logFile, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopAll() {
  for (const { child } of servers) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already stopped
    }
  }
}

/** One hey run: requests/s, p50 and p99 in ms, errors (non-200 answers and failed requests). */
function hey(heyPath, url, body, connections, seconds) {
  const run = spawnSync(
    heyPath,
    ['-z', `${seconds}s`, '-c', String(connections), '-m', 'POST', '-T', 'application/json', '-D', body, `${url}/predict`],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.status !== 0) throw new Error(`hey failed (exit ${run.status}): ${run.stderr}`);
  const text = run.stdout;
  const number = (pattern) => Number(pattern.exec(text)?.[1] ?? NaN);
  let ok = 0;
  let errors = 0;
  for (const [, status, count] of text.matchAll(/\[(\d+)\]\s+(\d+) responses/g)) {
    if (status === '200') ok += Number(count);
    else errors += Number(count);
  }
  const errorSection = text.split('Error distribution:')[1] ?? '';
  for (const [, count] of errorSection.matchAll(/^\s*\[(\d+)\]/gm)) errors += Number(count);
  return {
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: number(/50%+ in ([\d.]+) secs/) * 1000,
    p99: number(/99%+ in ([\d.]+) secs/) * 1000,
    ok,
    errors,
  };
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The medians over rounds of each figure, and the sums of answers and errors. */
function summary(runs) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    ok: runs.reduce((sum, r) => sum + r.ok, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

/** Alternates `servers` (A B A B ...) for `rounds` rounds of one hey run each. */
function alternate(heyPath, targets, body, connections, seconds, rounds) {
  const runs = new Map(targets.map((s) => [s.name, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const server of targets) {
      const result = hey(heyPath, server.url, body, connections, seconds);
      runs.get(server.name).push(result);
      log(`  round ${round} ${server.name.padEnd(6)} ${fmt(result.rps).padStart(8)} req/s  p50 ${fmt(result.p50).padStart(7)} ms  p99 ${fmt(result.p99).padStart(7)} ms  errors ${result.errors}`);
    }
  }
  return Object.fromEntries([...runs].map(([name, list]) => [name, summary(list)]));
}

/**
 * Latency of single requests with no concurrency: one request at a time, to each server in turn (the
 * order swapped every pair), so that both see the same moments of a busy machine. Median in ms.
 */
async function singleRequests(targets, body, pairs) {
  const times = new Map(targets.map((s) => [s.name, []]));
  let errors = 0;
  const once = async (server, counted = true) => {
    const start = performance.now();
    try {
      const response = await fetch(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.arrayBuffer();
      times.get(server.name).push(performance.now() - start);
      if (response.status !== 200) errors += 1;
    } catch (error) {
      // Warming up, a keep-alive connection left idle since the start (the server closes those after
      // 5 s) may be closed as it is reused: not an answer of the server. Measured, it is an error.
      if (!counted) return;
      errors += 1;
      log(`  ${server.name}: request failed: ${error.cause?.message ?? error.message}`);
    }
  };
  // Warm-up, connections opened again: its dropped connections (above) are not counted.
  for (const server of targets) for (let i = 0; i < 5; i++) await once(server, false);
  for (const list of times.values()) list.length = 0;
  for (let i = 0; i < pairs; i++) {
    for (const server of i % 2 ? [...targets].reverse() : targets) await once(server);
  }
  return { ...Object.fromEntries([...times].map(([name, list]) => [name, median(list)])), errors };
}

/** CPU seconds a process has used so far: user + system time in /proc/PID/stat. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/**
 * The prediction log's cost: pairs of hey runs of the API with the log on and with it off, one right
 * after the other, the order swapped every pair, so that both runs of a pair see nearly the same
 * machine. Per pair, the ratio (on / off) of the requests/s and of the server's CPU time per answered
 * request; the figures are the medians of these ratios, which one slow moment of the machine moves
 * less than a ratio of two medians taken rounds apart.
 */
function logPairs(heyPath, on, off, body, seconds, pairs) {
  const runs = { on: [], off: [] };
  const ratios = { rps: [], cpu: [] };
  for (let pair = 1; pair <= pairs; pair++) {
    const got = {};
    for (const [name, server] of pair % 2 ? [['on', on], ['off', off]] : [['off', off], ['on', on]]) {
      const before = cpuSeconds(server.pid);
      const result = hey(heyPath, server.url, body, CONNECTIONS, seconds);
      result.cpuMs = ((cpuSeconds(server.pid) - before) * 1000) / Math.max(1, result.ok + result.errors);
      runs[name].push(result);
      got[name] = result;
    }
    ratios.rps.push(got.on.rps / got.off.rps);
    ratios.cpu.push(got.on.cpuMs / got.off.cpuMs);
    log(
      `  pair ${String(pair).padStart(2)}  on ${fmt(got.on.rps).padStart(7)} req/s ${fmt(got.on.cpuMs, 2)} ms CPU/request` +
        `  off ${fmt(got.off.rps).padStart(7)} req/s ${fmt(got.off.cpuMs, 2)} ms CPU/request` +
        `  ratios ${fmt(ratios.rps.at(-1), 3)} ${fmt(ratios.cpu.at(-1), 3)}  errors ${got.on.errors + got.off.errors}  load ${fmt(loadavg()[0], 2)}`,
    );
  }
  return { on: summary(runs.on), off: summary(runs.off), rpsRatio: median(ratios.rps), cpuRatio: median(ratios.cpu), ratios };
}

/** Resident memory of a process in MiB (Linux: VmRSS in /proc/PID/status). */
function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

async function main() {
  if (!existsSync('/proc/self/status')) throw new Error('this bench reads /proc/PID/status for memory: run it on Linux');
  const heyPath = findHey();
  const project = trainedProject();
  const { module, body, unbatched, logged, unlogged } = prepare(project);
  const cli = join(project, '.venv/bin', module);
  const serveArgs = (port) => ['serve', '--host', '127.0.0.1', '--port', String(port)];
  log(`starting the API (${module} serve), the naive endpoint, the API with batching off and the API with its prediction log off ...`);
  const ours = await start('ours', project, cli, (port) => ['--config', logged, ...serveArgs(port)], {}, '/health');
  const naive = await start(
    'naive',
    project,
    join(project, '.venv/bin/python'),
    (port) => ['-m', 'uvicorn', 'naive:app', '--app-dir', work, '--host', '127.0.0.1', '--port', String(port)],
    {},
    '/predict',
  );
  const off = await start('unbatched', project, cli, (port) => ['--config', unbatched, ...serveArgs(port)], {}, '/health');
  const nolog = await start('no-log', project, cli, (port) => ['--config', unlogged, ...serveArgs(port)], {}, '/health');
  const rssAtStart = rssMiB(ours.pid);

  log(`warming up (${plan.warmup} s each) ...`);
  for (const server of [naive, ours, off, nolog]) hey(heyPath, server.url, body, CONNECTIONS, plan.warmup);

  log(`\nload: one-row requests, ${CONNECTIONS} connections, ${plan.rounds} round(s) of ${plan.seconds} s each, naive and ours alternated`);
  const load = alternate(heyPath, [naive, ours], body, CONNECTIONS, plan.seconds, plan.rounds);

  log(`\nprediction log: ${plan.logPairs} pair(s) of ${plan.logSeconds} s runs, the API with the log on and off, the order swapped every pair`);
  const logCost = logPairs(heyPath, ours, nolog, body, plan.logSeconds, plan.logPairs);

  log(`\nsingle requests, one at a time: ${plan.pairs} to each, batching on and off taking turns request by request`);
  const single = await singleRequests([off, ours], readFileSync(body, 'utf8'), plan.pairs);

  log(`\nmemory: ${plan.memorySeconds} s of load on the API ...`);
  const rssBefore = rssMiB(ours.pid);
  const memoryRun = hey(heyPath, ours.url, body, CONNECTIONS, plan.memorySeconds);
  const rssAfter = rssMiB(ours.pid);

  const figures = {
    machine: { cpus: cpus().length, loadavg: loadavg().map((x) => Number(x.toFixed(2))) },
    plan: { ...plan, connections: CONNECTIONS, quick },
    naive: load.naive,
    ours: load.ours,
    ratios: {
      throughput: load.ours.rps / load.naive.rps,
      oursP99OverNaiveP50: load.ours.p99 / load.naive.p50,
      oursP50OverNaiveP50: load.ours.p50 / load.naive.p50,
      logOnOverOff: logCost.rpsRatio,
      logCpuPerRequestOnOverOff: logCost.cpuRatio,
    },
    logged: logCost.on,
    unlogged: logCost.off,
    logPairRatios: logCost.ratios,
    memory: {
      atStartMiB: rssAtStart,
      beforeMiB: rssBefore,
      afterMiB: rssAfter,
      growthPct: ((rssAfter - rssBefore) / rssBefore) * 100,
      seconds: plan.memorySeconds,
      requests: memoryRun.ok,
      errors: memoryRun.errors,
    },
    single: { pairs: plan.pairs, unbatchedP50: single.unbatched, oursP50: single.ours, ratio: single.ours / single.unbatched, errors: single.errors },
  };
  const errors = load.naive.errors + load.ours.errors + logCost.on.errors + logCost.off.errors + memoryRun.errors + figures.single.errors;
  const checks = {
    [`>= ${TARGETS.throughput}x the naive requests/s`]: figures.ratios.throughput >= TARGETS.throughput,
    'our p99 below the naive p50': load.ours.p99 < load.naive.p50,
    'no errors (ours, naive, log on and off, memory and single runs)': errors === TARGETS.errors,
    [`memory grows < ${TARGETS.memoryGrowthPct} % over the load`]: figures.memory.growthPct < TARGETS.memoryGrowthPct,
    [`single requests <= ${TARGETS.singleRatio}x the unbatched latency`]: figures.single.ratio <= TARGETS.singleRatio,
    [`prediction log on >= ${TARGETS.logRatio}x the requests/s with it off`]: figures.ratios.logOnOverOff >= TARGETS.logRatio,
  };
  figures.targets = checks;

  log('\n| endpoint | requests/s | p50 ms | p99 ms | errors |');
  log('| --- | ---: | ---: | ---: | ---: |');
  const rows = [
    ['naive (async def, DataFrame, predict_proba)', load.naive],
    ['generated API', load.ours],
    ['generated API, prediction log on (pairs)', logCost.on],
    ['generated API, prediction log off (pairs)', logCost.off],
  ];
  for (const [name, s] of rows) {
    log(`| ${name} | ${fmt(s.rps)} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${s.errors} |`);
  }
  log(`\nthroughput: ${fmt(figures.ratios.throughput, 2)}x the naive endpoint; our p99 / naive p50: ${fmt(figures.ratios.oursP99OverNaiveP50, 2)}`);
  log(`memory (VmRSS): ${fmt(rssAtStart)} MiB at start, ${fmt(rssBefore)} MiB before and ${fmt(rssAfter)} MiB after ${plan.memorySeconds} s of load (${memoryRun.ok} requests): ${fmt(figures.memory.growthPct, 2)} %`);
  log(
    `prediction log: ${fmt(logCost.rpsRatio, 3)}x the requests/s with it off, ${fmt(logCost.cpuRatio, 3)}x the CPU time per request (medians of ${plan.logPairs} pairs; p50 ${fmt(logCost.on.p50, 2)} vs ${fmt(logCost.off.p50, 2)} ms)`,
  );
  log(`single requests: p50 ${fmt(single.ours, 2)} ms with batching vs ${fmt(single.unbatched, 2)} ms without: ${fmt(figures.single.ratio, 3)}x`);
  log(`machine: ${figures.machine.cpus} CPUs, load average ${figures.machine.loadavg.join(' ')} (other work on the machine makes the figures noisy; the ratios come from alternated runs)`);
  log('\ntargets:');
  for (const [name, met] of Object.entries(checks)) log(`  ${met ? 'met    ' : 'MISSED '} ${name}`);
  const [naiveRow, oursRow] = [load.naive, load.ours].map((s) => `${fmt(s.rps)} req/s, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, ${s.errors} errors`);
  writeFigures(jsonPath && resolve(jsonPath), 'Serving', [
    {
      what: `one-row requests, ${CONNECTIONS} connections: requests/s, ours vs. a naive endpoint around the same artifact`,
      ours: oursRow,
      baseline: naiveRow,
      ratio: figures.ratios.throughput,
      goal: `>= ${TARGETS.throughput}x, no errors`,
      met: checks[`>= ${TARGETS.throughput}x the naive requests/s`] && errors === 0,
    },
    {
      what: 'our p99 against the naive p50',
      ours: ms(load.ours.p99),
      baseline: ms(load.naive.p50),
      ratio: figures.ratios.oursP99OverNaiveP50,
      goal: '< 1x',
      met: checks['our p99 below the naive p50'],
    },
    {
      what: `resident memory of the API over ${plan.memorySeconds} s of load (${memoryRun.ok} requests)`,
      ours: `${fmt(rssAfter)} MiB`,
      baseline: `${fmt(rssBefore)} MiB`,
      ratio: rssAfter / rssBefore,
      goal: `< ${1 + TARGETS.memoryGrowthPct / 100}x`,
      met: checks[`memory grows < ${TARGETS.memoryGrowthPct} % over the load`],
    },
    {
      what: `one-row requests, ${CONNECTIONS} connections: requests/s with the prediction log on vs. off (median of ${plan.logPairs} pairs' ratios; CPU time per request ${fmt(logCost.cpuRatio, 3)}x)`,
      ours: `${fmt(logCost.on.rps)} req/s`,
      baseline: `${fmt(logCost.off.rps)} req/s`,
      ratio: figures.ratios.logOnOverOff,
      goal: `>= ${TARGETS.logRatio}x`,
      met: checks[`prediction log on >= ${TARGETS.logRatio}x the requests/s with it off`],
    },
    {
      what: 'single requests, one at a time: p50 with micro-batching vs. without',
      ours: ms(single.ours),
      baseline: ms(single.unbatched),
      ratio: figures.single.ratio,
      goal: `<= ${TARGETS.singleRatio}x`,
      met: checks[`single requests <= ${TARGETS.singleRatio}x the unbatched latency`],
    },
  ]);
  process.exitCode = Object.values(checks).every(Boolean) ? 0 : 1;
}

process.on('SIGINT', () => {
  stopAll();
  if (!flag('--keep')) rmSync(work, { recursive: true, force: true });
  process.exit(130);
});
try {
  await main();
} catch (error) {
  console.error(`bench/serve.mjs: ${error.message}`);
  process.exitCode = 2;
} finally {
  stopAll();
  if (flag('--keep')) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
