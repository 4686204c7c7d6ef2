// Time to first prediction of a generated project, phase by phase: generate -> make install ->
// make all (data, train, and the gate that promotes the model) -> make serve -> first answer of
// POST /predict. Then in-process vs. HTTP prediction latency (bench/predict_latency.py) against
// that server.
// Usage: npm run build && node bench/pipeline.mjs [extra generator flags, e.g. --task regression]
// The pip cache decides most of `make install`: run twice to see the warm figure.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mlp-bench-pipeline-'));
const project = join(work, 'bench-project');
const phases = [];

function phase(name, run) {
  const start = performance.now();
  const result = run();
  phases.push([name, performance.now() - start]);
  return result;
}

const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const url = `http://127.0.0.1:${port}`;

phase('generate', () =>
  sh('node', [join(root, 'dist/bin/mlpipeline.js'), project, '--yes', '--skip-install', '--skip-git', ...process.argv.slice(2)], work),
);
phase('make install', () => sh('make', ['install'], project));
phase('make all', () => sh('make', ['all'], project));

// One raw row of the held-out split, without the target: what a client would send.
const firstRow = [
  'import json, pandas as pd',
  'version = json.load(open("models/latest.json"))["version"]',
  'target = json.load(open(f"models/{version}/metadata.json"))["target"]',
  'print(pd.read_csv("data/processed/test.csv").drop(columns=[target]).head(1).to_json(orient="records"))',
].join('\n');
const instance = JSON.parse(execFileSync(join(project, '.venv/bin/python'), ['-c', firstRow], { cwd: project }).toString());

const server = spawn('make', ['serve'], {
  cwd: project,
  env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'WARNING' },
  detached: true,
  stdio: 'ignore',
});
try {
  const start = performance.now();
  for (;;) {
    try {
      const response = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instances: instance }),
      });
      if (response.status === 200) break;
      throw new Error(`POST /predict answered ${response.status}`);
    } catch (error) {
      if (!String(error.cause?.code ?? '').startsWith('ECONNREFUSED')) throw error;
      if (performance.now() - start > 120_000) throw new Error('the server did not answer within 120 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  phases.push(['make serve -> first answer', performance.now() - start]);

  const total = phases.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`pip cache: ${process.env.PIP_CACHE_DIR ?? 'pip default (~/.cache/pip)'}`);
  for (const [name, ms] of phases) console.log(`${name.padEnd(28)} ${(ms / 1000).toFixed(2).padStart(7)} s`);
  console.log(`${'time to first prediction'.padEnd(28)} ${(total / 1000).toFixed(2).padStart(7)} s\n`);

  execFileSync(
    join(project, '.venv/bin/python'),
    [join(root, 'bench/predict_latency.py'), '--module', 'bench_project', '--url', url],
    { cwd: project, stdio: 'inherit' },
  );
} finally {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already stopped
  }
  rmSync(work, { recursive: true, force: true });
}
