/**
 * End to end, day thirty with everything on, as a user gets it: a project on a CSV with numbers,
 * categories, booleans and missing values (its date column dropped in the config: PMML has no date
 * parts, and says so), gradient boosting, every export (`--exports skops,onnx,pmml`, whose parity
 * tests run: Java is here) and the prediction log. `make install lint test all retrain` (the export tests
 * must run, not skip; the retrain finds nothing new); `make predict` (from model.skops); `make serve`
 * with `serve.backend: onnx`, whose answers must be the scikit-learn predictions of `make predict`
 * (classes equal, probabilities within the export's tolerance, 1e-4) and which logs each prediction;
 * then `monitor` on that log, on a clean sample of the test split (exit 0) and on a shifted one
 * (exit 3, the drift code). Not part of `npm test`, which must stay within five minutes on 2 cores:
 * `npm run test:lifecycle` runs it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { make, sampleInstances, startServe, waitForHealth, writeInstancesCsv, type Env } from './e2e-project.js';
import { BIN, tempDir, writeMixedCsv } from './helpers.js';

const MINUTES = 60_000;
/** export_onnx.TOLERANCE in the generated project. */
const TOLERANCE = 1e-4;

describe('generated project with everything on: exports, prediction log, retrain, monitor', () => {
  it(
    'trains every export, tests their parity, retrains, predicts from skops, serves with onnxruntime, logs and monitors',
    async () => {
      const cwd = tempDir('mlp-e2e-lifecycle-');
      writeMixedCsv(join(cwd, 'customers.csv'));
      const args = ['--dataset', 'csv', '--data-path', join(cwd, 'customers.csv'), '--target', 'churned'];
      const flags = [...args, '--model', 'hist_gradient_boosting', '--exports', 'skops,onnx,pmml'];
      const generated = await execa('node', [BIN, 'exported', '--yes', '--skip-install', '--skip-git', ...flags], {
        cwd,
        reject: false,
        stdin: 'ignore',
      });
      expect(generated.exitCode, generated.stderr).toBe(0);
      const project = join(cwd, 'exported');
      const env: Env = { ...process.env, PYTHON: undefined, V: undefined };
      // PMML has no date parts: the date column is dropped, as the PMML export's refusal advises.
      const config = join(project, 'config/config.yaml');
      writeFileSync(config, readFileSync(config, 'utf8').replace('drop: []', 'drop: [signup_date]'));

      await make(project, env, 'install');
      await make(project, env, 'lint');
      const tests = await make(project, env, 'test');
      expect(tests).toMatch(/\d+ passed/);
      expect(tests).not.toMatch(/\d+ failed/);
      expect(tests, 'the export tests ran').not.toMatch(/SKIPPED \[\d+\] tests\/test_export_/);
      await make(project, env, 'all');
      expect(await make(project, env, 'retrain')).toMatch(/nothing new: version \S+ \(production\)/);

      const versions = readdirSync(join(project, 'models')).filter((name) => /^\d{8}T/.test(name));
      expect(versions).toHaveLength(1);
      const folder = join(project, 'models', versions[0]!);
      const metadata = JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8'));
      expect(Object.keys(metadata.exports)).toEqual(['skops', 'onnx', 'pmml']);
      for (const { file, sha256 } of Object.values(metadata.exports) as Array<{ file: string; sha256: string }>) {
        expect(createHash('sha256').update(readFileSync(join(folder, file))).digest('hex')).toBe(sha256);
      }
      expect(readFileSync(join(folder, 'model.pmml'), 'utf8')).toContain('<DataField name="income"');

      const instances = sampleInstances(project, 'churned', 20);
      writeInstancesCsv(project, instances);
      const predicted = await make(project, env, 'predict', 'INPUT=new.csv', 'OUTPUT=predictions.csv');
      expect(predicted).toContain('loaded model.skops (trusted types only)');
      const expected = readCsv(join(project, 'predictions.csv'));

      writeFileSync(config, readFileSync(config, 'utf8').replace('backend: joblib', 'backend: onnx'));
      const { server, url, log, stop } = await startServe(project, env);
      try {
        await waitForHealth(url, server, log);
        expect(log()).toContain('predicting with onnxruntime');
        const response = await fetch(`${url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ instances }),
        });
        const answer = (await response.json()) as { predictions: string[]; probabilities: Array<Record<string, number>> };
        expect(response.status, JSON.stringify(answer)).toBe(200);
        expect(answer.predictions).toEqual(expected.map((row) => row.prediction));
        answer.probabilities.forEach((probabilities, i) => {
          for (const [name, value] of Object.entries(probabilities)) {
            expect(Math.abs(value - Number(expected[i]![`proba_${name}`]))).toBeLessThanOrEqual(TOLERANCE);
          }
        });
      } finally {
        stop();
      }
      await checkMonitor(project, env);
    },
    20 * MINUTES,
  );
});

/**
 * `monitor` on what the server logged (20 rows: too few to judge, which it says, exit 0), on a
 * sample of the test split (the training data's distribution: exit 0) and on the same sample with
 * every number shifted far out of its training range (exit 3, each with its reports).
 */
async function checkMonitor(project: string, env: Env): Promise<void> {
  const cli = join(project, '.venv/bin/exported');
  const run = (...args: string[]) => execa(cli, ['monitor', ...args], { cwd: project, env, extendEnv: false, reject: false, all: true, stdin: 'ignore' });
  const logged = await run();
  expect(logged.exitCode, logged.all).toBe(0);
  expect(readdirSync(join(project, 'logs')).some((name) => name.endsWith('.jsonl')), 'prediction log').toBe(true);

  const instances = sampleInstances(project, 'churned', 200);
  writeInstancesCsv(project, instances, 'clean.csv');
  const clean = await run('--input', 'clean.csv');
  expect(clean.exitCode, clean.all).toBe(0);

  const shifted = instances.map((row) =>
    Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'number' ? value * 10 + 1000 : value])),
  );
  writeInstancesCsv(project, shifted, 'shifted.csv');
  const drifted = await run('--input', 'shifted.csv');
  expect(drifted.exitCode, drifted.all).toBe(3);
  for (const report of ['drift.json', 'drift.md', 'drift.png']) expect(existsSync(join(project, 'reports', report))).toBe(true);
  // Every shifted number column is named among what drifted.
  const drift = JSON.parse(readFileSync(join(project, 'reports/drift.json'), 'utf8')) as { drifted: string[] };
  expect(drift.drifted).toEqual(expect.arrayContaining(['age', 'income', 'spend']));
}

/** A CSV written by `make predict` (no quoted commas in these columns) as records. */
function readCsv(path: string): Array<Record<string, string>> {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header!.split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((value, i) => [names[i], value])));
}
