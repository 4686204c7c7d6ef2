import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answersFromObject, resolveAnswers } from '../../lib/answers.js';
import { templateContext } from '../../lib/context.js';
import { featureHelpText, featureNames, featuresPresent, planFeature } from '../../lib/feature.js';
import { planFiles } from '../../lib/files.js';
import { featureClassName, validateFeatureName } from '../../lib/names.js';
import { featureList, projectModuleNames, QUESTION_BY_NAME, validateFeatures, type Answers } from '../../lib/questions.js';
import type { RunOptions } from '../../lib/run.js';
import { tempDir } from '../helpers.js';

const options: RunOptions = { yes: false, force: false, bail: false, skipInstall: true, skipGit: true, askAnswered: false, dryRun: false, given: {} };

const ANSWERS: Answers = {
  projectName: 'p',
  task: 'classification',
  dataset: 'iris',
  model: 'random_forest',
  addons: 'none',
  exports: 'none',
  extraModels: 'none',
  description: 'd',
  moduleName: 'p',
  authorName: 'Ada',
  authorEmail: '',
  license: 'MIT',
  pythonVersion: '3.11',
  installer: 'uv',
  features: 'none',
};

function project(answers: Record<string, string> = {}, record: Record<string, string> = {}): string {
  const dir = tempDir('mlp-feature-');
  const stored = { projectName: 'p', moduleName: 'p', ...answers, generated: { files: record } };
  writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify({ 'generator-mlpipeline': stored }));
  mkdirSync(join(dir, 'src', 'p'), { recursive: true });
  return dir;
}

describe('feature names', () => {
  it('derive the class name', () => {
    expect(featureClassName('log_income')).toBe('LogIncome');
    expect(featureClassName('ratio2_x')).toBe('Ratio2X');
    expect(featureClassName('x')).toBe('X');
  });

  it.each([
    ['log_income', true],
    ['x2', true],
    ['LogIncome', 'not a valid feature name'],
    ['log-income', 'not a valid feature name'],
    ['2log', 'not a valid feature name'],
    ['_private', 'not a valid feature name'],
    ['log__income', 'not a valid feature name'],
    ['log_', 'not a valid feature name'],
    ['class', 'is a Python keyword'],
    ['match', 'is a Python keyword'],
    ['none', 'means "no feature"'],
    ['base_estimator', 'a name its module imports'],
    ['a'.repeat(65), 'too long'],
  ])('%s', (name, verdict) => {
    const result = validateFeatureName(name);
    if (verdict === true) expect(result).toBe(true);
    else expect(result).toContain(verdict);
  });

  it('refuses the names of the project\'s modules, its package and the transformers package', () => {
    const taken = projectModuleNames('churn');
    for (const name of ['features', 'config', 'dates', 'train', 'tracking', 'docs_site', 'transformers', 'churn']) {
      expect(taken.has(name), name).toBe(true);
      expect(validateFeatureName(name, taken)).toContain('is the name of a module of this project');
    }
  });
});

describe('the features answer', () => {
  it('is declared once, flag-only, defaulting to none', () => {
    const question = QUESTION_BY_NAME.get('features')!;
    expect(question.flag).toBe('features');
    expect(question.flagOnly).toBe(true);
    expect(question.default({}, {} as never)).toBe('none');
  });

  it('lists names in order, once each', () => {
    expect(featureList('log_income, ratio ,log_income')).toEqual(['log_income', 'ratio']);
    expect(featureList('none')).toEqual([]);
    expect(featureList(undefined)).toEqual([]);
  });

  it('validates every name, none alone, and distinct classes', () => {
    expect(validateFeatures('log_income,ratio', 'p')).toBe(true);
    expect(validateFeatures('none', 'p')).toBe(true);
    expect(validateFeatures('none,ratio', 'p')).toContain('none cannot be listed');
    expect(validateFeatures('ratio,Bad', 'p')).toContain('"Bad" is not a valid feature name');
    expect(validateFeatures('p', 'p')).toContain('module of this project');
    expect(validateFeatures('a_b1,a_b_1', 'p')).toBe('a_b1 and a_b_1 would both define the class AB1; rename one of them.');
  });

  it('is never prompted, even in a terminal', async () => {
    const asked: string[] = [];
    const answers = await resolveAnswers({
      given: {},
      stored: {},
      yes: false,
      interactive: true,
      ctx: { gitName: () => 'Ada', gitEmail: () => '', resolvePath: (p) => p, onPath: () => true, localPython: () => '3.11' },
      ask: async (question, _a, fallback) => {
        asked.push(question.name);
        return fallback ?? 'x';
      },
      confirmCustomize: async () => true,
    });
    expect(asked).not.toContain('features');
    expect(answers.features).toBe('none');
  });

  it('is accepted in an answers file', () => {
    expect(answersFromObject({ features: 'log_income' }, 'f')).toEqual({ features: 'log_income' });
  });
});

describe('the manifest', () => {
  it('writes the empty registry without features, and a class and a test per feature', () => {
    const paths = (features: string) => planFiles(templateContext({ ...ANSWERS, features })).map((file) => file.to);
    const none = paths('none');
    expect(none).toContain('src/p/transformers/__init__.py');
    expect(none.filter((path) => path.includes('feature_') || /transformers\/(?!__init__)/.test(path))).toEqual([]);
    const two = paths('log_income,ratio');
    expect(two).toEqual(expect.arrayContaining([
      'src/p/transformers/log_income.py',
      'src/p/transformers/ratio.py',
      'tests/test_feature_log_income.py',
      'tests/test_feature_ratio.py',
    ]));
    const planned = planFiles(templateContext({ ...ANSWERS, features: 'log_income' })).find((f) => f.to === 'src/p/transformers/log_income.py')!;
    expect(planned.locals).toEqual({ feature: { name: 'log_income', className: 'LogIncome' } });
  });
});

describe('planFeature', () => {
  it('joins new names to the stored answer, and says which are there already', () => {
    const dir = project({ features: 'log_income' });
    const plan = planFeature(dir, ['log_income', 'ratio'], options);
    expect(plan.present).toEqual(['log_income']);
    expect(plan.adding).toEqual(['ratio']);
    expect(plan.options.given.features).toBe('log_income,ratio');
    expect(plan.options.directory).toBe(dir);
    expect(featuresPresent(plan)).toEqual([
      'log_income is already in this project (.yo-rc.json lists it; src/p/transformers/log_income.py): nothing to do for it.',
    ]);
  });

  it('refuses outside a project, naming how to create one with the feature', () => {
    const outside = tempDir('mlp-feature-outside-');
    expect(() => planFeature(outside, ['log_income'], options)).toThrow(/is not inside an mlpipeline project .* --features log_income\.$/);
  });

  it('refuses a name taken by a module the user wrote, or a transformer file the generator did not write', () => {
    const dir = project();
    writeFileSync(join(dir, 'src', 'p', 'helpers.py'), '');
    expect(() => planFeature(dir, ['helpers'], options)).toThrow('mlpipeline feature: "helpers" is the name of a module of this project');
    mkdirSync(join(dir, 'src', 'p', 'transformers'));
    writeFileSync(join(dir, 'src', 'p', 'transformers', 'mine.py'), '');
    expect(() => planFeature(dir, ['mine'], options)).toThrow(
      'mlpipeline feature: src/p/transformers/mine.py already exists and was not written by the generator',
    );
  });

  it('refuses a name whose class another feature of the project has', () => {
    const dir = project({ features: 'a_b1' });
    expect(() => planFeature(dir, ['a_b_1'], options)).toThrow('a_b1 and a_b_1 would both define the class AB1');
  });
});

describe('featureNames', () => {
  it('takes names as words or comma-separated, once each', () => {
    expect(featureNames(['log_income,ratio', 'log_income'])).toEqual(['log_income', 'ratio']);
  });
  it('says what is wrong in one line', () => {
    expect(() => featureNames([])).toThrow('mlpipeline feature needs the name of the feature to add');
    expect(() => featureNames(['log-income'])).toThrow(/^mlpipeline feature: "log-income" is not a valid feature name/);
    expect(() => featureNames(['def'], 'yo mlpipeline:feature')).toThrow('yo mlpipeline:feature: "def" is a Python keyword');
  });
  it('has a help text that fits the terminal', () => {
    for (const line of featureHelpText('mlpipeline feature', 80).split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
