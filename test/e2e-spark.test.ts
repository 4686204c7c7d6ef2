/**
 * End to end, the optional Spark engine, as a user gets it: generate the default project, `make install
 * EXTRAS=spark`, then `make lint`, `make test` (whose Spark tests must run, not skip), `make all`, and
 * `make predict ENGINE=spark`, which must give the pandas engine's predictions. Not part of `npm test`:
 * PySpark is a 450 MB download and Spark starts a JVM, which would take npm test past its time budget
 * on 2 cores; `.ci/run` runs it after npm test (`npm run test:spark`). It needs Java 17+.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { checkSparkTests } from './e2e-checks.js';
import { make, sampleInstances, writeInstancesCsv, type Env } from './e2e-project.js';
import { BIN, tempDir } from './helpers.js';

const MINUTES = 60_000;
const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
const javaMajor = Number(/version "(?:1\.)?(\d+)/.exec(`${java.stderr}${java.stdout}`)?.[1] ?? 0);

describe('generated project with the spark extra', () => {
  it.skipIf(javaMajor < 17)(
    'installs PySpark, runs its Spark tests, and predicts on Spark as with pandas',
    async () => {
      const cwd = tempDir('mlp-e2e-spark-');
      const generated = await execa('node', [BIN, 'spark-project', '--yes', '--skip-install', '--skip-git'], { cwd, reject: false, stdin: 'ignore' });
      expect(generated.exitCode, generated.stderr).toBe(0);
      const project = join(cwd, 'spark-project');
      const env: Env = { ...process.env, PYTHON: undefined, V: undefined, EXTRAS: 'spark' };

      const install = await make(project, env, 'install');
      expect(install).toMatch(/^Installing spark-project with extra spark into \.venv/);
      expect(readFileSync(join(project, '.venv/.extras'), 'utf8').trim()).toBe('spark');
      await make(project, env, 'lint');
      checkSparkTests(await make(project, env, 'test'), true);
      await make(project, env, 'all');

      writeInstancesCsv(project, sampleInstances(project, 'target', 5));
      await make(project, env, 'predict', 'INPUT=new.csv', 'OUTPUT=predictions.csv');
      const expected = readFileSync(join(project, 'predictions.csv'), 'utf8').trim().split('\n');
      const out = await make(project, env, 'predict', 'ENGINE=spark', 'INPUT=new.csv', 'OUTPUT=predictions-spark');
      expect(out, 'nothing from Spark or Java on the console').not.toMatch(/WARN|Exception|\tat |log4j|Setting default log level/);
      checkSameRows(join(project, 'predictions-spark'), expected);
    },
    20 * MINUTES,
  );
});

/**
 * The Spark output folder holds one part file (one input file is read by one task) with the pandas
 * engine's header and rows; numbers, written by Java and by Python, equal within 1e-9.
 */
function checkSameRows(folder: string, expected: string[]): void {
  expect(existsSync(join(folder, '_SUCCESS'))).toBe(true);
  const parts = readdirSync(folder).filter((name) => name.startsWith('part-'));
  expect(parts).toHaveLength(1);
  const rows = readFileSync(join(folder, parts[0]!), 'utf8').trim().split('\n');
  expect(rows[0]).toBe(expected[0]);
  expect(rows).toHaveLength(expected.length);
  rows.slice(1).forEach((row, i) => {
    const [got, want] = [row.split(','), expected[i + 1]!.split(',')];
    expect(got).toHaveLength(want.length);
    got.forEach((cell, column) => {
      if (cell !== want[column]) expect(Math.abs(Number(cell) - Number(want[column])), `${row} vs ${expected[i + 1]}`).toBeLessThanOrEqual(1e-9);
    });
  });
}
