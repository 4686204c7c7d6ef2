import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAnswersFile, resolveAnswers, storedAnswers, type ResolveInput } from '../../lib/answers.js';
import { templateContext } from '../../lib/context.js';
import { UsageError } from '../../lib/errors.js';
import { QUESTIONS, type DefaultsContext, type PartialAnswers } from '../../lib/questions.js';

const ctx: DefaultsContext = {
  gitName: () => 'Ada Lovelace',
  gitEmail: () => 'ada@example.com',
  resolvePath: (p: string) => p,
  onPath: (command: string) => command === 'uv',
  localPython: () => '3.12',
};

function input(overrides: Partial<ResolveInput>): ResolveInput {
  return {
    given: {},
    stored: {},
    yes: false,
    interactive: false,
    ctx,
    ask: async (q) => {
      throw new Error(`unexpected prompt ${q.name}`);
    },
    confirmCustomize: async () => false,
    ...overrides,
  };
}

function csvFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlp-answers-'));
  const path = join(dir, 'houses.csv');
  writeFileSync(path, content);
  return path;
}

describe('resolveAnswers', () => {
  it('takes every default with --yes', async () => {
    const answers = await resolveAnswers(input({ yes: true }));
    expect(answers).toEqual({
      projectName: 'my-project',
      task: 'classification',
      dataset: 'iris',
      model: 'random_forest',
      addons: 'none',
      exports: 'none',
      extraModels: 'none',
      description: expect.stringContaining('classification'),
      moduleName: 'my_project',
      authorName: 'Ada Lovelace',
      authorEmail: 'ada@example.com',
      license: 'MIT',
      pythonVersion: '3.12',
      installer: 'uv',
      features: 'none',
    });
  });

  it('takes --exports as a comma-separated list of formats, in a fixed order for templates', async () => {
    const answers = await resolveAnswers(input({ yes: true, given: { exports: 'ONNX, skops' } }));
    expect(templateContext(answers)).toMatchObject({
      exportList: ['skops', 'onnx'],
      exportSkops: true,
      exportOnnx: true,
      exportPmml: false,
    });
    const none = templateContext(await resolveAnswers(input({ yes: true, given: { exports: 'none' } })));
    expect(none.exportList).toEqual([]);
  });

  it('refuses an unknown export format, and none listed with formats, naming what is allowed', async () => {
    const unknown = await resolveAnswers(input({ yes: true, given: { exports: 'skops,h5' } })).catch((e) => e);
    expect(unknown).toBeInstanceOf(UsageError);
    expect(unknown.message).toBe(
      '--exports: unknown export format(s) h5: list any of skops, onnx, pmml, separated by commas, or none.',
    );
    const mixed = await resolveAnswers(input({ yes: true, given: { exports: 'none,onnx' } })).catch((e) => e);
    expect(mixed.message).toBe('--exports: none cannot be listed with formats: pass either.');
  });

  it('derives defaults from earlier answers', async () => {
    const answers = await resolveAnswers(input({ yes: true, given: { projectName: 'house-prices', task: 'regression' } }));
    expect(answers.dataset).toBe('diabetes');
    expect(answers.moduleName).toBe('house_prices');
  });

  it('without a terminal and without --yes, names every flag still missing', async () => {
    const error = await resolveAnswers(input({ given: { task: 'regression' } })).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/not a TTY/);
    expect(error.message).toContain('--project-name NAME');
    expect(error.message).toContain('--dataset iris|wine|breast_cancer|diabetes|csv');
    expect(error.message).toContain('--model random_forest|hist_gradient_boosting|linear');
    expect(error.message).not.toContain('--task');
    expect(error.message).toContain('--yes');
  });

  it('rejects a value outside the choices, naming the allowed ones', async () => {
    const error = await resolveAnswers(input({ yes: true, given: { model: 'xgboost' } })).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('--model must be one of random_forest, hist_gradient_boosting, linear, svm, knn, extra_trees, gradient_boosting, decision_tree (got "xgboost").');
  });

  it('rejects a dataset that does not fit the task', async () => {
    const error = await resolveAnswers(input({ yes: true, given: { task: 'regression', dataset: 'iris' } })).catch((e) => e);
    expect(error.message).toBe('--dataset must be one of diabetes, csv for --task regression (got "iris").');
  });

  it('rejects a bad module name with the reason', async () => {
    const error = await resolveAnswers(input({ yes: true, given: { moduleName: 'json' } })).catch((e) => e);
    expect(error.message).toMatch(/--module-name: "json" would shadow Python's standard library/);
  });

  it('requires --data-path with --dataset csv even with --yes', async () => {
    const error = await resolveAnswers(input({ yes: true, given: { dataset: 'csv' } })).catch((e) => e);
    expect(error.message).toBe("These answers have no default: pass --data-path FILE --target COLUMN.");
  });

  it('checks the data file and the target column', async () => {
    const path = csvFile('id,"size, m2",price\n1,50,100\n');
    const missing = await resolveAnswers(input({ yes: true, given: { dataset: 'csv', dataPath: `${path}.nope.csv` } })).catch((e) => e);
    expect(missing.message).toMatch(/does not exist/);
    const badTarget = await resolveAnswers(
      input({ yes: true, given: { dataset: 'csv', dataPath: path, target: 'cost' } }),
    ).catch((e) => e);
    expect(badTarget.message).toContain('Column "cost" is not in');
    expect(badTarget.message).toContain('its columns are: id, size, m2, price.');
    const answers = await resolveAnswers(input({ yes: true, given: { task: 'regression', dataset: 'csv', dataPath: path } }));
    expect(answers.target).toBe('price');
  });

  it('prefers flags over stored answers and stored answers over defaults', async () => {
    const stored: PartialAnswers = { projectName: 'old', model: 'linear', license: 'none' };
    const answers = await resolveAnswers(input({ stored, given: { model: 'random_forest' }, yes: true }));
    expect(answers.projectName).toBe('old');
    expect(answers.model).toBe('random_forest');
    expect(answers.license).toBe('none');
  });

  it('asks nothing already answered, and the advanced questions only after "customize"', async () => {
    const asked: string[] = [];
    const ask: ResolveInput['ask'] = async (q, _a, fallback) => {
      asked.push(q.name);
      return fallback ?? '';
    };
    await resolveAnswers(input({ interactive: true, ask, stored: { projectName: 'p', task: 'classification' } }));
    expect(asked).toEqual(['dataset', 'model', 'addons']);
    asked.length = 0;
    await resolveAnswers(input({ interactive: true, ask, confirmCustomize: async () => true }));
    expect(asked).toEqual(QUESTIONS.filter((q) => !q.when && !q.flagOnly).map((q) => q.name));
  });

  it('asks again for a stored answer that no longer fits, and says so', async () => {
    const notices: string[] = [];
    const answers = await resolveAnswers(
      input({ yes: true, stored: { task: 'classification', dataset: 'iris' }, given: { task: 'regression' }, notice: (m) => notices.push(m) }),
    );
    expect(answers.dataset).toBe('diabetes');
    expect(notices).toEqual(['The stored dataset "iris" no longer fits: --dataset must be one of diabetes, csv for --task regression (got "iris").']);
    const error = await resolveAnswers(input({ stored: { dataset: 'iris' }, given: { task: 'regression' } })).catch((e) => e);
    expect(error.message).toContain('--dataset iris|wine|breast_cancer|diabetes|csv');
  });

  it('rejects flags that do not apply', async () => {
    const error = await resolveAnswers(input({ yes: true, given: { dataPath: 'x.csv', target: 'y' } })).catch((e) => e);
    expect(error.message).toBe('--data-path applies only with --dataset csv.\n--target applies only with --dataset csv.');
  });

  it('takes no add-on without a terminal when --add is not given, rather than stopping for it', async () => {
    const given = { projectName: 'p', task: 'classification', dataset: 'iris', model: 'linear' };
    expect((await resolveAnswers(input({ given }))).addons).toBe('none');
  });

  it('does not suggest --yes when a missing answer has no default', async () => {
    const error = await resolveAnswers(input({ given: { projectName: 'p', task: 'classification', dataset: 'csv', model: 'linear' } })).catch((e) => e);
    expect(error.message).toBe(
      'No terminal to ask on (stdin is not a TTY) and these answers were not given: pass --data-path FILE --target COLUMN.',
    );
  });

  it('refuses data files the pipeline cannot read', async () => {
    const check = async (content: string | null) => {
      const path = csvFile('');
      if (content === null) {
        const dir = `${path}.d.csv`;
        (await import('node:fs')).mkdirSync(dir);
        return resolveAnswers(input({ yes: true, given: { dataset: 'csv', dataPath: dir, target: 'a' } })).catch((e) => e.message);
      }
      writeFileSync(path, content);
      return resolveAnswers(input({ yes: true, given: { dataset: 'csv', dataPath: path, target: 'a' } })).catch((e) => e.message);
    };
    expect(await check(null)).toMatch(/is not a file/);
    expect(await check('')).toMatch(/is empty: expected a header row/);
    expect(await check('a,a\n1,2\n')).toMatch(/two columns named "a"/);
    expect(await check('a;b;c\n1;2;3\n')).toMatch(/has a single column \("a;b;c"\)/);
    expect(await check('1,2,3\n4,5,6\n')).toMatch(/numbers, not column names/);
  });

  it('follows the local python3 for the default Python version, within the supported range', async () => {
    const version = async (local: string | undefined) =>
      (await resolveAnswers(input({ yes: true, ctx: { ...ctx, localPython: () => local } }))).pythonVersion;
    expect(await version('3.12')).toBe('3.12');
    expect(await version('3.14')).toBe('3.13');
    expect(await version('3.9')).toBe('3.10');
    expect(await version(undefined)).toBe('3.11');
  });

  it('defaults the installer to uv when it is on PATH, else pip', async () => {
    expect((await resolveAnswers(input({ yes: true }))).installer).toBe('uv');
    expect((await resolveAnswers(input({ yes: true, ctx: { ...ctx, onPath: () => false } }))).installer).toBe('pip');
  });

  it('asks stored answers again with --ask-answered, offering them as defaults', async () => {
    const asked: Array<[string, string | undefined]> = [];
    const ask: ResolveInput['ask'] = async (q, _a, fallback) => {
      asked.push([q.name, fallback]);
      return q.name === 'model' ? 'linear' : (fallback ?? '');
    };
    const stored: PartialAnswers = { projectName: 'p', task: 'classification', dataset: 'wine', model: 'random_forest', license: 'none' };
    const answers = await resolveAnswers(input({ interactive: true, askAnswered: true, ask, stored }));
    expect(asked.slice(0, 4)).toEqual([
      ['projectName', 'p'],
      ['task', 'classification'],
      ['dataset', 'wine'],
      ['model', 'random_forest'],
    ]);
    expect(asked).toContainEqual(['license', 'none']);
    expect(answers.model).toBe('linear');
  });

  it('names the folder it writes to as the default project name, made valid', async () => {
    const name = async (directoryName: string) =>
      (await resolveAnswers(input({ yes: true, ctx: { ...ctx, directoryName } }))).projectName;
    expect(await name('churn')).toBe('churn');
    expect(await name('Churn Model 2')).toBe('churn-model-2');
    expect(await name('pandas')).toBe('pandas-project');
    expect(await name('!!!')).toBe('my-project');
  });

  it('accepts a stored data file that is absent (data is not in git)', async () => {
    const answers = await resolveAnswers(
      input({
        yes: true,
        stored: { dataset: 'csv', dataPath: '/clone/data/raw/d.csv', target: 'y' },
        ctx: { ...ctx, absentStoredData: '/clone/data/raw/d.csv' },
      }),
    );
    expect(answers).toMatchObject({ dataset: 'csv', dataPath: '/clone/data/raw/d.csv', target: 'y' });
  });
});

describe('answers file', () => {
  it('accepts keys as stored and as flags', () => {
    const path = csvFile('');
    writeFileSync(path, JSON.stringify({ projectName: 'x', 'data-path': 'a.csv' }));
    expect(readAnswersFile(path)).toEqual({ projectName: 'x', dataPath: 'a.csv' });
  });
  it.each([
    ['[]', /expected a JSON object/],
    ['{"colour": "red"}', /unknown answer "colour"; known answers: projectName, task/],
    ['{"pythonVersion": 3.1}', /"pythonVersion" must be a string, e.g. "3.11"/],
    ['{not json', /cannot read a JSON object/],
  ])('rejects %s', (content, message) => {
    const path = csvFile('');
    writeFileSync(path, content);
    expect(() => readAnswersFile(path)).toThrow(message);
  });
  it('names a missing file', () => {
    expect(() => readAnswersFile('/nonexistent/answers.json')).toThrow(/file not found/);
  });
});

describe('derived values', () => {
  it('stores the data path relative to the project and derives template values', async () => {
    const path = csvFile('a,b\n1,x\n2,y\n');
    const answers = await resolveAnswers(input({ yes: true, given: { dataset: 'csv', dataPath: path, target: 'b' } }));
    expect(storedAnswers(answers).dataPath).toBe('data/raw/houses.csv');
    const context = templateContext(answers, { now: new Date('2026-01-02T00:00:00Z') });
    expect(context).toMatchObject({ dataFile: 'houses.csv', target: 'b', pythonVersionNodot: '312', initials: 'al', year: 2026 });
    expect(context.q('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
  });
  it('uses "target" for bundled datasets, with their gate and an example row', async () => {
    const context = templateContext(await resolveAnswers(input({ yes: true })));
    expect(context).toMatchObject({ target: 'target', dataFile: 'iris.csv', estimator: 'RandomForestClassifier' });
    expect(context.gate.min).toEqual({ accuracy: 0.85, f1_macro: 0.85 });
    expect(JSON.parse(context.exampleRequest!).instances[0]).toHaveProperty('petal_width_cm');
  });
  it('names the estimator of each model for the task', async () => {
    const context = templateContext(await resolveAnswers(input({ yes: true, given: { task: 'regression', model: 'linear' } })));
    expect(context.estimator).toBe('Ridge');
    expect(context.models.hist_gradient_boosting!.estimator).toBe('HistGradientBoostingRegressor');
    expect(context.metrics).toEqual(['rmse', 'mae', 'r2']);
    expect(context.primaryMetric).toBe('rmse');
  });
});
