import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import helpers from 'yeoman-test';
import { parse as parseToml } from 'smol-toml';
import { normalizeDistribution } from '../lib/names.js';
import { GENERATOR_PATH } from '../lib/paths.js';
import { ADDONS, ALL_MODELS, CORE_MODEL_NAMES, EXTRA_MODEL_NAMES, type Task } from '../lib/catalog.js';
import { parse as parseYaml } from 'yaml';
import { INSTALLED_DISTRIBUTIONS } from '../lib/python-deps.js';
import { LOCK_FILES } from '../lib/context.js';
import { extraModelList, INSTALLERS, LICENSES, PYTHON_VERSIONS } from '../lib/questions.js';
import { checkCondaEnvironment, checkWellFormed, generate, listFiles, tempDir, writeMixedCsv } from './helpers.js';
import { INSTALLER_FILES, MODEL_BLIND_ADDONS } from './matrix.js';
import { MANIFEST, outputPath } from '../lib/files.js';

const dataDir = tempDir('mlp-data-');
const csvPath = join(dataDir, 'customers.csv');
writeMixedCsv(csvPath);

/** Together these take every choice of every question at least once. */
const PRESETS: Record<string, Record<string, string>> = {
  default: {},
  'wine-hgb-apache-3.10-pip': {
    dataset: 'wine',
    model: 'hist_gradient_boosting',
    extraModels: 'knn,extra_trees',
    license: 'Apache-2.0',
    pythonVersion: '3.10',
    installer: 'pip',
  },
  'breast_cancer-linear-bsd-3.12-uv': {
    dataset: 'breast_cancer',
    model: 'linear',
    license: 'BSD-3-Clause',
    pythonVersion: '3.12',
    installer: 'uv',
  },
  'diabetes-linear-none-3.13': { task: 'regression', model: 'linear', license: 'none', pythonVersion: '3.13' },
  'iris-poetry-docker-ci': { installer: 'poetry', addons: 'docker,ci' },
  'diabetes-conda-3.10-every-addon': {
    task: 'regression',
    installer: 'conda',
    pythonVersion: '3.10',
    addons: 'docker,ci,precommit,docs,mlflow,dvc',
    exports: 'skops,onnx,pmml',
  },
  'diabetes-hgb': { task: 'regression', dataset: 'diabetes', model: 'hist_gradient_boosting' },
  'diabetes-svm': { task: 'regression', dataset: 'diabetes', model: 'svm', extraModels: 'gradient_boosting,decision_tree' },
  'csv-classification': { dataset: 'csv', dataPath: csvPath, target: 'churned' },
  'csv-regression-custom': {
    task: 'regression',
    dataset: 'csv',
    dataPath: csvPath,
    target: 'spend',
    model: 'random_forest',
    projectName: 'spend-forecast',
    moduleName: 'forecast',
    description: 'Forecasts "spend" & <churn>: a test of quoting \\ in every format',
    authorName: "Zoë O'Brien",
    authorEmail: 'zoe@example.com',
  },
};

describe('every preset generates a well-formed project', () => {
  it('covers every choice', () => {
    const used = (key: string) => new Set(Object.values(PRESETS).map((p) => p[key]));
    for (const m of CORE_MODEL_NAMES.filter((m) => m !== 'random_forest')) expect(used('model')).toContain(m);
    // Every extra model is in a preset's project: its model, or one of its --extra-models.
    const extras = new Set(Object.values(PRESETS).flatMap((p) => extraModelList(p.extraModels, p.model)));
    expect([...extras].sort()).toEqual([...EXTRA_MODEL_NAMES].sort());
    for (const l of LICENSES.filter((l) => l !== 'MIT')) expect(used('license')).toContain(l);
    for (const v of PYTHON_VERSIONS.filter((v) => v !== '3.11')) expect(used('pythonVersion')).toContain(v);
    // The default installer depends on the machine (uv when it is on PATH): every choice is named.
    for (const i of INSTALLERS) expect(used('installer')).toContain(i);
  });

  it.each(Object.entries(PRESETS))('%s', async (name, options) => {
    const dir = await generate(options);
    // The base versions are named by their hashes, which change with every template: not in the snapshot.
    const files = listFiles(dir).filter((file) => !file.startsWith('.mlpipeline/base/'));
    expect(files).toMatchSnapshot();
    checkWellFormed(dir);
    const stored = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-mlpipeline'];
    // One base version per distinct generated content, each named by the hash the record holds.
    const bases = listFiles(join(dir, '.mlpipeline', 'base'));
    expect(bases.sort()).toEqual([...new Set(Object.values(stored.generated.files as Record<string, string>))].sort());
    for (const [key, value] of Object.entries(options)) {
      expect(stored[key]).toBe(key === 'dataPath' ? 'data/raw/customers.csv' : value);
    }
    if (options.dataPath) {
      expect(readFileSync(join(dir, 'data/raw/customers.csv'))).toEqual(readFileSync(csvPath));
    }
    if (name === 'default') expect(files).toContain('notebooks/1.0-al-initial-data-exploration.ipynb');
  });
});

describe('generated text', () => {
  it('escapes free text for TOML, YAML and Python', async () => {
    const dir = await generate(PRESETS['csv-regression-custom']!);
    const pyproject = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
    expect(pyproject).toContain('"Forecasts \\"spend\\" & <churn>: a test of quoting \\\\ in every format"');
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toContain("Zoë O'Brien");
    expect(listFiles(dir)).toContain('notebooks/1.0-zo-initial-data-exploration.ipynb');
    expect(listFiles(dir)).toContain('src/forecast/train.py');
  });
});

describe('the exploration notebook', () => {
  it('is stripped, names the project kernel, imports the package and has the header', async () => {
    const dir = await generate(PRESETS['csv-regression-custom']!);
    const nb = JSON.parse(readFileSync(join(dir, 'notebooks/1.0-zo-initial-data-exploration.ipynb'), 'utf8'));
    expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
    expect(nb.metadata.kernelspec).toEqual({ name: 'forecast', display_name: 'Python (spend-forecast)', language: 'python' });
    const cells = nb.cells as Array<{ id: string; cell_type: string; source: string[]; outputs?: unknown[]; execution_count?: unknown }>;
    const ids = cells.map((cell) => cell.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    for (const cell of cells.filter((c) => c.cell_type === 'code')) {
      expect(cell.outputs).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
    const text = (type: string) => cells.filter((c) => c.cell_type === type).map((c) => c.source.join('')).join('\n');
    expect(text('code')).toContain('from forecast.config import load_config\nfrom forecast.data import load_raw\n');
    // Column roles come from the package's own inference, the function training calls.
    expect(text('code')).toContain('from forecast.columns import infer_features\n');
    expect(text('code')).toContain('spec = infer_features(raw, config)');
    const header = cells[0]!.source.join('');
    expect(header).toMatch(/^# 1\.0 /);
    expect(header).toContain("**Author:** Zoë O'Brien <zoe@example.com>");
    expect(header).toContain('**Achievement:**');
    expect(cells.at(-1)!.source.join('')).toMatch(/^## Conclusion/);

    const makefile = readFileSync(join(dir, 'Makefile'), 'utf8');
    expect(makefile).toMatch(/^notebook: .*## /m);
    expect(makefile).toMatch(/^notebook-check: .*## /m);
    expect(makefile).toContain('ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (spend-forecast)"');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('`make notebook`');
    expect(readme).toContain('notebooks/1.0-zo-initial-data-exploration.ipynb');
    const toml = parseToml(readFileSync(join(dir, 'pyproject.toml'), 'utf8')) as {
      project: { 'optional-dependencies': Record<string, string[]> };
    };
    const dev = toml.project['optional-dependencies'].dev!.map((r) => r.split(/[<>=!~;[ ]/)[0]);
    expect(dev).toEqual(expect.arrayContaining(['ipykernel', 'jupyterlab', 'nbconvert']));
  });
});

describe('config/config.yaml', () => {
  it.each<[Task, Record<string, string>]>([
    ['classification', {}],
    ['regression', { task: 'regression', model: 'linear' }],
    ['regression', { task: 'regression', model: 'knn', extraModels: 'svm,decision_tree' }],
  ])('keeps the catalog hyper-parameters of every model (%s), so that switching is a name', async (task, options) => {
    const dir = await generate(options);
    const text = readFileSync(join(dir, 'config/config.yaml'), 'utf8');
    const config = parseYaml(text) as {
      features: Record<string, unknown>;
      model: { name: string; params: Record<string, Record<string, unknown>> };
    };
    // Date-like text is recognised by default, so that it becomes date parts, not categories.
    expect(config.features.dates).toBe('auto');
    expect(config.model.name).toBe(options.model ?? 'random_forest');
    const names = [...CORE_MODEL_NAMES, ...extraModelList(options.extraModels, options.model)];
    expect(Object.keys(config.model.params)).toEqual(names);
    for (const name of names) {
      const info = ALL_MODELS[name];
      const expected = Object.fromEntries(Object.entries(info.params[task]).map(([key, param]) => [key, param.value]));
      expect(config.model.params[name]).toEqual(expected);
      // The comment above each block names this task's estimator and links its documentation.
      const estimator = info.estimator[task];
      expect(text).toContain(`# ${estimator}: https://scikit-learn.org/stable/modules/generated/${info.module}.${estimator}.html\n    ${name}:`);
    }
  });
});

describe('the gate', () => {
  it.each([
    ['default', {}, 'iris'],
    ['csv', PRESETS['csv-classification']!, 'data/raw/customers.csv'],
  ])('records which data its thresholds were set for (%s)', async (_name, options, expected) => {
    const dir = await generate(options);
    const config = parseYaml(readFileSync(join(dir, 'config/config.yaml'), 'utf8')) as {
      data: { source: string; raw_path: string };
      gate: { thresholds_for: string };
    };
    expect(config.gate.thresholds_for).toBe(expected);
    expect([config.data.source, config.data.raw_path]).toContain(expected);
  });
});

describe('exports', () => {
  const dependencies = (dir: string): string[] =>
    (parseToml(readFileSync(join(dir, 'pyproject.toml'), 'utf8')) as { project: { dependencies: string[] } }).project.dependencies.map(
      (requirement) => normalizeDistribution(requirement.split(/[<>=!~;[ ]/)[0]!),
    );
  const EXPORT_FILES = [
    'src/churn/exports.py',
    'src/churn/export_skops.py',
    'src/churn/export_onnx.py',
    'src/churn/onnx_dates.py',
    'src/churn/onnx_model.py',
    'tests/test_export_skops.py',
    'tests/test_export_onnx.py',
  ];

  it('--exports skops,onnx writes their modules, tests, libraries, config and README section', async () => {
    const dir = await generate({ ...PRESETS['csv-classification']!, moduleName: 'churn', exports: 'skops,onnx' });
    expect(listFiles(dir)).toEqual(expect.arrayContaining(EXPORT_FILES));
    checkWellFormed(dir);
    expect(dependencies(dir)).toEqual(expect.arrayContaining(['skops', 'skl2onnx', 'onnx', 'onnxruntime']));
    const config = parseYaml(readFileSync(join(dir, 'config/config.yaml'), 'utf8')) as {
      exports: string[];
      serve: { backend: string };
    };
    expect(config.exports).toEqual(['skops', 'onnx']);
    expect(config.serve.backend).toBe('joblib');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('## Exports');
    expect(readme).toContain('**skops** (`model.skops`)');
    expect(readme).toContain('**ONNX** (`model.onnx`');
    expect(readme).toContain('`serve.backend`');
  });

  it('by default writes no export module, test or library', async () => {
    const dir = await generate({ moduleName: 'churn' });
    const files = listFiles(dir);
    expect(files).toContain('src/churn/exports.py');
    for (const file of EXPORT_FILES.slice(1)) expect(files).not.toContain(file);
    for (const name of ['skops', 'skl2onnx', 'onnx', 'onnxruntime', 'protobuf']) expect(dependencies(dir)).not.toContain(name);
    expect(parseYaml(readFileSync(join(dir, 'config/config.yaml'), 'utf8')).exports).toEqual([]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('This project exports none');
  });
});

describe('the PMML export', () => {
  const requirementsOf = (dir: string) => {
    const toml = parseToml(readFileSync(join(dir, 'pyproject.toml'), 'utf8')) as {
      project: { dependencies: string[]; 'optional-dependencies': Record<string, string[]> };
    };
    return { runtime: toml.project.dependencies, dev: toml.project['optional-dependencies'].dev! };
  };

  it('with --exports pmml: the exporter, its test, sklearn2pmml and an evaluator, and the README section', async () => {
    const dir = await generate({ exports: 'pmml' });
    checkWellFormed(dir);
    const files = listFiles(dir);
    expect(files).toContain('src/project/export_pmml.py');
    expect(files).toContain('tests/test_export_pmml.py');
    const config = parseYaml(readFileSync(join(dir, 'config/config.yaml'), 'utf8')) as { exports: string[] };
    expect(config.exports).toEqual(['pmml']);
    const { runtime, dev } = requirementsOf(dir);
    expect(runtime).toContain('sklearn2pmml>=0.133.1');
    // sklearn2pmml refuses scikit-learn versions newer than it knows: the project bounds it.
    expect(runtime.filter((r) => r.startsWith('scikit-learn'))).toEqual(['scikit-learn>=1.4,<=1.9.0']);
    expect(dev).toContain('jpmml_evaluator>=0.16');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('**PMML** (`model.pmml`'), readme.indexOf('## Serving'));
    for (const phrase of ['model.pmml', 'AGPL-3.0', 'Java 11', 'features.drop', 'tests/test_export_pmml.py']) {
      expect(section).toContain(phrase);
    }
    const conftest = readFileSync(join(dir, 'tests/conftest.py'), 'utf8');
    expect(conftest).toContain('shutil.which("java")');
  });

  it.each([
    ['none', {}],
    ['other formats', { exports: 'skops,onnx' }],
  ])('is absent without pmml (%s): no file, dependency, test or README section', async (_, answers) => {
    const dir = await generate(answers);
    const files = listFiles(dir);
    expect(files.filter((file) => file.includes('pmml'))).toEqual([]);
    const { runtime, dev } = requirementsOf(dir);
    expect([...runtime, ...dev].filter((r) => /pmml/i.test(r))).toEqual([]);
    expect(runtime).toContain('scikit-learn>=1.4');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).not.toContain('**PMML**');
    expect(readFileSync(join(dir, 'tests/conftest.py'), 'utf8')).not.toContain('java');
  });
});

describe('dependencies', () => {
  it.each([
    ['default', {}],
    ['every export', { exports: 'skops,onnx,pmml' }],
  ])('lists every distribution the project installs among the names a project may not take (%s)', async (_, answers) => {
    const dir = await generate(answers);
    const toml = parseToml(readFileSync(join(dir, 'pyproject.toml'), 'utf8')) as {
      project: { dependencies: string[]; 'optional-dependencies': Record<string, string[]> };
      'build-system': { requires: string[] };
    };
    const requirements = [
      ...toml.project.dependencies,
      ...Object.values(toml.project['optional-dependencies']).flat(),
      ...toml['build-system'].requires,
    ];
    expect(requirements.length).toBeGreaterThan(10);
    for (const requirement of requirements) {
      expect(INSTALLED_DISTRIBUTIONS).toContain(normalizeDistribution(requirement.split(/[<>=!~;[ ]/)[0]!));
    }
  });
});

describe('environment.yml (installer conda)', () => {
  it.each([
    ['default', {}],
    ['Python 3.10, every add-on and export', { pythonVersion: '3.10', addons: 'docker,ci,precommit,docs,mlflow,dvc', exports: 'skops,onnx,pmml' }],
    ['regression, Python 3.13', { task: 'regression', pythonVersion: '3.13', projectName: 'spend-forecast' }],
  ])('lists the same dependencies as pyproject.toml, for conda-forge or pip (%s)', async (_, answers: Record<string, string>) => {
    const dir = await generate({ ...answers, installer: 'conda' });
    checkCondaEnvironment(dir, answers.pythonVersion ?? '3.11');
  });
});

/** Runs make in a project without an inherited PYTHON or V; stderr without make's own "***" lines. */
function make(dir: string, ...args: string[]) {
  const env = { ...process.env };
  delete env.PYTHON;
  delete env.V;
  const run = spawnSync('make', args, { cwd: dir, env, encoding: 'utf8' });
  const errors = run.stderr.split('\n').filter((line) => line && !/^make(\[\d+\])?: \*\*\*/.test(line));
  return { status: run.status, stdout: run.stdout, errors };
}

/** Sets requires-python in a generated project's pyproject.toml. */
function requirePython(dir: string, spec: string): void {
  const path = join(dir, 'pyproject.toml');
  writeFileSync(path, readFileSync(path, 'utf8').replace(/^requires-python = .*$/m, `requires-python = "${spec}"`));
}

describe('make install', () => {
  it.each(INSTALLERS.filter((i) => i !== 'conda'))('installs with %s from its lock, and `make lock` re-resolves it', async (installer) => {
    const dir = await generate({ installer });
    const makefile = readFileSync(join(dir, 'Makefile'), 'utf8');
    const lock = LOCK_FILES[installer];
    expect(makefile).toContain(`LOCK := ${lock}`);
    if (installer === 'uv') expect(makefile).toMatch(/\$\(UV\) sync --locked/);
    else expect(makefile).not.toContain('$(UV)');
    if (installer === 'poetry') {
      expect(makefile).toMatch(/\$\(POETRY\) sync --extras dev/);
      // Poetry 2 reads [project]; its environment is the project's .venv, for make and for `poetry run`.
      const pyproject = parseToml(readFileSync(join(dir, 'pyproject.toml'), 'utf8')) as { tool: { poetry?: Record<string, string> } };
      expect(pyproject.tool.poetry).toEqual({ 'requires-poetry': '>=2.0' });
      expect(parseToml(readFileSync(join(dir, 'poetry.toml'), 'utf8'))).toEqual({ virtualenvs: { 'in-project': true } });
    } else {
      expect(makefile).not.toContain('$(POETRY)');
      expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).not.toContain('[tool.poetry]');
      expect(existsSync(join(dir, 'poetry.toml'))).toBe(false);
    }
    expect(make(dir, 'help').stdout).toMatch(/^ {2}lock +Re-resolve/m);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(`| \`make lock\` | re-resolve the dependencies to the newest versions \`pyproject.toml\` allows, rewrite \`${lock}\``);
    expect(readme).toMatch(new RegExp(`^${lock.replace('.', '\\.')} +the exact version of every dependency`, 'm'));
  });

  it('names the Python it needs, in one line, when none on PATH satisfies requires-python', async () => {
    const dir = await generate({});
    requirePython(dir, '>=3.99');
    const result = make(dir, 'install');
    expect(result.status).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^make install: this project needs Python 3\.99\+ and found none on PATH \(tried python3 python3\.13 .* python3\.10\): make install PYTHON=\/path\/to\/python3\.99$/);
    expect(existsSync(join(dir, '.venv'))).toBe(false);
  });

  it('refuses a PYTHON that is too old or does not run, in one line', async () => {
    const dir = await generate({});
    requirePython(dir, '>=3.99');
    const old = make(dir, 'install', 'PYTHON=python3');
    expect(old.status).not.toBe(0);
    expect(old.errors).toHaveLength(1);
    expect(old.errors[0]).toMatch(/^make install: PYTHON=python3 is Python 3\.\d+, and this project needs 3\.99\+: make install PYTHON=/);
    const missing = make(dir, 'install', 'PYTHON=/nonexistent/python3');
    expect(missing.status).not.toBe(0);
    expect(missing.errors).toEqual([
      'make install: PYTHON=/nonexistent/python3 does not run (this project needs Python 3.99+): make install PYTHON=/path/to/python3.99',
    ]);
    expect(existsSync(join(dir, '.venv'))).toBe(false);
  });

  it('with conda, makes .venv a conda environment from environment.yml, and has no lock', async () => {
    const dir = await generate({ installer: 'conda' });
    const makefile = readFileSync(join(dir, 'Makefile'), 'utf8');
    expect(makefile).toContain('LOCK := environment.yml');
    expect(makefile).toContain('$(CONDA) env create --prefix $(VENV) --file $(LOCK)');
    expect(makefile).toContain('$(CONDA) env update --prefix $(VENV) --file $(LOCK) --prune');
    const lock = make(dir, 'lock');
    expect(lock.status).not.toBe(0);
    expect(lock.errors).toEqual([
      'make lock: this project has no lock (conda): environment.yml lists version ranges, as pyproject.toml does, and make install makes .venv from it',
    ]);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('checks `environment.yml` and\nthe Makefile statically only');
    expect(readme).not.toContain('make lock KEEP=1');
  });

  it('with conda, creates the environment once, updates it when environment.yml changes (a stand-in conda)', async () => {
    const dir = await generate({ installer: 'conda' });
    requirePython(dir, '>=3.10');
    // conda is not installed here: a stand-in records its arguments and makes the prefix it is given.
    const calls = join(dir, 'build', 'conda-calls');
    const fake = join(tempDir('mlp-fake-conda-'), 'conda');
    writeFileSync(
      fake,
      '#!/bin/sh\n' +
        `echo "$*" >> ${JSON.stringify(calls)}\n` +
        'while [ $# -gt 0 ]; do [ "$1" = --prefix ] && prefix=$2; shift; done\n' +
        'mkdir -p "$prefix/conda-meta" "$prefix/bin"\n',
      { mode: 0o755 },
    );
    const first = make(dir, 'install', `CONDA=${fake}`);
    expect(first.errors).toEqual([]);
    expect(first.stdout).toMatch(/^Installing project into \.venv from environment\.yml with conda and Python 3\.11\nInstalled in \d+\.\d s\.\n$/);
    expect(make(dir, 'install', `CONDA=${fake}`).stdout).toBe('');
    // environment.yml newer than the finished install, as after an edit.
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(join(dir, '.venv', '.installed'), earlier, earlier);
    expect(make(dir, 'install', `CONDA=${fake}`).errors).toEqual([]);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
      'env create --prefix .venv --file environment.yml',
      'env update --prefix .venv --file environment.yml --prune',
    ]);
  });

  it.each([
    ['poetry', 'POETRY', /^make install: poetry is not on PATH: install Poetry 2 \(uv tool install poetry, or python3 -m pip install --user poetry\)/],
    ['conda', 'CONDA', /^make install: conda is not on PATH: install Miniforge \(https:\/\/conda-forge\.org\/download\/\) or pass CONDA=/],
  ])('says how to get %s when it is missing', async (installer, variable, message) => {
    const dir = await generate({ installer });
    requirePython(dir, '>=3.10');
    const result = make(dir, 'install', `${variable}=/nonexistent/${installer}`);
    expect(result.status).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
    expect(existsSync(join(dir, '.venv'))).toBe(false);
  });

  it('says how to get uv when it is missing', async () => {
    const dir = await generate({ installer: 'uv' });
    requirePython(dir, '>=3.10');
    const result = make(dir, 'install', 'UV=/nonexistent/uv');
    expect(result.status).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^make install: uv is not on PATH: install it \(python3 -m pip install --user uv/);
  });
});

describe('yo mlpipeline --help', () => {
  it('is the CLI help, wrapped, without the Yeoman flags that do nothing here', async () => {
    const env = await helpers.createEnv({});
    env.register(GENERATOR_PATH, { namespace: 'mlpipeline:app' });
    const generator = (await env.create('mlpipeline:app', { generatorArgs: [], generatorOptions: { help: true } })) as unknown as {
      help: () => string;
    };
    const text = generator.help();
    expect(text).toContain('Usage: yo mlpipeline [directory] [options]');
    expect(text).not.toContain('--skip-cache');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
  });
});

describe('prompts', () => {
  it('asks the main questions, then the advanced ones only after "customize"', async () => {
    const answers = {
      projectName: 'asked',
      task: 'regression',
      dataset: 'diabetes',
      model: 'linear',
      description: 'Asked for',
      moduleName: 'asked_mod',
      authorName: 'Grace Hopper',
      authorEmail: 'grace@example.com',
      license: 'Apache-2.0',
      pythonVersion: '3.12',
      installer: 'pip',
    };
    const result = await helpers
      .run(GENERATOR_PATH, { namespace: 'mlpipeline:app' })
      .withArguments(['--skip-install', '--skip-git'])
      .withOptions({ interactive: true } as never)
      .withAnswers({ ...answers, exports: ['skops', 'onnx'], addons: [], customize: true });
    // yeoman-test runs in an empty folder: the project is written right there.
    const { generated, ...stored } = JSON.parse(readFileSync(join(result.cwd, '.yo-rc.json'), 'utf8'))['generator-mlpipeline'];
    // The export formats ticked in the checkbox are stored as one comma-separated answer.
    // Nothing ticked is stored as none.
    // --features is never asked: it takes its default, none.
    expect(stored).toEqual({ ...answers, exports: 'skops,onnx', addons: 'none', extraModels: 'none', features: 'none' });
    expect(Object.keys(generated.files)).toContain('src/asked_mod/train.py');
    expect(readFileSync(join(result.cwd, 'LICENSE'), 'utf8')).toContain('Apache License');
  });
});

describe('the docs, mlflow and dvc add-ons', () => {
  const DEV_DEPENDENCIES = { docs: ['mkdocs', 'mkdocs-material', 'neoteroi-mkdocs'], mlflow: ['mlflow'], dvc: ['dvc'] };
  const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
  const copies: string[] = [];
  const snapshot = (dir: string) => {
    const copy = tempDir('mlp-addons2-');
    cpSync(dir, copy, { recursive: true });
    copies.push(copy);
    return copy;
  };
  afterAll(() => copies.forEach((copy) => rmSync(copy, { recursive: true, force: true })));
  const devExtra = (dir: string) =>
    (parseToml(read(dir, 'pyproject.toml')) as { project: { 'optional-dependencies': { dev: string[] } } }).project[
      'optional-dependencies'
    ].dev.map((spec) => normalizeDistribution(spec.split(/[<>=;\s[]/)[0]!));

  // Their files, README sections and make targets: test/addons.test.ts. Here: what they change elsewhere.
  it('add their dependencies, settings and entries to the shared files only when chosen', async () => {
    // yeoman-test removes a run's folder when the next run starts: each project is copied aside.
    const none = snapshot(await generate({}));
    const all = snapshot(await generate({ addons: 'docs,mlflow,dvc' }));
    for (const names of Object.values(DEV_DEPENDENCIES)) {
      for (const name of names) {
        expect(devExtra(none)).not.toContain(name);
        expect(devExtra(all)).toContain(name);
      }
    }
    expect(read(all, 'Makefile')).toMatch(/^docs-serve: .*## /m);
    // The README's table of the package's modules names the add-ons' modules.
    for (const module of ['docs_site.py', 'tracking.py']) {
      expect(read(none, 'README.md'), module).not.toContain(`| \`${module}\` |`);
      expect(read(all, 'README.md'), module).toContain(`| \`${module}\` |`);
    }
    expect(read(all, '.gitignore')).toMatch(/^\/mlruns\/$/m);
    expect(read(all, '.gitignore')).toMatch(/^\/site\/$/m);
    expect(read(none, '.gitignore')).not.toMatch(/mlruns|\/site\//);
    // MLflow is on in the config only with the add-on; the package's config defaults it off.
    expect(parseYaml(read(all, 'config/config.yaml')).mlflow).toEqual({
      enabled: true,
      experiment: 'project',
      tracking_uri: 'mlruns',
    });
    expect(parseYaml(read(none, 'config/config.yaml')).mlflow).toBeUndefined();
    // The site's generated pages are a plugin that mkdocs.yml names through an entry point.
    const pyproject = parseToml(read(all, 'pyproject.toml')) as { project: { 'entry-points'?: Record<string, Record<string, string>> } };
    expect(pyproject.project['entry-points']?.['mkdocs.plugins']).toEqual({ 'project-pages': 'project.docs_site:ProjectPages' });
    expect(parseYaml(read(all, 'mkdocs.yml')).plugins).toEqual(['search', 'project-pages']);
    const nav = parseYaml(read(all, 'mkdocs.yml')).nav as Array<Record<string, string>>;
    expect(nav.map((entry) => Object.values(entry)[0])).toEqual(['index.md', 'data.md', 'model-card.md', 'api.md']);
  });

  it('declare DVC stages data -> train -> evaluate whose parameters are keys of config/config.yaml', async () => {
    const variants: Array<Record<string, string>> = [
      { addons: 'dvc' },
      { addons: 'dvc', dataset: 'csv', dataPath: csvPath, target: 'churned', installer: 'pip' },
    ];
    for (const options of variants) {
      const dir = await generate(options);
      const pipeline = parseYaml(read(dir, 'dvc.yaml')) as {
        stages: Record<string, { cmd: string; deps: string[]; params: Array<Record<string, string[]>>; outs?: unknown[] }>;
      };
      expect(Object.keys(pipeline.stages)).toEqual(['data', 'train', 'evaluate']);
      const { data, train, evaluate } = pipeline.stages;
      expect(data!.cmd).toBe('project data');
      expect(train!.cmd).toBe('project train --version-file ${paths.models_dir}/trained.json');
      expect(evaluate!.deps).toContain('${paths.models_dir}/trained.json');
      expect(train!.deps).toContain(options.installer === 'pip' ? 'requirements.lock' : 'uv.lock');
      // The user's file is an input; the bundled sample is written by the data stage.
      if (options.dataPath) expect(data!.deps).toContain('${data.raw_path}');
      else expect(JSON.stringify(data!.outs)).toContain('${data.raw_path}');
      const config = parseYaml(read(dir, 'config/config.yaml'));
      // Paths are read from config/config.yaml (vars), so they are written in one place.
      for (const [, name] of read(dir, 'dvc.yaml').matchAll(/\$\{([a-z_.]+)\}/g)) {
        const value = name!.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], config);
        expect(typeof value, `\${${name}} in config/config.yaml`).toBe('string');
      }
      for (const stage of Object.values(pipeline.stages)) {
        for (const key of stage.params[0]!['config/config.yaml']!) {
          const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], config);
          expect(value, `${key} in config/config.yaml`).toBeDefined();
        }
      }
    }
  });
});

describe('yo mlpipeline in a project', () => {
  it('merges an edit with the new version, and ends in an error naming a file left with conflicts', async () => {
    // yeoman-test removes the folder of one run when the next starts: the project is moved out of it.
    const dir = join(tempDir(), 'project');
    cpSync(await generate({}), dir, { recursive: true });
    const config = join(dir, 'config', 'config.yaml');
    const rerun = (...args: string[]) =>
      helpers
        .run(GENERATOR_PATH, { namespace: 'mlpipeline:app' })
        .cd(dir)
        .withArguments([...args, '--skip-install', '--skip-git'])
        .withOptions({ interactive: false } as never);
    writeFileSync(config, `${readFileSync(config, 'utf8')}# mine\n`);
    await rerun('--model', 'linear');
    expect(readFileSync(config, 'utf8')).toMatch(/name: linear\n[\s\S]*# mine\n$/);
    writeFileSync(config, readFileSync(config, 'utf8').replace('name: linear', 'name: linear  # ours'));
    const before = readFileSync(config, 'utf8');
    await expect(rerun('update', '--dry-run', '--model', 'x')).rejects.toThrow(/keeps the stored answers, so it takes no --model/);
    await expect(rerun('--model', 'random_forest', '--dry-run')).rejects.toThrow(/would stop or leave conflicts/);
    expect(readFileSync(config, 'utf8')).toBe(before);
    await expect(rerun('--model', 'random_forest')).rejects.toThrow(/change the same lines in this file:\n {2}config\/config\.yaml \(1 conflict\)/);
    expect(readFileSync(config, 'utf8')).toContain('<<<<<<< yours\n  name: linear  # ours\n=======\n  name: random_forest\n>>>>>>>');
  });
});

describe("what the option matrix's INDEPENDENT declarations rest on", () => {
  const everything = { addons: ADDONS.join(','), exports: 'skops,onnx,pmml', extraModels: EXTRA_MODEL_NAMES.join(',') };
  /** The files of b that are missing from a or differ from a's, and a's missing from b. */
  const differing = (a: string, b: string): string[] => {
    const [left, right] = [listFiles(a), listFiles(b)];
    const both = [...new Set([...left, ...right])];
    return both.filter((file) => !left.includes(file) || !right.includes(file) || !readFileSync(join(a, file)).equals(readFileSync(join(b, file))));
  };
  const stored = (file: string) => file === '.yo-rc.json' || file.startsWith('.mlpipeline/base/');
  // yeoman-test removes a run's directory at the next run: each project is kept in a folder of the test's.
  const kept = tempDir('mlp-independent-');
  const keep = async (answers: Record<string, string>, name: string): Promise<string> => {
    cpSync(await generate(answers), join(kept, name), { recursive: true });
    return join(kept, name);
  };

  it("projects that differ only in installer differ only in the installer's files", async () => {
    // One at a time: a yeoman-test run changes the process's working directory.
    const projects: string[] = [];
    for (const installer of INSTALLERS) projects.push(await keep({ ...everything, installer }, installer));
    const [first, ...others] = projects;
    const changed = new Set<string>();
    for (const other of others) {
      const files = differing(first!, other).filter((file) => !stored(file));
      expect(files.filter((file) => !INSTALLER_FILES.includes(file)), `${first} against ${other}`).toEqual([]);
      for (const file of files) changed.add(file);
    }
    // The list is no wider than what the installers change.
    expect([...changed].sort()).toEqual([...INSTALLER_FILES].sort());
  });

  it('the docker, ci and precommit add-ons write the same files whichever model is chosen', async () => {
    const models = ['linear', 'svm', 'knn'];
    const projects: string[] = [];
    for (const model of models) projects.push(await keep({ ...everything, exports: 'none', model }, model));
    // The add-ons' files, by the manifest (none of them has a module or initials in its path).
    const addonFiles = MANIFEST.filter((section) => MODEL_BLIND_ADDONS.some((addon) => addon === section.addon)).flatMap((section) =>
      section.files.map((file) => outputPath(join(section.folder, typeof file === 'string' ? file : file.template), { moduleName: '', initials: '' })),
    );
    expect(addonFiles.length).toBeGreaterThanOrEqual(MODEL_BLIND_ADDONS.length);
    for (const project of projects.slice(1)) {
      for (const file of addonFiles) expect(readFileSync(join(project, file), 'utf8'), file).toBe(readFileSync(join(projects[0]!, file), 'utf8'));
    }
  });
});
