/**
 * What templates see: the answers plus every value derived from them, computed here rather than in EJS,
 * so that templates stay readable as the files they produce.
 */
import { basename } from 'node:path';
import {
  ADDONS,
  ALL_MODELS,
  BUNDLED_DATASETS,
  CORE_MODEL_NAMES,
  EXTRA_MODEL_NAMES,
  METRICS,
  OWN_DATA,
  TASK_INFO,
  POETRY_VERSION,
  UV_VERSION,
  type AddonName,
  type Gate,
  type ModelInfo,
  type ModelName,
  type ParamInfo,
  type Task,
  TASKS,
} from './catalog.js';
import { condaEnvironment, type CondaEnvironment } from './conda.js';
import { featureClassName, initialsOf } from './names.js';
import { addonList, exportFormats, extraModelList, featureList, NO_PMML, PYTHON_VERSIONS, type Answers, type ExportFormat, type Installer } from './questions.js';

/**
 * The file `make install` installs from: a lock the first install writes (uv, pip, poetry), or for conda
 * environment.yml, which the generator writes (conda has no lock here).
 */
export const LOCK_FILES: Readonly<Record<Installer, string>> = {
  uv: 'uv.lock',
  pip: 'requirements.lock',
  poetry: 'poetry.lock',
  conda: 'environment.yml',
};

export interface TemplateContext extends Answers {
  target: string;
  dataFile: string;
  pythonVersionNodot: string;
  /** The versioned interpreters `make install` looks for on PATH, newest first: "python3.13 ... python3.10". */
  pythonCommands: string;
  /** What `make install` installs from (LOCK_FILES): uv.lock, requirements.lock, poetry.lock or environment.yml. */
  lockFile: string;
  /** Whether lockFile is a lock that `make install` writes and `make lock` refreshes (all but conda). */
  hasLock: boolean;
  /** The distribution name as wheel file names spell it (PEP 427): my-project -> my_project. */
  wheelName: string;
  initials: string;
  year: number;
  /** The scikit-learn estimator class of the chosen model, for this task. */
  estimator: string;
  /**
   * The project's models (every project's, then its extra ones), for this task: its estimator class, the
   * URL of that class's scikit-learn page, and the hyper-parameters config/config.yaml starts with (each
   * value already written as YAML).
   */
  models: Partial<Record<ModelName, ModelContext>>;
  /** The extra models the project has (--extra-models, `mlpipeline model`, or an extra --model), catalog order. */
  extraModelList: ModelName[];
  /** The catalog's extra models the project does not have yet (`mlpipeline model <name>` adds one). */
  addableModels: ModelName[];
  /** estimators.py: the project's models per task, with their estimator classes. */
  registry: Record<Task, Array<{ name: ModelName; estimator: string }>>;
  /** estimators.py: the imports of those classes, one statement each, formatted as `ruff format` writes them. */
  estimatorImports: string[];
  /** estimators.py: the models whose numeric features are standardized (NEEDS_SCALING). */
  scaledModels: ModelName[];
  /** test_export_pmml.py: the models the generator refuses with the PMML export, per task (NO_PMML). */
  noPmml: Record<Task, string[]>;
  /** The metrics of this task, in a fixed order; the gate's primary metric. */
  metrics: string[];
  primaryMetric: string;
  /** The gate thresholds the bundled sample passes; empty for the user's own data. */
  gate: Gate;
  /** What the gate's thresholds were chosen for (config gate.thresholds_for): a sample's name, or the file. */
  gateFor: string;
  /**
   * The body of a POST /predict with one row (a bundled sample's, or the first row of the user's file),
   * quoted for a shell's single quotes (the README's curl example); undefined when no row is known.
   */
  exampleRequest?: string;
  /** The chosen export formats, in a fixed order (skops, onnx, pmml); empty for none. */
  exportList: ExportFormat[];
  exportSkops: boolean;
  exportOnnx: boolean;
  exportPmml: boolean;
  /** The uv release the Dockerfile and the CI workflow install with. */
  uvVersion: string;
  /** The Poetry release the Dockerfile and the CI workflow install with. */
  poetryVersion: string;
  /** environment.yml's conda and pip sections, from the rendered pyproject.toml's text. */
  condaEnvironment: (pyprojectToml: string) => CondaEnvironment;
  /** The chosen add-ons, in ADDONS order; empty for none. */
  addonList: AddonName[];
  /** Whether each add-on is chosen: `addon.docker` in templates. */
  addon: Record<AddonName, boolean>;
  /** The custom feature transformers (`mlpipeline feature NAME`), in the order they were added. */
  customFeatures: CustomFeature[];
  /** A string literal valid in TOML, YAML, JSON and Python. */
  q: (value: unknown) => string;
  /** A word for a POSIX shell: single-quoted, so nothing in it is expanded. */
  shellQuote: (value: string) => string;
}

/** A custom feature: its name (module, config key) and its class. */
export interface CustomFeature {
  name: string;
  className: string;
}

export interface ModelContext {
  estimator: string;
  docs: string;
  /** `setting` is `name: value`, padded so that the help comments of all models line up. */
  params: Array<{ name: string; yaml: string; setting: string; help: string }>;
}

export interface ContextFacts {
  now?: Date;
  /** The first row of the user's data, without the target (see data-file.ts). */
  exampleInstance?: Record<string, unknown>;
}

export function templateContext(answers: Answers, facts: ContextFacts = {}): TemplateContext {
  const own = answers.dataset === OWN_DATA;
  const bundled = own ? undefined : BUNDLED_DATASETS[answers.dataset as keyof typeof BUNDLED_DATASETS];
  const instance = facts.exampleInstance ?? bundled?.example;
  const body = instance && JSON.stringify({ instances: [instance] });
  const dataFile = own ? basename(answers.dataPath as string) : `${answers.dataset}.csv`;
  const extras = extraModelList(answers.extraModels, answers.model);
  const names: ModelName[] = [...CORE_MODEL_NAMES, ...extras];
  const models = Object.fromEntries(names.map((name) => [name, modelContext(ALL_MODELS[name], answers.task)]));
  alignSettings(Object.values(models));
  const exportList = exportFormats(answers.exports);
  const chosenAddons = addonList(answers.addons);
  return {
    ...answers,
    target: own ? (answers.target as string) : 'target',
    dataFile,
    pythonVersionNodot: answers.pythonVersion.replace('.', ''),
    pythonCommands: [...PYTHON_VERSIONS].reverse().map((v) => `python${v}`).join(' '),
    lockFile: LOCK_FILES[answers.installer],
    hasLock: answers.installer !== 'conda',
    wheelName: answers.projectName.replace(/[-_.]+/g, '_').toLowerCase(),
    initials: initialsOf(answers.authorName),
    year: (facts.now ?? new Date()).getUTCFullYear(),
    estimator: models[answers.model]!.estimator,
    models,
    extraModelList: extras,
    addableModels: EXTRA_MODEL_NAMES.filter((name) => !extras.includes(name)),
    registry: Object.fromEntries(
      TASKS.map((task) => [task, names.map((name) => ({ name, estimator: ALL_MODELS[name].estimator[task] }))]),
    ) as TemplateContext['registry'],
    estimatorImports: estimatorImports(names),
    scaledModels: names.filter((name) => ALL_MODELS[name].scaled),
    noPmml: Object.fromEntries(TASKS.map((task) => [task, Object.keys(NO_PMML[task])])) as TemplateContext['noPmml'],
    metrics: Object.keys(METRICS[answers.task]),
    primaryMetric: TASK_INFO[answers.task].primaryMetric,
    gate: bundled ? { min: { ...bundled.gate.min }, max: { ...bundled.gate.max } } : { min: {}, max: {} },
    gateFor: own ? `data/raw/${dataFile}` : answers.dataset,
    exampleRequest: body?.replace(/'/g, `'\\''`),
    exportList,
    exportSkops: exportList.includes('skops'),
    exportOnnx: exportList.includes('onnx'),
    exportPmml: exportList.includes('pmml'),
    uvVersion: UV_VERSION,
    poetryVersion: POETRY_VERSION,
    condaEnvironment,
    addonList: chosenAddons,
    addon: Object.fromEntries(ADDONS.map((name) => [name, chosenAddons.includes(name)])) as Record<AddonName, boolean>,
    customFeatures: featureList(answers.features).map((name) => ({ name, className: featureClassName(name) })),
    q: (value) => JSON.stringify(value),
    shellQuote: (value) => `'${value.replace(/'/g, `'\\''`)}'`,
  };
}

/**
 * What the chosen installer cannot do as well as uv, pip and Poetry, one line each, said at generation
 * time: for the installer itself, then for each chosen add-on it touches.
 */
const INSTALLER_CAVEATS: Partial<Record<Installer, { installer: string; addons: Partial<Record<AddonName, string>> }>> = {
  conda: {
    installer:
      'conda: environment.yml and the Makefile\'s conda targets are checked statically only (generator-mlpipeline is ' +
      'not tested with a real conda); environment.yml has no lock.',
    addons: {
      docker: 'docker with conda: the image installs with pip from pyproject.toml (no lock, no conda), so its versions may differ from .venv\'s.',
      ci: 'ci with conda: the workflow sets conda up with conda-incubator/setup-miniconda, untested like the rest of the conda installer.',
    },
  },
};

/** The lines of INSTALLER_CAVEATS that apply to this project. */
export function installerCaveats(ctx: Pick<TemplateContext, 'installer' | 'addonList'>): string[] {
  const caveats = INSTALLER_CAVEATS[ctx.installer];
  if (!caveats) return [];
  return [caveats.installer, ...ctx.addonList.flatMap((name) => caveats.addons[name] ?? [])];
}

function modelContext(info: ModelInfo, task: Task): ModelContext {
  const estimator = info.estimator[task];
  const params = Object.entries(info.params[task] as Record<string, ParamInfo>).map(([name, param]) => ({
    name,
    yaml: yamlNumber(param),
    setting: `${name}: ${yamlNumber(param)}`,
    help: param.help,
  }));
  return { estimator, docs: `https://scikit-learn.org/stable/modules/generated/${info.module}.${estimator}.html`, params };
}

/**
 * `from <module> import <classes>` for the estimators of `names` (both tasks), as ruff writes them:
 * modules sorted, all-caps names (SVC) before CamelCase ones, a statement over 100 characters split
 * one name a line. Unit-tested, and `make lint` (ruff check, ruff format --check) checks the output.
 */
export function estimatorImports(names: readonly ModelName[]): string[] {
  const byModule = new Map<string, Set<string>>();
  for (const name of names) {
    const info = ALL_MODELS[name];
    const classes = byModule.get(info.module) ?? new Set<string>();
    for (const task of TASKS) classes.add(info.estimator[task]);
    byModule.set(info.module, classes);
  }
  const constant = (name: string): boolean => /^[A-Z0-9_]+$/.test(name);
  const order = (a: string, b: string): number => Number(constant(b)) - Number(constant(a)) || (a < b ? -1 : a > b ? 1 : 0);
  return [...byModule.keys()].sort().map((module) => {
    const classes = [...byModule.get(module)!].sort(order);
    const line = `from ${module} import ${classes.join(', ')}`;
    return line.length <= 100 ? line : `from ${module} import (\n${classes.map((c) => `    ${c},\n`).join('')})`;
  });
}

/** A default as YAML: null, a string, a boolean, an integer, or a float that reads as one (1.0 rather than 1). */
function yamlNumber({ value, float }: ParamInfo): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const plain = /^[a-z_]+$/.test(value) && !['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null'].includes(value);
    return plain ? value : JSON.stringify(value);
  }
  if (typeof value === 'boolean') return String(value);
  return float && Number.isInteger(value) ? value.toFixed(1) : String(value);
}

function alignSettings(models: ModelContext[]): void {
  const params = models.flatMap((model) => model.params);
  const width = Math.max(...params.map((param) => param.setting.length));
  for (const param of params) param.setting = param.setting.padEnd(width);
}
