/**
 * `mlpipeline model <name>` and `yo mlpipeline:model <name>` on generated projects: what they write (a
 * snapshot of the files that change), that it equals what creation with --extra-models writes, and the
 * refusals. The generated project's own test of an added model runs in the end-to-end tests.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import helpers from 'yeoman-test';
import { EXTRA_MODEL_NAMES } from '../lib/catalog.js';
import { PACKAGE_ROOT } from '../lib/paths.js';
import { BIN, listFiles, tempDir } from './helpers.js';

const QUIET = ['--skip-install', '--skip-git'];

function bin(cwd: string, ...args: string[]) {
  return execa('node', [BIN, ...args], { cwd, stdin: 'ignore', reject: false, env: { NO_COLOR: '1' } });
}

async function project(name: string, ...flags: string[]): Promise<string> {
  const parent = tempDir('mlp-model-');
  const result = await bin(parent, name, '--yes', ...QUIET, '--author-name', 'Ada', ...flags);
  if (result.exitCode !== 0) throw new Error(result.stderr);
  return join(parent, name);
}

const ours = (dir: string) => JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-mlpipeline'];
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('mlpipeline model', () => {
  it('writes what creation with --extra-models writes, and records it in .yo-rc.json', async () => {
    const plain = await project('p');
    const made = await project('p', '--extra-models', 'svm,knn');
    const later = await project('p');
    const before = Object.fromEntries(listFiles(later).map((file) => [file, read(later, file)]));
    const first = await bin(later, 'model', 'svm', ...QUIET);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      'Updated README.md, config/config.yaml, src/p/estimators.py; created tests/test_extra_models.py;',
    );
    expect(first.stdout).toContain('Added svm (SVC) to p: tune it under model.params.svm in config/config.yaml, set model.name: svm');
    const second = await bin(join(later, 'src'), 'model', 'knn', ...QUIET);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(listFiles(later)).toEqual(listFiles(made));
    for (const file of listFiles(made).filter((f) => !f.startsWith('.mlpipeline/'))) {
      expect(read(later, file), file).toBe(read(made, file));
    }
    expect(ours(later).extraModels).toBe('svm,knn');
    // The files that adding a model changes, as they are written (the rest is as before).
    const changed = listFiles(later).filter((file) => !file.startsWith('.mlpipeline/') && file !== '.yo-rc.json' && read(later, file) !== before[file]);
    expect(changed).toEqual(['README.md', 'config/config.yaml', 'src/p/estimators.py', 'tests/test_extra_models.py']);
    expect(read(later, 'src/p/estimators.py')).toMatchSnapshot('estimators.py');
    expect(read(later, 'tests/test_extra_models.py')).toMatchSnapshot('test_extra_models.py');
    expect(read(later, 'config/config.yaml').match(/^model:[\s\S]*?\n\n/m)?.[0]).toMatchSnapshot('config.yaml model');
    expect(read(plain, 'src/p/estimators.py')).toContain('NEEDS_SCALING = {"linear"}');
    expect(read(later, 'README.md')).toMatch(/`model.name`: `random_forest`, `hist_gradient_boosting`, `linear`, `svm`, `knn`\./);
  });

  it('--model with an extra model at creation includes it, and adding it later then changes nothing', async () => {
    const dir = await project('q', '--task', 'regression', '--model', 'decision_tree');
    expect(ours(dir).extraModels).toBe('decision_tree');
    expect(read(dir, 'config/config.yaml')).toMatch(/^ {2}name: decision_tree$/m);
    expect(read(dir, 'src/q/estimators.py')).toContain('"decision_tree": DecisionTreeRegressor,');
    const before = read(dir, '.yo-rc.json');
    const mtime = statSync(join(dir, 'src/q/estimators.py')).mtimeMs;
    const again = await bin(dir, 'model', 'decision_tree', 'linear', ...QUIET);
    expect(again.exitCode).toBe(0);
    expect(again.stdout.trim().split('\n')).toEqual([
      'linear is in every project (estimators.py has it): nothing to do for it.',
      'decision_tree is already in this project (.yo-rc.json lists it): nothing to do for it.',
    ]);
    expect(read(dir, '.yo-rc.json')).toBe(before);
    expect(statSync(join(dir, 'src/q/estimators.py')).mtimeMs).toBe(mtime);
  });

  it('refuses an unknown model, a missing one, answers, and a run outside a project, in one line each', async () => {
    const dir = await project('r');
    const before = Object.fromEntries(listFiles(dir).map((file) => [file, read(dir, file)]));
    const unknown = await bin(dir, 'model', 'xgboost');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      `mlpipeline: "xgboost" is not a model this generator knows: it adds ${EXTRA_MODEL_NAMES.join(', ')} (every project ` +
        'has random_forest, hist_gradient_boosting, linear); for another scikit-learn estimator, import it in ' +
        'src/<module>/estimators.py and name it in REGISTRY.',
    );
    for (const args of [['model'], ['model', 'svm', '--task', 'regression']]) {
      const result = await bin(dir, ...args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(Object.fromEntries(listFiles(dir).map((file) => [file, read(dir, file)]))).toEqual(before);
    const outside = tempDir('mlp-outside-');
    const result = await bin(outside, 'model', 'svm');
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toMatch(/^mlpipeline: mlpipeline model: .* is not inside an mlpipeline project .*--extra-models svm\.$/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(listFiles(outside)).toEqual([]);
  });

  it('merges config.yaml you edited: your tuning kept, the new model\'s block added', async () => {
    const dir = await project('s');
    const config = join(dir, 'config/config.yaml');
    writeFileSync(config, read(dir, 'config/config.yaml').replace(/n_estimators: 200 {3}/, 'n_estimators: 500   '));
    const result = await bin(dir, 'model', 'gradient_boosting', ...QUIET);
    expect(result.exitCode, result.stderr).toBe(0);
    const merged = read(dir, 'config/config.yaml');
    expect(merged).toContain('n_estimators: 500 ');
    expect(merged).toMatch(/# GradientBoostingClassifier: https:\/\/scikit-learn\.org\S+\n {4}gradient_boosting:\n {6}n_estimators: 100 /);
  });

  it('--help lists the models it adds', async () => {
    const help = await bin(tempDir('mlp-help-'), 'model', '--help');
    expect(help.exitCode).toBe(0);
    for (const name of EXTRA_MODEL_NAMES) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const main = await bin(tempDir('mlp-help-'), '--help');
    expect(main.stdout).toMatch(/mlpipeline model <name>\.\.\. \[options\]/);
    expect(main.stdout).toContain('--extra-models');
  });
});

describe('yo mlpipeline:model', () => {
  it('adds the named models to the project around the current folder, as the bin does', async () => {
    const dir = await project('y');
    const generator = join(PACKAGE_ROOT, 'dist', 'generators', 'model', 'index.js');
    await helpers.run(generator, { namespace: 'mlpipeline:model' }).cd(dir).withArguments(['knn', 'svm', ...QUIET]);
    expect(ours(dir).extraModels).toBe('svm,knn');
    expect(read(dir, 'src/y/estimators.py')).toContain('NEEDS_SCALING = {"linear", "svm", "knn"}');
    expect(ours(dir).generated.files['tests/test_extra_models.py']).toMatch(/^[0-9a-f]{64}$/);
    const outside = tempDir('mlp-yo-outside-');
    await expect(helpers.run(generator, { namespace: 'mlpipeline:model' }).cd(outside).withArguments(['svm', ...QUIET])).rejects.toThrow(
      /^yo mlpipeline:model: .* is not inside an mlpipeline project/,
    );
  });
});
