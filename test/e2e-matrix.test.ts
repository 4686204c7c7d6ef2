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
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonExecutable, make, type Env } from './e2e-project.js';
import { BIN, checkCondaEnvironment, checkWellFormed, tempDir, writeMixedCsv, writeMixedParquet } from './helpers.js';
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
  STATIC_INSTALLERS,
  withInstaller,
  type Row,
} from './matrix.js';
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
        onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
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
        step = 'make install lint test';
        // A failure is said at once, its last lines (vitest reports failures at the end, and the project is removed).
        const sayFailure = (error: Error): never => {
          console.log(`${name} failed at ${step}:\n${error.message.split('\n').slice(-60).join('\n')}`);
          throw error;
        };
        const tests = await make(project, env, 'install', 'lint', 'test').catch(sayFailure);
        expect(tests).toMatch(/\d+ passed/);
        expect(tests).not.toMatch(/\d+ failed/);
        if (members(row, EXPORT_PREFIX).length > 0 && spawnSync('java', ['-version']).status === 0) {
          expect(tests, 'the export tests ran').not.toMatch(/SKIPPED \[\d+\] tests\/test_export_/);
        }
        step = 'make all';
        await make(project, env, 'all').catch(sayFailure);
        expect(existsSync(join(project, 'reports/metrics.json'))).toBe(true);
        checked = `install lint test all${twins}`;
      },
      20 * MINUTES,
    );
  });
});
