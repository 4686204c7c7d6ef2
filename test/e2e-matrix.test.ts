/**
 * The option matrix end to end (test/matrix.ts: every pair of answers in some row). Each row is
 * generated with the real CLI and checked well-formed; where this machine has what the row needs
 * (its installer's command, an interpreter of its Python version), `make install lint test` then
 * `make all` run in it, as a user runs them, with the make environment of the end-to-end presets and
 * the one shared download cache (UV_CACHE_DIR, PIP_CACHE_DIR). Rows run two at a time (vitest's
 * maxConcurrency: their work is in child processes, one per core). A row that cannot run here (conda
 * not installed) is generated and checked statically only, and the table printed at the end says so.
 * Not part of `npm test` (five minutes on 2 cores): `npm run test:matrix`, in `npm run test:all`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonExecutable, make, type Env } from './e2e-project.js';
import { BIN, checkWellFormed, tempDir, writeMixedCsv, writeMixedParquet } from './helpers.js';
import { allPairs, CONSTRAINTS, describeRow, EXPORT_PREFIX, FACTORS, flagsFor, members, type Row } from './matrix.js';
import { onPath } from '../lib/which.js';

const MINUTES = 60_000;

const data = tempDir('mlp-matrix-data-');
writeMixedCsv(join(data, 'customers.csv'));
writeMixedParquet(join(data, 'customers.parquet'));
const OWN = {
  files: { csv: join(data, 'customers.csv'), parquet: join(data, 'customers.parquet') },
  target: { classification: 'churned', regression: 'spend' },
} as const;

const { rows } = allPairs(FACTORS, CONSTRAINTS);

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
  const lines = results.sort((a, b) => a.row - b.row).map((r) => `${String(r.row).padStart(3)}  ${r.seconds.toFixed(0).padStart(5)} s  ${r.checked.padEnd(18)}  ${r.what}`);
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(' ');
  console.log(
    [
      `option matrix: ${rows.length} rows (every pair of ${FACTORS.length} factors), ${cpus().length} cores, ` +
        `${((Date.now() - started) / 1000).toFixed(0)} s in all; load average before ${load(loadBefore)}, after ${load(loadavg())}`,
      '  row   time   checked             answers',
      ...lines,
      ...CONSTRAINTS.map((c) => `  left out: ${Object.entries(c.never).map(([f, v]) => `${f}=${v.join('|')}`).join(' with ')}: ${c.why}`),
    ].join('\n'),
  );
});

describe.concurrent('option matrix', () => {
  rows.forEach((row, index) => {
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
        const generated = await execa('node', [BIN, name, '--yes', '--skip-install', ...flagsFor(rows, index, OWN)], {
          cwd,
          stdin: 'ignore',
          reject: false,
        });
        expect(generated.exitCode, generated.stderr).toBe(0);
        const project = join(cwd, name);
        checkWellFormed(project);

        const here = runsHere(row);
        if ('missing' in here) {
          checked = `static (${here.missing})`;
          return;
        }
        const env: Env = {
          ...process.env,
          PYTHON: undefined,
          V: undefined,
          EXTRAS: undefined,
          MLFLOW_TRACKING_URI: undefined,
          PATH: `${dirname(here.python)}${delimiter}${process.env.PATH}`,
        };
        step = 'make install lint test';
        const tests = await make(project, env, 'install', 'lint', 'test');
        expect(tests).toMatch(/\d+ passed/);
        expect(tests).not.toMatch(/\d+ failed/);
        if (members(row, EXPORT_PREFIX).length > 0 && spawnSync('java', ['-version']).status === 0) {
          expect(tests, 'the export tests ran').not.toMatch(/SKIPPED \[\d+\] tests\/test_export_/);
        }
        step = 'make all';
        await make(project, env, 'all');
        expect(existsSync(join(project, 'reports/metrics.json'))).toBe(true);
        checked = 'install lint test all';
      },
      20 * MINUTES,
    );
  });
});
