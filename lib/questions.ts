/**
 * THE question table. Each row is at once an interactive prompt, a kebab-case CLI flag, a key stored in
 * `.yo-rc.json`, a key accepted by `--answers FILE.json`, a line of `--help` and a line of
 * `docs/options.md`. Nothing else in the code base lists questions: to add an option, add a row here,
 * its files in `files.ts` and its templates. What the choices name (datasets, models) is in catalog.ts.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADDON_INFO,
  ADDONS,
  ALL_DATASETS,
  BUNDLED_DATASETS,
  ALL_MODELS,
  CORE_MODEL_NAMES,
  datasetsFor,
  EXTRA_MODEL_NAMES,
  MODEL_NAMES,
  OWN_DATA,
  OWN_DATA_DESCRIPTION,
  TASK_INFO,
  TASKS,
  type AddonName,
  type ExtraModelName,
  type ModelName,
  type Task,
} from './catalog.js';
import { checkDataFile, prepareDataFile, readColumns, targetProblem } from './data-file.js';
import {
  featureClassName,
  moduleNameFor,
  projectNameFor,
  validateAuthorName,
  validateEmail,
  validateFeatureName,
  validateModuleName,
  validateProjectName,
} from './names.js';
import { TEMPLATES_DIR } from './paths.js';

export { TASKS, type Task } from './catalog.js';
export const LICENSES = ['MIT', 'BSD-3-Clause', 'Apache-2.0', 'none'] as const;
export const PYTHON_VERSIONS = ['3.10', '3.11', '3.12', '3.13'] as const;
export const INSTALLERS = ['uv', 'pip', 'poetry', 'conda'] as const;
export const DATA_EXTENSIONS = ['.csv', '.parquet'] as const;
/** Formats a trained model can be exported to, beside its model.joblib (any of them, or none). */
export const EXPORT_FORMATS = ['skops', 'onnx', 'pmml'] as const;
/** A checkbox answer naming no choice. */
export const NONE = 'none';

export type Dataset = string;
export type Model = ModelName;
export type License = (typeof LICENSES)[number];
export type Installer = (typeof INSTALLERS)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const LICENSE_INFO: Record<License, string> = {
  MIT: 'permissive, short: anyone may use the code, keeping the notice',
  'BSD-3-Clause': 'permissive, like MIT, and forbids using your name to endorse derived work',
  'Apache-2.0': 'permissive, with an explicit patent grant',
  none: 'no LICENSE file: all rights reserved (private projects)',
};

const EXPORT_INFO: Record<ExportFormat, string> = {
  skops:
    'model.skops, a format that loads only the types it is told to trust (unlike pickle, loading it never runs code from the file); ' +
    'predict and serve then load it instead of model.joblib',
  onnx:
    'model.onnx (skl2onnx), to run the model without Python or scikit-learn (onnxruntime in C#, Java, C++, JS); ' +
    'serve can use onnxruntime with serve.backend: onnx',
  pmml:
    'model.pmml (sklearn2pmml), the XML standard read by Java scoring engines; sklearn2pmml is licensed ' +
    'AGPL-3.0 and needs Java (a JRE 11+) at training time',
};

/** The choices a checkbox answer ("a,b", or "none") names, in the order of `all`. */
export function listedChoices<T extends string>(value: string | undefined, all: readonly T[]): T[] {
  const named = (value ?? '').split(',').map((part) => part.trim().toLowerCase()).filter(Boolean);
  return all.filter((choice) => named.includes(choice));
}

/** Why a checkbox answer is not a comma-separated list of `all` (`noun`s) or "none", or true. */
export function validateList(value: string, all: readonly string[], noun: string, plural = `${noun}s`): true | string {
  const named = value.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean);
  const unknown = named.filter((part) => part !== NONE && !all.includes(part));
  if (unknown.length > 0) {
    return `unknown ${noun}(s) ${unknown.join(', ')}: list any of ${all.join(', ')}, separated by commas, or ${NONE}.`;
  }
  if (named.includes(NONE) && named.length > 1) return `${NONE} cannot be listed with ${plural}: pass either.`;
  return true;
}

/** The formats a --exports value names, in EXPORT_FORMATS order; "none" or empty names none. */
export function exportFormats(value: string | undefined): ExportFormat[] {
  return listedChoices(value, EXPORT_FORMATS);
}

/** Why a --exports value is not a list of known formats, or true. */
export function validateExports(value: string, task?: string, model?: string): true | string {
  const verdict = validateList(value, EXPORT_FORMATS, 'export format', 'formats');
  if (verdict !== true || !exportFormats(value).includes('pmml')) return verdict;
  const why = task && model ? NO_PMML[task as Task]?.[model] : undefined;
  return why ? `pmml cannot export the ${model} ${task} model (${why}): choose another --model, or leave pmml out.` : true;
}

/**
 * Models the PMML export refuses, per task, and why (export_pmml.py's NO_PMML_FORM says the same in
 * Python, by class; the generated test_export_pmml.py checks that the two agree on every model).
 */
export const NO_PMML: Record<Task, Record<string, string>> = {
  classification: {
    svm: 'sklearn2pmml has no converter for the calibrated SVC that gives its probabilities',
    knn: 'its PMML gives no class probabilities, which predictions are made of',
  },
  regression: {},
};

/**
 * The extra models a project has (catalog order): those an --extra-models value lists, and the chosen
 * model when it is one of them, so that `--model svm` alone is enough to train an SVM.
 */
export function extraModelList(value: string | undefined, model?: string): ExtraModelName[] {
  return listedChoices([value, model].filter(Boolean).join(','), EXTRA_MODEL_NAMES);
}

/** The add-ons an --add value names, in ADDONS order; "none" or empty names none. */
export function addonList(value: string | undefined): AddonName[] {
  return listedChoices(value, ADDONS);
}

/** Why an --add value is not a list of add-ons, or true. */
export function validateAddons(value: string): true | string {
  return validateList(value, ADDONS, 'add-on');
}

/** The custom features a --features value names, in its order, each once; "none" or empty names none. */
export function featureList(value: string | undefined): string[] {
  const named = (value ?? '').split(',').map((part) => part.trim()).filter((part) => part && part !== NONE);
  return [...new Set(named)];
}

/**
 * The module names of a project's package that a feature may not take: every module the templates
 * can write into src/<module>/ (add-ons' too), the transformers package, and the package itself.
 */
export function projectModuleNames(moduleName?: string): Set<string> {
  const modules = readdirSync(join(TEMPLATES_DIR, 'src', '_module_'))
    .filter((file) => file.endsWith('.py'))
    .map((file) => file.slice(0, -3));
  return new Set([...modules, 'transformers', ...(moduleName ? [moduleName] : [])]);
}

/** Why a --features value is not a list of distinct, valid feature names (or none), or true. */
export function validateFeatures(value: string, moduleName?: string): true | string {
  const named = value.split(',').map((part) => part.trim()).filter(Boolean);
  if (named.includes(NONE) && named.length > 1) return `${NONE} cannot be listed with features: pass either.`;
  const taken = projectModuleNames(moduleName);
  for (const name of named.filter((part) => part !== NONE)) {
    const verdict = validateFeatureName(name, taken);
    if (verdict !== true) return verdict;
  }
  const byClass = new Map<string, string>();
  for (const name of featureList(value)) {
    const other = byClass.get(featureClassName(name));
    if (other) return `${other} and ${name} would both define the class ${featureClassName(name)}; rename one of them.`;
    byClass.set(featureClassName(name), name);
  }
  return true;
}

const INSTALLER_INFO: Record<Installer, string> = {
  uv: 'installs in seconds and locks exact versions in uv.lock',
  pip: "Python's standard installer, with a pinned lock file",
  poetry: 'Poetry 2 (installed apart, e.g. uv tool install poetry): locks exact versions in poetry.lock',
  conda:
    'a conda environment from environment.yml (conda-forge), for teams that use conda; no lock file. ' +
    'Written and checked statically only: the generator is not tested with a real conda',
};

/** Everything the user decides; stored in `.yo-rc.json` under "generator-mlpipeline". */
export interface Answers {
  projectName: string;
  task: Task;
  dataset: Dataset;
  dataPath?: string;
  target?: string;
  model: Model;
  /** Comma-separated add-ons (docker,ci,...) or "none"; see addonList. */
  addons: string;
  /** Comma-separated export formats (skops,onnx,pmml) or "none"; see exportFormats. */
  exports: string;
  /** Comma-separated models beside the ones every project has (svm,knn,...) or "none"; see extraModelList. */
  extraModels: string;
  description: string;
  moduleName: string;
  authorName: string;
  authorEmail: string;
  license: License;
  pythonVersion: string;
  installer: Installer;
  /** Comma-separated custom feature transformers (log_income,...) or "none"; see featureList. */
  features: string;
}

export type AnswerKey = keyof Answers;
export type PartialAnswers = Partial<Record<AnswerKey, string>>;

/** Facts about the run that defaults depend on; gathered once, lazily where they cost a process. */
export interface DefaultsContext {
  /** Base name of the target directory when the user named one. */
  directoryName?: string;
  gitName: () => string;
  gitEmail: () => string;
  /** Resolves a data path the way the user meant it (relative to the cwd, or to the project). */
  resolvePath: (path: string) => string;
  /**
   * The data file a re-run found in .yo-rc.json but not on disk (data is not in git, so a fresh clone
   * lacks it): accepted as it is, since the project already points at it.
   */
  absentStoredData?: string;
  /** Whether a command is on PATH (an executable file in one of its folders). */
  onPath: (command: string) => boolean;
  /** The version ("3.12") of the local `python3`, undefined when there is none; probed once, lazily. */
  localPython: () => string | undefined;
  /** The data file and target of the project being re-run: checked when they were first chosen. */
  storedData?: { dataPath: string; target: string };
  /** When the project is written to ./<name>: why that folder cannot take it (a non-empty folder, a file). */
  projectDirProblem?: (name: string) => string | undefined;
}

export interface Question {
  name: AnswerKey;
  /** CLI flag without dashes. */
  flag: string;
  /** A checkbox answer is a comma-separated list of its choices (or "none"). */
  kind: 'input' | 'select' | 'checkbox';
  /** What the prompt says. */
  message: string;
  /** One line for --help and docs/options.md. */
  help: string;
  /** Placeholder for the value in --help, e.g. FILE. */
  valueName?: string;
  /** Choices given the answers so far; also the allowed values. */
  choices?: (answers: PartialAnswers) => readonly string[];
  /** Every choice any answer could allow (for --help and docs). */
  allChoices?: readonly string[];
  /** What a choice means, given the answers so far (prompts show it; docs list it). */
  describe?: (choice: string, answers: PartialAnswers) => string;
  /**
   * For a free-text question, values to pick from when they are known (the target column among the
   * file's columns): the prompt becomes a list, while a flag may still name any valid value.
   */
  suggestions?: (answers: PartialAnswers, ctx: DefaultsContext) => readonly string[] | undefined;
  /** Default given the answers so far; undefined means "required, no default". */
  default: (answers: PartialAnswers, ctx: DefaultsContext) => string | undefined;
  /** The default in words, for --help and docs. */
  defaultHelp: string;
  validate?: (value: string, answers: PartialAnswers, ctx: DefaultsContext) => true | string | Promise<true | string>;
  /** Whether the question applies, given the answers so far. */
  when?: (answers: PartialAnswers) => boolean;
  /** `when` in flag words, for the error when the flag is given where it does not apply. */
  whenHelp?: string;
  /** Asked only after "Customize ...?"; otherwise takes its default unless given as a flag. */
  advanced?: boolean;
  /**
   * Asked in a terminal, but without one its default is taken rather than reported missing: choosing
   * nothing (no add-on) is a complete answer, so scripts and re-runs of older projects need not pass it.
   */
  optional?: boolean;
  /** A stored answer equal to the default it had then is not kept: it follows the default (see answers.ts). */
  followsDefault?: boolean;
  /** Never prompted: given as a flag, in --answers, or by its own sub-command; otherwise its default. */
  flagOnly?: boolean;
}

const isCsv = (a: PartialAnswers): boolean => a.dataset === OWN_DATA;
const taskOf = (a: PartialAnswers): Task => (a.task === 'regression' ? 'regression' : 'classification');

/** The newest version in PYTHON_VERSIONS that `version` satisfies, clamped to the supported range. */
export function supportedPythonFor(version: string | undefined): string | undefined {
  if (!version) return undefined;
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const versions = PYTHON_VERSIONS.map((v) => [v, Number(v.split('.')[1])] as const);
  if (major !== 3 || Number.isNaN(minor)) return undefined;
  const fitting = versions.filter(([, m]) => m <= minor);
  return fitting.length > 0 ? fitting[fitting.length - 1]![0] : versions[0]![0];
}

export const DEFAULT_AUTHOR = 'Author';
export const DEFAULT_PYTHON = '3.11';

export const QUESTIONS: readonly Question[] = [
  {
    name: 'projectName',
    flag: 'project-name',
    kind: 'input',
    message: 'Project name (directory and Python distribution name)',
    help: 'Project name: the default directory and the Python distribution name.',
    valueName: 'NAME',
    default: (_a, ctx) => (ctx.directoryName ? projectNameFor(ctx.directoryName) : 'my-project'),
    defaultHelp: 'the name of the folder written to, else my-project',
    validate: (value, _a, ctx) => {
      const verdict = validateProjectName(value);
      return verdict === true ? (ctx.projectDirProblem?.(value) ?? true) : verdict;
    },
  },
  {
    name: 'task',
    flag: 'task',
    kind: 'select',
    message: 'Machine-learning task',
    help: 'What the model predicts: a class (classification) or a number (regression).',
    choices: () => TASKS,
    allChoices: TASKS,
    describe: (choice) => TASK_INFO[choice as Task].description,
    default: () => 'classification',
    defaultHelp: 'classification',
  },
  {
    name: 'dataset',
    flag: 'dataset',
    kind: 'select',
    message: 'Data: a scikit-learn sample dataset, or your own file',
    help: 'A scikit-learn bundled dataset suited to the task (no download), or csv for your own CSV or Parquet file.',
    choices: (a) => datasetsFor(taskOf(a)),
    allChoices: ALL_DATASETS,
    describe: (choice) =>
      choice === OWN_DATA ? OWN_DATA_DESCRIPTION : BUNDLED_DATASETS[choice as keyof typeof BUNDLED_DATASETS].description,
    default: (a) => datasetsFor(taskOf(a))[0],
    defaultHelp: 'iris (classification), diabetes (regression)',
  },
  {
    name: 'dataPath',
    flag: 'data-path',
    kind: 'input',
    message: 'Path to your data file (.csv or .parquet), copied unchanged into data/raw',
    help: 'With --dataset csv: your data file (.csv or .parquet), copied unchanged into data/raw/.',
    valueName: 'FILE',
    when: isCsv,
    whenHelp: '--dataset csv',
    default: () => undefined,
    defaultHelp: 'required with --dataset csv',
    validate: async (value, _a, ctx) => {
      if (!value) return 'A data file is required with --dataset csv, e.g. --data-path data.csv.';
      if (!DATA_EXTENSIONS.some((ext) => value.toLowerCase().endsWith(ext))) {
        return `"${value}" is neither a .csv nor a .parquet file.`;
      }
      const path = ctx.resolvePath(value);
      if (path === ctx.absentStoredData) return true;
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) return `Data file "${value}" does not exist.`;
      if (!stat.isFile()) return `"${value}" is not a file.`;
      await prepareDataFile(path);
      return checkDataFile(path, value);
    },
  },
  {
    name: 'target',
    flag: 'target',
    kind: 'input',
    message: 'Target column (the one to predict)',
    help: 'With --dataset csv: the column to predict.',
    valueName: 'COLUMN',
    when: isCsv,
    whenHelp: '--dataset csv',
    suggestions: (a, ctx) => (a.dataPath ? readColumns(ctx.resolvePath(a.dataPath)) : undefined),
    default: (a, ctx) => {
      const columns = a.dataPath ? readColumns(ctx.resolvePath(a.dataPath)) : undefined;
      if (!columns?.length) return undefined;
      return columns.includes('target') ? 'target' : columns[columns.length - 1];
    },
    defaultHelp: 'a column named target, else the last column',
    validate: async (value, a, ctx) => {
      if (!value) return 'A target column is required with --dataset csv, e.g. --target price.';
      if (!a.dataPath) return true;
      const path = ctx.resolvePath(a.dataPath);
      const columns = readColumns(path);
      if (columns && !columns.includes(value)) {
        const shown = columns.length > 30 ? `${columns.slice(0, 30).join(', ')} and ${columns.length - 30} more` : columns.join(', ');
        return `Column "${value}" is not in ${a.dataPath}; its columns are: ${shown}.`;
      }
      const checked = ctx.storedData?.dataPath === path && ctx.storedData.target === value;
      if (!columns || checked || path === ctx.absentStoredData) return true;
      return (await targetProblem(path, value, taskOf(a))) ?? true;
    },
  },
  {
    name: 'model',
    flag: 'model',
    kind: 'select',
    message: 'Model',
    valueName: 'NAME',
    help:
      `The estimator config.yaml's model.name starts with: ${CORE_MODEL_NAMES.join(', ')} (in every project), or ` +
      `${EXTRA_MODEL_NAMES.join(', ')} (which then joins the project's models).`,
    choices: () => MODEL_NAMES,
    allChoices: MODEL_NAMES,
    describe: (choice, a) => {
      const model = ALL_MODELS[choice as ModelName];
      return `${model.estimator[taskOf(a)]}: ${model.description[taskOf(a)]}`;
    },
    default: () => 'random_forest',
    defaultHelp: 'random_forest',
  },
  {
    name: 'addons',
    flag: 'add',
    kind: 'checkbox',
    optional: true,
    message: 'Add-ons (space to select, enter to go on; none by default; later: mlpipeline add <name>)',
    help:
      'Optional parts of the project: a comma-separated list of ' + ADDONS.join(', ') + ', or none. ' +
      'Inside a project, `mlpipeline add <name>` (or `yo mlpipeline:<name>`) adds one later.',
    valueName: 'LIST',
    choices: () => ADDONS,
    allChoices: ADDONS,
    describe: (choice) => ADDON_INFO[choice as AddonName].description,
    default: () => NONE,
    defaultHelp: NONE,
    validate: (value) => validateAddons(value),
  },
  {
    name: 'exports',
    flag: 'exports',
    kind: 'checkbox',
    advanced: true,
    message: 'Export formats written beside model.joblib at training (space to select; none by default)',
    help: 'Formats the trained model is also written in, beside model.joblib: a comma-separated list of skops, onnx, pmml, or none. Each adds its own dependencies and tests.',
    valueName: 'LIST',
    choices: () => EXPORT_FORMATS,
    allChoices: EXPORT_FORMATS,
    describe: (choice) => EXPORT_INFO[choice as ExportFormat],
    default: () => NONE,
    defaultHelp: NONE,
    validate: (value, a) => validateExports(value, a.task, a.model),
  },
  {
    name: 'extraModels',
    flag: 'extra-models',
    kind: 'checkbox',
    advanced: true,
    message: `Models to include beside ${CORE_MODEL_NAMES.join(', ')} (space to select; later: mlpipeline model <name>)`,
    help:
      `Models the project can train besides ${CORE_MODEL_NAMES.join(', ')}: a comma-separated list of ` +
      `${EXTRA_MODEL_NAMES.join(', ')}, or none (a --model among them is included). Each joins estimators.py, ` +
      "config.yaml's model.params and a test; " +
      'inside a project, `mlpipeline model <name>` (or `yo mlpipeline:model <name>`) adds one later.',
    valueName: 'LIST',
    choices: () => EXTRA_MODEL_NAMES,
    allChoices: EXTRA_MODEL_NAMES,
    describe: (choice, a) => {
      const model = ALL_MODELS[choice as ModelName];
      return `${model.estimator[taskOf(a)]}: ${model.description[taskOf(a)]}`;
    },
    default: (a) => extraModelList(undefined, a.model).join(',') || NONE,
    defaultHelp: NONE,
    validate: (value) => validateList(value, EXTRA_MODEL_NAMES, 'extra model'),
  },
  {
    name: 'description',
    flag: 'description',
    kind: 'input',
    advanced: true,
    message: 'One-line description',
    help: 'One-line description (README, pyproject.toml).',
    valueName: 'TEXT',
    followsDefault: true,
    default: (a) =>
      `A ${taskOf(a)} pipeline: data, training, evaluation, batch prediction and a REST API.`,
    defaultHelp: 'a sentence naming the task',
    validate: (value) => (/[\n\r]/.test(value) ? 'The description must fit on one line.' : true),
  },
  {
    name: 'moduleName',
    flag: 'module-name',
    kind: 'input',
    advanced: true,
    message: 'Python module name (import name)',
    help: 'Python import name of the package in src/: a lowercase identifier, not a keyword, nor a standard-library or installed package.',
    valueName: 'NAME',
    default: (a) => moduleNameFor(a.projectName ?? 'my-project'),
    defaultHelp: 'derived from the project name (my-project -> my_project)',
    validate: (value) => validateModuleName(value),
  },
  {
    name: 'authorName',
    flag: 'author-name',
    kind: 'input',
    advanced: true,
    message: 'Author name',
    help: 'Author name (pyproject.toml, LICENSE, notebook initials).',
    valueName: 'NAME',
    default: (_a, ctx) => ctx.gitName() || DEFAULT_AUTHOR,
    defaultHelp: `git config user.name, else ${DEFAULT_AUTHOR}`,
    validate: (value) => validateAuthorName(value),
  },
  {
    name: 'authorEmail',
    flag: 'author-email',
    kind: 'input',
    advanced: true,
    message: 'Author e-mail (may be empty)',
    help: 'Author e-mail (pyproject.toml); may be empty.',
    valueName: 'EMAIL',
    default: (_a, ctx) => ctx.gitEmail(),
    defaultHelp: 'git config user.email, else empty',
    validate: (value) => validateEmail(value),
  },
  {
    name: 'license',
    flag: 'license',
    kind: 'select',
    advanced: true,
    message: 'License',
    help: 'License of the generated project (none writes no LICENSE file).',
    choices: () => LICENSES,
    allChoices: LICENSES,
    describe: (choice) => LICENSE_INFO[choice as License],
    default: () => 'MIT',
    defaultHelp: 'MIT',
  },
  {
    name: 'pythonVersion',
    flag: 'python-version',
    kind: 'select',
    advanced: true,
    message: 'Lowest Python version supported',
    help: 'Lowest Python version the project supports (requires-python, ruff target).',
    choices: () => PYTHON_VERSIONS,
    allChoices: PYTHON_VERSIONS,
    default: (_a, ctx) => supportedPythonFor(ctx.localPython()) ?? DEFAULT_PYTHON,
    defaultHelp: `the local python3's version (within ${PYTHON_VERSIONS[0]}-${PYTHON_VERSIONS.at(-1)}), else ${DEFAULT_PYTHON}`,
  },
  {
    name: 'installer',
    flag: 'installer',
    kind: 'select',
    advanced: true,
    message: 'Installer for the virtual environment and the lock',
    help:
      'What `make install` uses: uv (fast, writes uv.lock), pip (a pinned requirements.lock), poetry (writes poetry.lock) ' +
      'or conda (an environment from environment.yml, conda-forge).',
    choices: () => INSTALLERS,
    allChoices: INSTALLERS,
    describe: (choice) => INSTALLER_INFO[choice as Installer],
    default: (_a, ctx) => (ctx.onPath('uv') ? 'uv' : 'pip'),
    defaultHelp: 'uv when it is on PATH, else pip',
  },
  {
    name: 'features',
    flag: 'features',
    kind: 'input',
    flagOnly: true,
    message: 'Custom feature transformers',
    help:
      'Custom scikit-learn transformers, each a class in its own module of src/<module>/transformers/ with its test, ' +
      'registered under features.custom in config: a comma-separated list of snake_case names (e.g. log_income), ' +
      'or none. Inside a project, `mlpipeline feature <name>` (or `yo mlpipeline:feature <name>`) adds one later.',
    valueName: 'LIST',
    default: () => NONE,
    defaultHelp: NONE,
    validate: (value, a) => validateFeatures(value, a.moduleName),
  },
];

export const QUESTION_BY_FLAG: ReadonlyMap<string, Question> = new Map(QUESTIONS.map((q) => [q.flag, q]));
export const QUESTION_BY_NAME: ReadonlyMap<string, Question> = new Map(QUESTIONS.map((q) => [q.name, q]));

/** Options that are not answers: they steer the run and are never stored. */
export interface RunOption {
  flag: string;
  alias?: string;
  kind: 'boolean' | 'string';
  valueName?: string;
  help: string;
}

export const RUN_OPTIONS: readonly RunOption[] = [
  { flag: 'yes', alias: 'y', kind: 'boolean', help: 'Take the default for every answer not given; never prompt.' },
  {
    flag: 'answers',
    kind: 'string',
    valueName: 'FILE',
    help: 'JSON file of answers; keys as in .yo-rc.json (projectName) or as flags (project-name).',
  },
  { flag: 'skip-install', kind: 'boolean', help: 'Do not run `make install` (the Python virtual environment).' },
  { flag: 'skip-git', kind: 'boolean', help: 'Do not run `git init` and the first commit.' },
  {
    flag: 'force',
    alias: 'f',
    kind: 'boolean',
    help:
      'Write the new version over files you edited, without merging or asking (your edits to them are lost), and restore ' +
      'ones you deleted; allow writing into a non-empty folder.',
  },
  {
    flag: 'bail',
    kind: 'boolean',
    help: 'Stop, writing nothing, if a file you edited cannot be merged cleanly (instead of asking or writing conflict markers).',
  },
  {
    flag: 'dry-run',
    kind: 'boolean',
    help:
      'Show what the run would do to each file (create, update, merge, conflict, remove, keep) and write nothing; ' +
      'exit 1 if the run would stop or leave conflicts to resolve.',
  },
  {
    flag: 'ask-answered',
    kind: 'boolean',
    help: 'Ask again the questions already answered in .yo-rc.json, with those answers as defaults.',
  },
  { flag: 'help', alias: 'h', kind: 'boolean', help: 'Show this help.' },
];
