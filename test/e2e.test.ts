/**
 * End to end, as a user: generate with the real CLI, then in the generated project `make install`,
 * `make lint`, `make test`, `make all`, `make predict`, and `make serve` answering HTTP. One pip cache is
 * shared by all presets (PIP_CACHE_DIR, set by .ci/run, or the user's default cache).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, tempDir, writeMixedCsv } from './helpers.js';

const MINUTES = 60_000;

interface Preset {
  args: string[];
  target: string;
  task: 'classification' | 'regression';
}

const csvDir = tempDir('mlp-e2e-data-');
writeMixedCsv(join(csvDir, 'customers.csv'));

const PRESETS: Record<string, Preset> = {
  default: { args: [], target: 'target', task: 'classification' },
  regression: { args: ['--task', 'regression', '--model', 'linear'], target: 'target', task: 'regression' },
  csv: {
    args: ['--dataset', 'csv', '--data-path', join(csvDir, 'customers.csv'), '--target', 'churned', '--model', 'hist_gradient_boosting'],
    target: 'churned',
    task: 'classification',
  },
};

async function make(project: string, ...targets: string[]) {
  const result = await execa('make', targets, { cwd: project, reject: false, all: true, stdin: 'ignore' });
  if (result.exitCode !== 0) throw new Error(`make ${targets.join(' ')} failed (exit ${result.exitCode}):\n${result.all}`);
  return result.all ?? '';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The first rows of the processed test split without the target, as JSON records (NaN -> null). */
function sampleInstances(project: string, target: string, rows = 3): Array<Record<string, unknown>> {
  const code =
    'import sys, pandas as pd\n' +
    'df = pd.read_csv("data/processed/test.csv").head(int(sys.argv[2]))\n' +
    'print(df.drop(columns=[sys.argv[1]]).to_json(orient="records"))';
  const out = execFileSync(join(project, '.venv/bin/python'), ['-c', code, target, String(rows)], { cwd: project });
  return JSON.parse(out.toString());
}

let server: ChildProcess | undefined;
afterEach(() => {
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  server = undefined;
});

async function waitForHealth(url: string, log: () => string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return (await response.json()) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    if (server?.exitCode !== null && server?.exitCode !== undefined) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become healthy:\n${log()}`);
}

/**
 * Property-based API tests: schemathesis (pinned, from PyPI, installed once by `uvx` into uv's shared
 * cache, or else into a venv in the temp folder keyed by version) generates at least 1,000 requests,
 * valid and invalid, from the served OpenAPI document and runs every check: no 5xx, only documented
 * statuses, content types and bodies, invalid data rejected, valid data accepted.
 */
async function runSchemathesis(url: string): Promise<void> {
  const version = '4.32.5';
  const cases = 1000;
  const work = tempDir('mlp-schemathesis-');
  const report = join(work, 'report.json');
  let command = 'uvx';
  let prefix = ['--from', `schemathesis==${version}`, 'st'];
  if ((await execa('uvx', ['--version'], { reject: false })).exitCode !== 0) {
    const venv = join(tmpdir(), `mlp-schemathesis-${version}`);
    command = join(venv, 'bin', 'st');
    prefix = [];
    if (!existsSync(command)) {
      await execa('python3', ['-m', 'venv', venv]);
      await execa(join(venv, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${version}`]);
    }
  }
  const args = [...prefix, 'run', `${url}/openapi.json`, '--checks', 'all', '--max-examples', String(cases)];
  args.push('--no-color', '--report', 'json', '--report-json-path', report);
  // cwd: schemathesis keeps its example database in the working folder.
  const run = await execa(command, args, { cwd: work, reject: false, all: true, stdin: 'ignore', timeout: 15 * MINUTES });
  expect(existsSync(report), `schemathesis wrote no report (exit ${run.exitCode}):\n${run.all}`).toBe(true);
  const result = JSON.parse(readFileSync(report, 'utf8')) as {
    test_cases: { generated: number };
    failures: unknown[];
    errors: unknown[];
  };
  expect(result.failures.length + result.errors.length, run.all).toBe(0);
  expect(run.exitCode, run.all).toBe(0);
  expect(result.test_cases.generated).toBeGreaterThanOrEqual(cases);
  console.log(`schemathesis ${version} --checks all: ${result.test_cases.generated} cases, 0 failures (${url})`);
}

describe.each(Object.entries(PRESETS))('generated project: %s', (name, preset) => {
  it(
    'installs, lints, tests, trains, predicts and serves',
    async () => {
      const cwd = tempDir('mlp-e2e-');
      const generated = await execa('node', [BIN, name, '--yes', '--skip-install', '--skip-git', ...preset.args], {
        cwd,
        stdin: 'ignore',
        reject: false,
      });
      expect(generated.exitCode, generated.stderr).toBe(0);
      const project = join(cwd, name);

      await make(project, 'install');
      await make(project, 'lint');
      const tests = await make(project, 'test');
      expect(tests).toMatch(/\d+ passed/);
      expect(tests).not.toMatch(/\d+ failed/);
      await make(project, 'all');
      expect(existsSync(join(project, 'reports/metrics.json'))).toBe(true);

      // Batch prediction on a file of raw rows without the target.
      const instances = sampleInstances(project, preset.target, 5);
      const header = Object.keys(instances[0]!);
      const csv = [header.join(','), ...instances.map((r) => header.map((h) => (r[h] === null ? '' : String(r[h]))).join(','))];
      writeFileSync(join(project, 'new.csv'), `${csv.join('\n')}\n`);
      await make(project, 'predict', 'INPUT=new.csv', 'OUTPUT=predictions.csv');
      const predictions = readFileSync(join(project, 'predictions.csv'), 'utf8').trim().split('\n');
      expect(predictions).toHaveLength(6);

      // The API, started as a user starts it.
      const port = await freePort();
      let log = '';
      server = spawn('make', ['serve'], {
        cwd: project,
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout?.on('data', (d) => (log += d));
      server.stderr?.on('data', (d) => (log += d));
      const url = `http://127.0.0.1:${port}`;
      const health = await waitForHealth(url, () => log);
      expect(JSON.stringify(health)).toMatch(/version/);

      const post = (body: unknown) =>
        fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const good = await post({ instances: instances.slice(0, 3) });
      const answer = (await good.json()) as Record<string, unknown[]>;
      expect(good.status, JSON.stringify(answer)).toBe(200);
      expect(answer.predictions).toHaveLength(3);
      expect(typeof answer.model_version).toBe('string');
      if (preset.task === 'classification') expect(answer.probabilities).toHaveLength(3);
      else for (const p of answer.predictions ?? []) expect(typeof p).toBe('number');

      // The README's curl example works as printed.
      const readme = readFileSync(join(project, 'README.md'), 'utf8');
      const example = /-d '((?:[^']|'\\'')*)'/.exec(readme)?.[1]?.replaceAll("'\\''", "'");
      expect(example, 'README curl example').toBeDefined();
      const fromReadme = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: example,
      });
      expect(fromReadme.status, await fromReadme.clone().text()).toBe(200);

      // Bad input: a column the model needs is missing, or a number is not a number -> 422 naming it.
      const metadata = (await (await fetch(`${url}/metadata`)).json()) as Record<string, unknown>;
      const schema = (metadata.input_schema ?? metadata.schema) as Array<{ name: string; kind: string }>;
      expect(schema.length).toBeGreaterThan(0);
      const needed = schema[0]!.name;
      const missing = { ...instances[0] };
      delete missing[needed];
      const bad = await post({ instances: [missing] });
      expect(bad.status).toBe(422);
      expect(await bad.text()).toContain(needed);
      const numeric = schema.find((column) => column.kind === 'numeric');
      if (numeric) {
        const wrong = await post({ instances: [{ ...instances[0], [numeric.name]: 'not a number' }] });
        expect(wrong.status).toBe(422);
        expect(await wrong.text()).toContain(numeric.name);
      }

      await runSchemathesis(url);
    },
    20 * MINUTES,
  );
});
