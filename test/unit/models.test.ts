import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_MODELS, CORE_MODEL_NAMES, EXTRA_MODEL_NAMES, MODEL_NAMES, MODELS, TASKS } from '../../lib/catalog.js';
import { estimatorImports, templateContext } from '../../lib/context.js';
import { COMMANDS, parseArgs } from '../../lib/cli.js';
import { modelHelpText, modelNames, modelsAlreadyThere, planModel } from '../../lib/model.js';
import { extraModelList, QUESTION_BY_NAME, validateExports, type Answers } from '../../lib/questions.js';
import type { RunOptions } from '../../lib/run.js';
import { tempDir } from '../helpers.js';

const options: RunOptions = { yes: false, force: false, bail: false, skipInstall: true, skipGit: true, askAnswered: false, dryRun: false, given: {} };

function project(answers: Record<string, string>): string {
  const dir = tempDir('mlp-models-');
  writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify({ 'generator-mlpipeline': { projectName: 'p', ...answers } }));
  return dir;
}

const answers: Answers = {
  projectName: 'p', task: 'classification', dataset: 'iris', model: 'random_forest', addons: 'none', exports: 'none',
  extraModels: 'none', description: 'd', moduleName: 'p', authorName: 'A', authorEmail: '', license: 'MIT',
  pythonVersion: '3.11', installer: 'pip', features: 'none',
};

describe('the model catalog', () => {
  it('has the well-known estimators, each with a class, a module, a description and defaults per task', () => {
    expect(EXTRA_MODEL_NAMES).toEqual(['svm', 'knn', 'extra_trees', 'gradient_boosting', 'decision_tree']);
    expect(ALL_MODELS.svm.estimator).toEqual({ classification: 'SVC', regression: 'SVR' });
    expect(ALL_MODELS.knn.estimator).toEqual({ classification: 'KNeighborsClassifier', regression: 'KNeighborsRegressor' });
    for (const name of MODEL_NAMES) {
      const info = ALL_MODELS[name];
      expect(info.module, name).toMatch(/^sklearn\.[a-z_]+$/);
      for (const task of TASKS) {
        expect(info.estimator[task], name).toMatch(/^[A-Z]\w+$/);
        expect(info.description[task].length, name).toBeGreaterThan(20);
        expect(Object.keys(info.params[task]).length, name).toBeGreaterThan(0);
      }
    }
    // Distance- and margin-based models need standardized features; trees do not.
    expect(MODEL_NAMES.filter((name) => ALL_MODELS[name].scaled)).toEqual(['linear', 'svm', 'knn']);
    expect(CORE_MODEL_NAMES).toEqual(Object.keys(MODELS));
  });
  it('is the --model choices (one catalog), and the --extra-models choices are the extras', () => {
    expect(QUESTION_BY_NAME.get('model')!.allChoices).toEqual(MODEL_NAMES);
    const extra = QUESTION_BY_NAME.get('extraModels')!;
    expect([extra.flag, extra.kind, extra.advanced]).toEqual(['extra-models', 'checkbox', true]);
    expect(extra.allChoices).toEqual(EXTRA_MODEL_NAMES);
    expect(extra.describe!('svm', { task: 'regression' })).toMatch(/^SVR: /);
    expect(extra.validate!('svm,xgboost', {}, {} as never)).toMatch(/^unknown extra model\(s\) xgboost: list any of svm, knn/);
    expect(extra.default({ model: 'knn' }, {} as never)).toBe('knn');
    expect(extra.default({ model: 'linear' }, {} as never)).toBe('none');
  });
});

describe('the project\'s models', () => {
  it('are the listed extras and the chosen model when it is one, in catalog order', () => {
    expect(extraModelList('knn,svm', undefined)).toEqual(['svm', 'knn']);
    expect(extraModelList('none', 'decision_tree')).toEqual(['decision_tree']);
    expect(extraModelList('knn', 'linear')).toEqual(['knn']);
    expect(extraModelList(undefined, undefined)).toEqual([]);
  });
  it('give estimators.py its registry, imports and scaled models, and config.yaml its blocks', () => {
    const ctx = templateContext({ ...answers, model: 'svm', extraModels: 'decision_tree' });
    expect(Object.keys(ctx.models)).toEqual(['random_forest', 'hist_gradient_boosting', 'linear', 'svm', 'decision_tree']);
    expect(ctx.extraModelList).toEqual(['svm', 'decision_tree']);
    expect(ctx.addableModels).toEqual(['knn', 'extra_trees', 'gradient_boosting']);
    expect(ctx.estimator).toBe('SVC');
    expect(ctx.registry.regression.map((e) => e.estimator)).toEqual([
      'RandomForestRegressor', 'HistGradientBoostingRegressor', 'Ridge', 'SVR', 'DecisionTreeRegressor',
    ]);
    expect(ctx.scaledModels).toEqual(['linear', 'svm']);
    expect(ctx.models.svm!.params.map((p) => p.setting.trim())).toEqual(['C: 1.0', 'kernel: rbf', 'gamma: scale']);
    const plain = templateContext(answers);
    expect(Object.keys(plain.models)).toEqual(CORE_MODEL_NAMES);
    expect(plain.extraModelList).toEqual([]);
  });
  it('are imported as ruff writes imports: modules sorted, ALL-CAPS names first, long ones one name a line', () => {
    expect(estimatorImports(['linear', 'svm', 'knn'])).toEqual([
      'from sklearn.linear_model import LogisticRegression, Ridge',
      'from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor',
      'from sklearn.svm import SVC, SVR',
    ]);
    expect(estimatorImports(['random_forest', 'extra_trees'])).toEqual([
      'from sklearn.ensemble import (\n    ExtraTreesClassifier,\n    ExtraTreesRegressor,\n    RandomForestClassifier,\n' +
        '    RandomForestRegressor,\n)',
    ]);
  });
});

describe('mlpipeline model', () => {
  it('reads names separated by spaces or commas; an unknown or missing one is one line listing the known ones', () => {
    expect(modelNames(['knn,svm', 'LINEAR'])).toEqual(['linear', 'svm', 'knn']);
    expect(() => modelNames(['xgboost'])).toThrow(
      '"xgboost" is not a model this generator knows: it adds svm, knn, extra_trees, gradient_boosting, decision_tree ' +
        '(every project has random_forest, hist_gradient_boosting, linear); for another scikit-learn estimator, import ' +
        'it in src/<module>/estimators.py and name it in REGISTRY.',
    );
    expect(() => modelNames([])).toThrow(/^mlpipeline model needs the model to add: one of svm, knn/);
  });
  it('refuses outside a project, saying where to run it', () => {
    const dir = tempDir('mlp-noproject-');
    expect(() => planModel(dir, ['svm'], options)).toThrow(
      new RegExp(`^mlpipeline model: ${dir} is not inside an mlpipeline project .*--extra-models svm\\.$`),
    );
  });
  it('joins the new models to the stored ones, from a sub-folder too; present ones are said, not added', () => {
    const root = project({ model: 'gradient_boosting', extraModels: 'knn' });
    mkdirSync(join(root, 'src'));
    const plan = planModel(join(root, 'src'), ['linear', 'svm', 'knn', 'gradient_boosting'], options);
    expect(plan.root).toBe(root);
    expect(plan.present).toEqual(['linear', 'knn', 'gradient_boosting']);
    expect(plan.adding).toEqual(['svm']);
    expect(plan.options).toMatchObject({ directory: root, given: { extraModels: 'svm,knn,gradient_boosting' } });
    expect(modelsAlreadyThere(plan)).toEqual([
      'linear is in every project (estimators.py has it): nothing to do for it.',
      'knn is already in this project (.yo-rc.json lists it): nothing to do for it.',
      'gradient_boosting is already in this project (.yo-rc.json lists it): nothing to do for it.',
    ]);
  });
  it('takes a project made before extra models existed', () => {
    expect(planModel(project({}), ['svm'], options).options.given.extraModels).toBe('svm');
  });
  it('is a command of the bin that takes names and run options, not answers', () => {
    expect(COMMANDS.map((c) => c.name)).toContain('model');
    expect(parseArgs(['model', 'svm', 'knn', '--dry-run']).positionals).toEqual(['svm', 'knn']);
    expect(() => parseArgs(['model', 'svm', '--task', 'regression'])).toThrow(/mlpipeline model keeps the stored answers, so it takes no --task/);
  });
  it('lists every model it can add in its --help, within the width', () => {
    const text = modelHelpText('mlpipeline model <name>...', 80);
    for (const name of EXTRA_MODEL_NAMES) expect(text).toMatch(new RegExp(`^  ${name} `, 'm'));
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('models the PMML export refuses', () => {
  it('are refused at creation in one line, so that no project is born unable to train', () => {
    for (const model of ['svm', 'knn']) {
      const verdict = validateExports('onnx,pmml', 'classification', model);
      expect(verdict).toMatch(new RegExp(`^pmml cannot export the ${model} classification model \\(.+\\): choose another --model`));
      expect(validateExports('onnx', 'classification', model)).toBe(true);
      expect(validateExports('pmml', 'regression', model)).toBe(true);
    }
    expect(validateExports('pmml', 'classification', 'random_forest')).toBe(true);
    const question = QUESTION_BY_NAME.get('exports')!;
    expect(question.validate!('pmml', { task: 'classification', model: 'knn' }, {} as never)).not.toBe(true);
  });
});
