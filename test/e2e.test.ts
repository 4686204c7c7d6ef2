/**
 * End to end, as a user: generate with the real CLI, then in the generated project `make install`
 * (twice: the second one does nothing), `make lint`, `make test`, `make all`, `make predict`, and
 * `make serve` answering HTTP. Presets run two at a time (the projects' steps are processes, so
 * concurrent tests use both cores); one download cache is shared by all (UV_CACHE_DIR and
 * PIP_CACHE_DIR, set by .ci/run, or the user's default caches).
 */
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { PYTHON_VERSIONS } from '../lib/questions.js';
import { checkCatalogs, checkDependencyNames, checkSparkTests } from './e2e-checks.js';
import { checkInstall, pythonExecutable, make, sampleInstances, startServe, waitForHealth, writeInstancesCsv, type Env } from './e2e-project.js';
import { BIN, tempDir, writeMixedCsv } from './helpers.js';

const MINUTES = 60_000;

interface Preset {
  args: string[];
  target: string;
  task: 'classification' | 'regression';
  lock: 'uv.lock' | 'requirements.lock' | 'poetry.lock';
  /**
   * Run only when this variable is 1 (the preset is skipped in npm test, saying why): poetry runs in
   * `npm run test:poetry`, which keeps npm test within five minutes on 2 cores (in `npm run test:all`,
   * the option matrix's Poetry rows install, check and run Poetry projects on every Python instead).
   */
  onlyWith?: string;
  /** Put first on PATH, so that `make install` finds this interpreter by itself. */
  python?: { version: string; executable: string };
  /** Also check that a dependency missing from the lock is reported in one line. */
  staleLock?: boolean;
  /**
   * Run with PYTHONDONTWRITEBYTECODE set, so that make install compiles the bytecode itself; the
   * others run without it, as on most machines, and Python compiles what it imports on first use.
   */
  noBytecodeWriting?: boolean;
  /**
   * Run schemathesis against the served API (at least 1,000 requests: two minutes of CPU) when
   * MLP_TEST_SCHEMATHESIS=1, as `npm run test:api` and `npm run test:all` set: not in npm test,
   * which it would push past five minutes on 2 cores. One preset does, the one whose schema has every
   * kind of field (numbers, text, dates, booleans, nullable).
   */
  schemathesis?: boolean;
}

/** The oldest supported Python that actually runs here. */
function oldestPython(): { version: string; executable: string } | undefined {
  for (const version of PYTHON_VERSIONS) {
    const executable = pythonExecutable(version);
    if (executable) return { version, executable };
  }
  return undefined;
}

const csvDir = tempDir('mlp-e2e-data-');
writeMixedCsv(join(csvDir, 'customers.csv'));
const oldest = oldestPython();
const hasUv = spawnSync('uv', ['--version'], { stdio: 'ignore' }).status === 0;

// Each preset costs a minute or more of CPU, so each one also proves something else: the pip path
// (churn-csv-pip, whose package name also sorts before the tests' `conftest`, which import sorting must
// handle), the oldest supported Python (regression). The slowest first, so that the lanes end together.
const PRESETS: Record<string, Preset> = {
  'churn-csv-pip': {
    args: ['--installer', 'pip', '--dataset', 'csv', '--data-path', join(csvDir, 'customers.csv'), '--target', 'churned', '--model', 'hist_gradient_boosting'],
    target: 'churned',
    task: 'classification',
    lock: 'requirements.lock',
    staleLock: true,
    schemathesis: true,
  },
  // Every default, the installer included: uv when it is on PATH (.ci/run installs it).
  default: { args: [], target: 'target', task: 'classification', lock: hasUv ? 'uv.lock' : 'requirements.lock', staleLock: true },
  // Poetry 2, installed apart (.ci/run installs it): the lock it writes, the dev extra, every make target.
  poetry: {
    args: ['--installer', 'poetry', '--dataset', 'wine'],
    target: 'target',
    task: 'classification',
    lock: 'poetry.lock',
    staleLock: true,
    onlyWith: 'MLP_TEST_POETRY',
  },
  regression: {
    args: ['--installer', 'uv', '--task', 'regression', '--model', 'linear', ...(oldest ? ['--python-version', oldest.version] : [])],
    target: 'target',
    task: 'regression',
    lock: 'uv.lock',
    python: oldest,
    noBytecodeWriting: true,
  },
};

/**
 * The environment a preset's make runs in: no inherited PYTHON or V, PYTHONDONTWRITEBYTECODE as the
 * preset says, its interpreter first on PATH.
 */
function presetEnv(preset: Preset): Env {
  const env: Env = {
    ...process.env,
    PYTHON: undefined,
    V: undefined,
    EXTRAS: undefined,
    PYTHONDONTWRITEBYTECODE: preset.noBytecodeWriting ? '1' : undefined,
  };
  if (preset.python) env.PATH = `${dirname(preset.python.executable)}${delimiter}${process.env.PATH}`;
  return env;
}

/**
 * `make notebook-check` runs the exploration notebook headless with the project's kernel. Its executed
 * copy (written outside the project) must hold the figures, and no error or warning; notebooks/ is untouched.
 */
async function checkNotebook(project: string, env: Env): Promise<void> {
  const folder = join(project, 'notebooks');
  const before = readdirSync(folder).map((name) => [name, readFileSync(join(folder, name), 'utf8')]);
  const out = tempDir('mlp-e2e-notebook-');
  await make(project, env, 'notebook-check', `NOTEBOOK_OUT=${out}`);
  expect(readdirSync(folder).map((name) => [name, readFileSync(join(folder, name), 'utf8')])).toEqual(before);
  const executed = JSON.parse(readFileSync(join(out, before[0]![0]!), 'utf8')) as {
    cells: Array<{ id: string; outputs?: Array<Record<string, unknown>> }>;
  };
  type Output = { id: string; output_type?: string; name?: string; data?: Record<string, unknown> };
  const outputs = executed.cells.flatMap((cell) => (cell.outputs ?? []).map((output): Output => ({ ...output, id: cell.id })));
  const figures = outputs.filter((output) => output.data?.['image/png']);
  const noise = outputs.filter((output) => output.output_type === 'error' || output.name === 'stderr');
  expect(noise, JSON.stringify(noise, null, 1)).toEqual([]);
  // Target, feature ranking, features by target and correlations, for every preset.
  expect(figures.length).toBeGreaterThanOrEqual(4);
  for (const id of ['target', 'relevance', 'numeric', 'correlations']) {
    expect(figures.map((figure) => figure.id)).toContain(id);
  }
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

describe.concurrent.each(Object.entries(PRESETS))('generated project: %s', (name, preset) => {
  if (name === 'regression' && !oldest) {
    it.skip(`on the oldest supported Python: none of ${PYTHON_VERSIONS.join(', ')} runs here (as python3.X on PATH or in pyenv's versions/)`);
  }
  if (preset.onlyWith && process.env[preset.onlyWith] !== '1') {
    it.skip(`only with ${preset.onlyWith}=1 (npm run test:${name}, part of npm run test:all)`);
    return;
  }
  it(
    `installs (then does nothing), lints, tests, trains, predicts and serves${preset.python ? ` on Python ${preset.python.version}, found by make install` : ''}`,
    async () => {
      const env = presetEnv(preset);
      const cwd = tempDir('mlp-e2e-');
      const generated = await execa('node', [BIN, name, '--yes', '--skip-install', '--skip-git', ...preset.args], {
        cwd,
        stdin: 'ignore',
        reject: false,
      });
      expect(generated.exitCode, generated.stderr).toBe(0);
      const project = join(cwd, name);

      await checkInstall(project, env, preset);
      checkCatalogs(project, name.replace(/-/g, '_'));
      checkDependencyNames(project, name, name.replace(/-/g, '_'));
      await make(project, env, 'lint');
      const tests = await make(project, env, 'test');
      expect(tests).toMatch(/\d+ passed/);
      expect(tests).not.toMatch(/\d+ failed/);
      checkSparkTests(tests, false); // test/e2e-spark.test.ts installs the extra
      await make(project, env, 'all');
      expect(existsSync(join(project, 'reports/metrics.json'))).toBe(true);
      // A scheduled retrain right after: the same files and settings, so nothing is trained.
      expect(await make(project, env, 'retrain')).toMatch(/nothing new: version \S+ \(production\)/);
      await checkNotebook(project, env);

      // Batch prediction on a file of raw rows without the target.
      const instances = sampleInstances(project, preset.target, 5);
      writeInstancesCsv(project, instances);
      await make(project, env, 'predict', 'INPUT=new.csv', 'OUTPUT=predictions.csv');
      const predictions = readFileSync(join(project, 'predictions.csv'), 'utf8').trim().split('\n');
      expect(predictions).toHaveLength(6);

      // The API, started as a user starts it.
      const { server, url, log, stop } = await startServe(project, env);
      try {
        await checkApi(url, server, log, project, preset, instances);
        if (preset.schemathesis && process.env.MLP_TEST_SCHEMATHESIS === '1') await runSchemathesis(url);
      } finally {
        stop();
      }
    },
    20 * MINUTES,
  );
});

async function checkApi(
  url: string,
  server: ChildProcess,
  log: () => string,
  project: string,
  preset: Preset,
  instances: Array<Record<string, unknown>>,
): Promise<void> {
  const health = await waitForHealth(url, server, log);
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
}
