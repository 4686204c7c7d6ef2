/**
 * End to end, the skops and ONNX exports, as a user gets them: generate a project on a CSV with
 * numbers, categories, booleans, dates and missing values, with `--exports skops,onnx` and gradient
 * boosting; `make install lint test all` (the export tests must run, not skip); `make predict`; then
 * `make serve` with `serve.backend: onnx`, whose answers must be the scikit-learn predictions of
 * `make predict` (classes equal, probabilities within the export's tolerance, 1e-4). And the PMML
 * export on the default project (the bundled sample has no date column, which PMML refuses):
 * `make install lint test all`, its parity tests run (Java is here), model.pmml and its sha256 in
 * the metadata. Not part of `npm test`, which must stay within five minutes on 2 cores:
 * `npm run test:exports` runs it.
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

describe('generated project with the skops and ONNX exports', () => {
  it(
    'trains both exports, tests their parity, predicts from skops and serves with onnxruntime',
    async () => {
      const cwd = tempDir('mlp-e2e-exports-');
      writeMixedCsv(join(cwd, 'customers.csv'));
      const args = ['--dataset', 'csv', '--data-path', join(cwd, 'customers.csv'), '--target', 'churned'];
      const flags = [...args, '--model', 'hist_gradient_boosting', '--exports', 'skops,onnx'];
      const generated = await execa('node', [BIN, 'exported', '--yes', '--skip-install', '--skip-git', ...flags], {
        cwd,
        reject: false,
        stdin: 'ignore',
      });
      expect(generated.exitCode, generated.stderr).toBe(0);
      const project = join(cwd, 'exported');
      const env: Env = { ...process.env, PYTHON: undefined, V: undefined };

      await make(project, env, 'install');
      await make(project, env, 'lint');
      const tests = await make(project, env, 'test');
      expect(tests).toMatch(/\d+ passed/);
      expect(tests).not.toMatch(/\d+ failed/);
      expect(tests, 'the export tests ran').not.toMatch(/SKIPPED \[\d+\] tests\/test_export_/);
      await make(project, env, 'all');

      const versions = readdirSync(join(project, 'models')).filter((name) => /^\d{8}T/.test(name));
      expect(versions).toHaveLength(1);
      const folder = join(project, 'models', versions[0]!);
      const metadata = JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8'));
      expect(Object.keys(metadata.exports)).toEqual(['skops', 'onnx']);
      for (const { file, sha256 } of Object.values(metadata.exports) as Array<{ file: string; sha256: string }>) {
        expect(existsSync(join(folder, file))).toBe(true);
        expect(sha256).toMatch(/^[0-9a-f]{64}$/);
      }

      const instances = sampleInstances(project, 'churned', 20);
      writeInstancesCsv(project, instances);
      const predicted = await make(project, env, 'predict', 'INPUT=new.csv', 'OUTPUT=predictions.csv');
      expect(predicted).toContain('loaded model.skops (trusted types only)');
      const expected = readCsv(join(project, 'predictions.csv'));

      const config = join(project, 'config/config.yaml');
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
    },
    20 * MINUTES,
  );
});

describe('generated project with the PMML export', () => {
  it(
    'writes model.pmml with its sha256 at training, and its parity tests run (Java is here)',
    async () => {
      const cwd = tempDir('mlp-e2e-pmml-');
      const generated = await execa('node', [BIN, 'pmml', '--yes', '--skip-install', '--skip-git', '--exports', 'pmml'], {
        cwd,
        reject: false,
        stdin: 'ignore',
      });
      expect(generated.exitCode, generated.stderr).toBe(0);
      const project = join(cwd, 'pmml');
      const env: Env = { ...process.env, PYTHON: undefined, V: undefined };

      await make(project, env, 'install');
      await make(project, env, 'lint');
      const tests = await make(project, env, 'test');
      expect(tests).toMatch(/tests\/test_export_pmml\.py \.{4}/);
      expect(tests, 'the PMML tests ran').not.toMatch(/SKIPPED \[\d+\] tests\/test_export_pmml/);
      await make(project, env, 'all');

      const versions = readdirSync(join(project, 'models')).filter((name) => /^\d{8}T/.test(name));
      expect(versions).toHaveLength(1);
      const folder = join(project, 'models', versions[0]!);
      const metadata = JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8'));
      expect(metadata.exports.pmml.file).toBe('model.pmml');
      const pmml = readFileSync(join(folder, 'model.pmml'));
      expect(createHash('sha256').update(pmml).digest('hex')).toBe(metadata.exports.pmml.sha256);
      expect(pmml.toString('utf8')).toContain('<DataField name="petal_length_cm"');
    },
    20 * MINUTES,
  );
});

/** A CSV written by `make predict` (no quoted commas in these columns) as records. */
function readCsv(path: string): Array<Record<string, string>> {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header!.split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((value, i) => [names[i], value])));
}
