/**
 * The option matrix end to end (test/matrix.ts: every required pair of answers in some row). Each row
 * is generated with the real CLI, with every model registered, and checked well-formed; the same
 * answers with each installer this machine cannot run (conda) are generated beside it and checked
 * statically. Where this machine has what the row needs (its installer's command, an interpreter of
 * its Python version), `make install lint test` then `make all` run in it, as a user runs them, with
 * the make environment of the end-to-end presets and the one shared download cache (UV_CACHE_DIR,
 * PIP_CACHE_DIR). Rows run three at a time (`npm run test:matrix` sets vitest's maxConcurrency: a
 * row's installs wait on the disk and network, so three keep two cores busy), slowest first. A row
 * that cannot run here is generated and checked statically only, and the table printed at the end
 * says so; with MLP_MATRIX_STRICT=1 (as `npm run test:all`, which CI runs, sets) it fails instead. Not part of `npm test` (five minutes on 2 cores): `npm run test:matrix`, in `npm run test:all`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInstall, pythonExecutable, make, type Env } from './e2e-project.js';
import { BIN, checkCondaEnvironment, checkWellFormed, processesLeftIn, REMOVE_TIMEOUT, removeDir, tempDir, writeMixedCsv, writeMixedParquet } from './helpers.js';
import {
  ADDON_PREFIX,
  CONSTRAINTS,
  describeRow,
  EXPORT_PREFIX,
  FACTORS,
  flagsFor,
  INDEPENDENT,
  matrixRows,
  members,
  MODEL_ADDONS,
  ON,
  STATIC_INSTALLERS,
  withInstaller,
  type Row,
} from './matrix.js';
import { LOCK_FILES } from '../lib/context.js';
import type { Installer } from '../lib/questions.js';
import { onPath } from '../lib/which.js';

const MINUTES = 60_000;

const data = tempDir('mlp-matrix-data-');
writeMixedCsv(join(data, 'customers.csv'));
writeMixedParquet(join(data, 'customers.parquet'));
const OWN = {
  files: { csv: join(data, 'customers.csv'), parquet: join(data, 'customers.parquet') },
  target: { classification: 'churned', regression: 'spend' },
} as const;

const rows = matrixRows();
/** Installers whose `make install` takes longest, slowest first (they resolve in Python). */
const SLOW_INSTALLERS = ['poetry', 'pip'];

/** How a project of an installer that cannot run here is checked: statically, by what it writes. */
const STATIC_CHECKS: Readonly<Record<string, (project: string, row: Row) => void>> = {
  conda: (project, row) => checkCondaEnvironment(project, row.python!),
};

/** The production version of a trained project (models/latest.json). */
const production = (project: string): string => JSON.parse(readFileSync(join(project, 'models/latest.json'), 'utf8')).version as string;

/**
 * What an add-on adds, run end to end once per matrix (in its first row), after `make all`: dvc
 * reproduces the pipeline and a second run does nothing; mlflow's store holds a run of the production
 * version; docs builds the site strict, with that version's model card and the API page.
 */
const ADDON_CHECKS: Readonly<Record<string, (project: string, env: Env, name: string) => Promise<void>>> = {
  dvc: async (project, env) => {
    await make(project, env, 'repro');
    const second = await make(project, env, 'repro');
    expect(second).toContain('Data and pipelines are up to date.');
    expect(second).not.toContain('Running stage');
    // The version DVC's train stage wrote passed the gate: it is production.
    expect(production(project)).toBe(JSON.parse(readFileSync(join(project, 'models/trained.json'), 'utf8')).version);
  },
  mlflow: async (project, _env, name) => {
    const code =
      'import sys; from mlflow import MlflowClient\n' +
      'client = MlflowClient(tracking_uri=sys.argv[1])\n' +
      'runs = client.search_runs([client.get_experiment_by_name(sys.argv[2]).experiment_id])\n' +
      'print(" ".join(run.data.tags["model_version"] for run in runs))';
    const store = `sqlite:///${join(project, 'mlruns/mlflow.db')}`;
    const runs = execFileSync(join(project, '.venv/bin/python'), ['-c', code, store, name], { cwd: project, encoding: 'utf8' });
    expect(runs.trim().split(' ')).toContain(production(project));
  },
  docs: async (project, env) => {
    await make(project, env, 'docs');
    expect(readFileSync(join(project, 'site/model-card/index.html'), 'utf8')).toContain(production(project));
    expect(readFileSync(join(project, 'site/api/index.html'), 'utf8')).toContain('/predict');
  },
};

/** The command `make install` needs for an installer: pip's venv comes with python3. */
const installerCommand = (installer: string): string => (installer === 'pip' ? 'python3' : installer);

/** Why the row cannot run on this machine (it is then checked statically only), or the interpreter it runs on. */
function runsHere(row: Row): { python: string } | { missing: string } {
  const command = installerCommand(row.installer!);
  if (!onPath(command)) return { missing: `${command} is not on PATH` };
  const python = pythonExecutable(row.python!);
  if (!python) return { missing: `no Python ${row.python} (python${row.python} on PATH or in pyenv's versions/)` };
  return { python };
}

interface Result {
  row: number;
  what: string;
  checked: string;
  seconds: number;
}
const results: Result[] = [];
const started = Date.now();
const loadBefore = loadavg();

afterAll(() => {
  const lines = results.sort((a, b) => a.row - b.row).map((r) => `${String(r.row).padStart(3)}  ${r.seconds.toFixed(0).padStart(5)} s  ${r.checked.padEnd(32)}  ${r.what}`);
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(' ');
  console.log(
    [
      `option matrix: ${rows.length} rows (every required pair of ${FACTORS.length} factors), ${cpus().length} cores, ` +
        `${((Date.now() - started) / 1000).toFixed(0)} s in all; load average before ${load(loadBefore)}, after ${load(loadavg())}`,
      `  row   time   ${'checked'.padEnd(32)}  answers`,
      ...lines,
      ...CONSTRAINTS.map((c) => `  left out: ${Object.entries(c.never).map(([f, v]) => `${f}=${v.join('|')}`).join(' with ')}: ${c.why}`),
      ...INDEPENDENT.map((i) => `  not paired: ${i.factor} with ${i.of.join(', ')}${i.only ? ` unless ${i.only.join('|')}` : ''}: ${i.why}`),
    ].join('\n'),
  );
});

describe.concurrent('option matrix', () => {
  // The slowest rows first (Poetry's and pip's installs resolve in Python; then the most exports and
  // add-ons), so that the lanes end together; each keeps its number in the matrix.
  const cost = (row: Row) => (SLOW_INSTALLERS.indexOf(row.installer!) + 1 || 9) * 100 - members(row, EXPORT_PREFIX).length - members(row, ADDON_PREFIX).length;
  const order = rows.map((row, index) => ({ row, index })).sort((a, b) => cost(a.row) - cost(b.row) || a.index - b.index);
  order.forEach(({ row, index }) => {
    const name = `matrix-${String(index + 1).padStart(2, '0')}`;
    it(
      `${name}: ${describeRow(row)}`,
      // Concurrent tests take their hooks from their own context.
      async ({ onTestFinished }) => {
        const start = Date.now();
        let step = 'generate';
        let checked: string | undefined;
        // The table has every row: one that failed says at which step.
        onTestFinished(() => {
          const result = { row: index + 1, what: describeRow(row), checked: checked ?? `FAILED: ${step}`, seconds: (Date.now() - start) / 1000 };
          results.push(result);
          console.log(`${name}: ${result.checked} in ${result.seconds.toFixed(0)} s (load average ${loadavg()[0]!.toFixed(2)})`);
        });
        const cwd = tempDir('mlp-matrix-');
        // A project with mlflow, dvc and the exports installed is over a gigabyte.
        onTestFinished(() => removeDir(cwd), REMOVE_TIMEOUT);
        const generate = async (project: string, flags: readonly string[]): Promise<string> => {
          const generated = await execa('node', [BIN, project, '--yes', '--skip-install', ...flags], { cwd, stdin: 'ignore', reject: false });
          expect(generated.exitCode, generated.stderr).toBe(0);
          checkWellFormed(join(cwd, project));
          return join(cwd, project);
        };
        const flags = flagsFor(rows, index, OWN);
        const project = await generate(name, flags);
        // The same answers with each installer that cannot run here, checked by what it writes.
        for (const installer of STATIC_INSTALLERS) {
          step = `generate and check with ${installer}`;
          const twin = await generate(`${name}-${installer}`, withInstaller(flags, installer));
          STATIC_CHECKS[installer]!(twin, row);
        }
        const twins = STATIC_INSTALLERS.map((installer) => ` + ${installer} static`).join('');

        const here = runsHere(row);
        if ('missing' in here) {
          // npm run test:all (CI) proves every row: there, a row that cannot run fails, saying why.
          expect(process.env.MLP_MATRIX_STRICT, `${name} cannot run here: ${here.missing}`).not.toBe('1');
          checked = `static (${here.missing})${twins}`;
          return;
        }
        const env: Env = {
          ...process.env,
          PYTHON: undefined,
          V: undefined,
          EXTRAS: undefined,
          MLFLOW_TRACKING_URI: undefined,
          // As on most machines: each project's first processes compile the bytecode its later ones reuse
          // (with it set, every one of the tests' subprocesses compiles scikit-learn and pandas again).
          PYTHONDONTWRITEBYTECODE: undefined,
          PATH: `${dirname(here.python)}${delimiter}${process.env.PATH}`,
        };
        // A failure is said at once, its last lines (vitest reports failures at the end, and the project is removed).
        const sayFailure = (error: Error): never => {
          console.log(`${name} failed at ${step}:\n${error.message.split('\n').slice(-60).join('\n')}`);
          throw error;
        };
        // As the end-to-end presets check it: the lines it says, a second install that does nothing, a
        // stale lock refused in one line; here with every installer on every Python.
        step = 'make install';
        await checkInstall(project, env, { lock: LOCK_FILES[row.installer as Installer], python: { version: row.python! }, staleLock: true }).catch(
          sayFailure,
        );
        step = 'make lint test';
        const tests = await make(project, env, 'lint', 'test').catch(sayFailure);
        expect(tests).toMatch(/\d+ passed/);
        expect(tests).not.toMatch(/\d+ failed/);
        if (members(row, EXPORT_PREFIX).length > 0 && spawnSync('java', ['-version']).status === 0) {
          expect(tests, 'the export tests ran').not.toMatch(/SKIPPED \[\d+\] tests\/test_export_/);
        }
        step = 'make all';
        await make(project, env, 'all').catch(sayFailure);
        expect(existsSync(join(project, 'reports/metrics.json'))).toBe(true);
        // The first row with docs, mlflow or dvc also runs what that add-on adds, end to end.
        const firsts = MODEL_ADDONS.filter((addon) => rows.findIndex((other) => other[`${ADDON_PREFIX}${addon}`] === ON) === index);
        for (const addon of firsts) {
          step = `the ${addon} add-on end to end`;
          await ADDON_CHECKS[addon]!(project, env, name).catch(sayFailure);
        }
        // Nothing a user runs leaves a process behind (it would also write into the folder as it is removed).
        expect(await processesLeftIn(cwd), 'what the row left running').toEqual([]);
        checked = `install lint test all${firsts.map((addon) => ` ${addon}`).join('')}${twins}`;
      },
      20 * MINUTES,
    );
  });
});
