/**
 * What templates see: the answers plus every value derived from them, computed here rather than in EJS,
 * so that templates stay readable as the files they produce.
 */
import { basename } from 'node:path';
import { BUNDLED_DATASETS, METRICS, MODELS, OWN_DATA, TASK_INFO, type Gate, type ModelName } from './catalog.js';
import { initialsOf } from './names.js';
import { PYTHON_VERSIONS, type Answers } from './questions.js';

export interface TemplateContext extends Answers {
  target: string;
  dataFile: string;
  pythonVersionNodot: string;
  /** The versioned interpreters `make install` looks for on PATH, newest first: "python3.13 ... python3.10". */
  pythonCommands: string;
  /** The lock `make install` installs from: uv.lock or requirements.lock. */
  lockFile: string;
  initials: string;
  year: number;
  /** The scikit-learn estimator class of the chosen model, for this task. */
  estimator: string;
  /** Every model, for this task: estimator class and the hyper-parameters config/config.yaml starts with. */
  models: Record<ModelName, { estimator: string; params: Record<string, number | null> }>;
  /** The metrics of this task, in a fixed order; the gate's primary metric. */
  metrics: string[];
  primaryMetric: string;
  /** The gate thresholds the bundled sample passes; empty for the user's own data. */
  gate: Gate;
  /**
   * The body of a POST /predict with one row (a bundled sample's, or the first row of the user's file),
   * quoted for a shell's single quotes (the README's curl example); undefined when no row is known.
   */
  exampleRequest?: string;
  /** A string literal valid in TOML, YAML, JSON and Python. */
  q: (value: unknown) => string;
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
  const models = Object.fromEntries(
    Object.entries(MODELS).map(([name, info]) => [
      name,
      { estimator: info.estimator[answers.task], params: { ...info.params[answers.task] } },
    ]),
  ) as unknown as TemplateContext['models'];
  return {
    ...answers,
    target: own ? (answers.target as string) : 'target',
    dataFile: own ? basename(answers.dataPath as string) : `${answers.dataset}.csv`,
    pythonVersionNodot: answers.pythonVersion.replace('.', ''),
    pythonCommands: [...PYTHON_VERSIONS].reverse().map((v) => `python${v}`).join(' '),
    lockFile: answers.installer === 'uv' ? 'uv.lock' : 'requirements.lock',
    initials: initialsOf(answers.authorName),
    year: (facts.now ?? new Date()).getUTCFullYear(),
    estimator: models[answers.model].estimator,
    models,
    metrics: Object.keys(METRICS[answers.task]),
    primaryMetric: TASK_INFO[answers.task].primaryMetric,
    gate: bundled ? { min: { ...bundled.gate.min }, max: { ...bundled.gate.max } } : { min: {}, max: {} },
    exampleRequest: body?.replace(/'/g, `'\\''`),
    q: (value) => JSON.stringify(value),
  };
}
