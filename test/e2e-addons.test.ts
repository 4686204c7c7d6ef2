/**
 * End to end, the docs, mlflow and dvc add-ons together, as a user gets them: generate with
 * `--add docs,mlflow,dvc` (with its git repository: DVC needs one), `make install lint test`, the
 * documentation site built strict before any data or model, `make repro` (DVC: data -> train ->
 * evaluate, each training logged to MLflow) and a second `make repro` that runs nothing, then the
 * site again with the production model's card and API. Not part of `npm test` (MLflow and DVC make the
 * install and the tests minutes longer on 2 cores): `npm run test:addons`, which `.ci/run` runs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { make, type Env } from './e2e-project.js';
import { BIN, tempDir } from './helpers.js';

const MINUTES = 60_000;

describe('generated project with the docs, mlflow and dvc add-ons', () => {
  it(
    'builds its site strict, reproduces its DVC pipeline (a second run does nothing) and logs each training to MLflow',
    async () => {
      const cwd = tempDir('mlp-e2e-addons-');
      // The project with its .venv, DVC cache and MLflow store is over a gigabyte.
      onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
      const generated = await execa('node', [BIN, 'addons', '--yes', '--skip-install', '--add', 'docs,mlflow,dvc'], {
        cwd,
        reject: false,
        stdin: 'ignore',
      });
      expect(generated.exitCode, generated.stderr).toBe(0);
      const project = join(cwd, 'addons');
      const env: Env = { ...process.env, PYTHON: undefined, V: undefined, EXTRAS: undefined, MLFLOW_TRACKING_URI: undefined };
      await make(project, env, 'install', 'lint', 'test');

      // Fresh: no data, no model; the generated pages say what to run, and the strict build passes.
      await make(project, env, 'docs');
      const freshCard = readFileSync(join(project, 'site/model-card/index.html'), 'utf8');
      expect(freshCard).toContain('No model in production yet');

      const first = await make(project, env, 'repro');
      for (const stage of ['data', 'train', 'evaluate']) expect(first).toContain(`Running stage '${stage}'`);
      const second = await make(project, env, 'repro');
      expect(second).toContain('Data and pipelines are up to date.');
      expect(second).not.toContain('Running stage');

      const trained = JSON.parse(readFileSync(join(project, 'models/trained.json'), 'utf8')).version as string;
      // The version DVC's train stage wrote passed the gate: it is production (models/latest.json).
      expect(JSON.parse(readFileSync(join(project, 'models/latest.json'), 'utf8')).version).toBe(trained);
      const code =
        'import sys; from mlflow import MlflowClient\n' +
        'client = MlflowClient(tracking_uri=sys.argv[1])\n' +
        'runs = client.search_runs([client.get_experiment_by_name("addons").experiment_id])\n' +
        'print(" ".join(run.data.tags["model_version"] for run in runs))';
      const store = `sqlite:///${join(project, 'mlruns/mlflow.db')}`;
      const runs = execFileSync(join(project, '.venv/bin/python'), ['-c', code, store], { cwd: project, encoding: 'utf8' });
      expect(runs.trim().split(' ')).toContain(trained);

      await make(project, env, 'docs');
      expect(readFileSync(join(project, 'site/model-card/index.html'), 'utf8')).toContain(trained);
      expect(readFileSync(join(project, 'site/api/index.html'), 'utf8')).toContain('/predict');
    },
    30 * MINUTES,
  );
});
