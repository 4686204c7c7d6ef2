/**
 * The option matrix: an all-pairs (pairwise) set of generator answers. Every value of every factor
 * meets every value of every other factor in at least one row (but for the declared exceptions below),
 * so that a pair of options that breaks the generated project together is generated and run by
 * test/e2e-matrix.test.ts.
 *
 * The factors are derived from the question table and the catalog, never retyped: an installer, a
 * model, a Python version, an export format or an add-on added there joins the matrix by itself. A
 * set answer (export formats, add-ons) is one on/off factor per member, which pairs each member with
 * every other answer and with each other member, on and off, at no more rows than the largest two
 * factors need. What cannot be combined is declared in CONSTRAINTS, one line each, and left out of
 * the pairs to cover. Two factors whose values cannot break the project together, by how the
 * generator is built, are declared INDEPENDENT, each with its reason and the test that holds the
 * generator to it; their pairs are not required (a mixed-strength covering array).
 *
 * Pure: no file, no process. The generator is a small greedy one in the manner of AETG (Cohen et al.,
 * 1997): each new row starts from the uncovered pair whose row covers the most pairs still uncovered,
 * and fills the other factors one by one with the value that covers the most; then each factor of the
 * finished row is re-chosen, the others set, while that covers more. It can start from rows already
 * proven elsewhere (`seeds`), whose pairs then count as covered.
 */
import { ADDONS, datasetsFor, EXTRA_MODEL_NAMES, MODEL_NAMES, OWN_DATA, TASKS, type Task } from '../lib/catalog.js';
import { DATA_EXTENSIONS, EXPORT_FORMATS, INSTALLERS, NONE, PYTHON_VERSIONS } from '../lib/questions.js';

export interface Factor {
  name: string;
  values: readonly string[];
}

/** A row: a value for every factor, by factor name. */
export type Row = Record<string, string>;

/** A combination that cannot be generated or cannot run: every named factor has one of its values. */
export interface Constraint {
  never: Readonly<Record<string, readonly string[]>>;
  /** Why, in one line (printed with the matrix). */
  why: string;
}

/** The bundled sample of the task, or the user's own file in each format the generator reads. */
export const DATA_KINDS = ['sample', ...DATA_EXTENSIONS.map((extension) => extension.slice(1))] as const;
export const OWN_DATA_KINDS = DATA_KINDS.filter((kind) => kind !== 'sample');

export const OFF = 'off';
export const ON = 'on';
/** The on/off factor of one member of a set answer: `export:onnx`, `add:docker`. */
export const EXPORT_PREFIX = 'export:';
export const ADDON_PREFIX = 'add:';

export const AVAILABLE_ADDONS = ADDONS;

/**
 * Installers this machine and CI cannot run (conda is not installed here): no row installs with
 * them. Instead every row is also generated with each of them and checked statically (its
 * environment.yml lists what pyproject.toml does), so each of their pairs is generated and checked.
 */
export const STATIC_INSTALLERS: readonly string[] = ['conda'];
export const RUN_INSTALLERS = INSTALLERS.filter((installer) => !STATIC_INSTALLERS.includes(installer));

export const FACTORS: readonly Factor[] = [
  { name: 'task', values: TASKS },
  { name: 'data', values: DATA_KINDS },
  { name: 'model', values: MODEL_NAMES },
  { name: 'installer', values: RUN_INSTALLERS },
  { name: 'python', values: PYTHON_VERSIONS },
  ...EXPORT_FORMATS.map((format) => ({ name: `${EXPORT_PREFIX}${format}`, values: [OFF, ON] })),
  ...AVAILABLE_ADDONS.map((addon) => ({ name: `${ADDON_PREFIX}${addon}`, values: [OFF, ON] })),
];

export const CONSTRAINTS: readonly Constraint[] = [
  {
    never: { [`${EXPORT_PREFIX}pmml`]: [ON], data: OWN_DATA_KINDS },
    why:
      'PMML has no date parts, so training refuses the own data files\' date column until config drops it ' +
      '(npm run test:lifecycle trains the PMML export on own data with that column dropped)',
  },
  {
    never: { [`${EXPORT_PREFIX}pmml`]: [ON], task: ['classification'], model: ['svm', 'knn'] },
    why: 'the generator refuses --exports pmml with an svm or knn classifier (no PMML form; a unit test checks the refusal)',
  },
];

/**
 * A factor whose values need not meet those of other factors (`of`): no pair of theirs is required,
 * or, with `only`, just the pairs with those values of the other factors (["on"]: the model meets each
 * export turned on; with it off, nothing of the export differs by model). Why, and what holds it.
 */
export interface Independence {
  factor: string;
  of: readonly string[];
  only?: readonly string[];
  why: string;
}

/**
 * The files an installer writes or changes (besides the stored answers and their base versions): how
 * the environment is built, locked, documented and run in CI and Docker. A test generates the same
 * answers with each installer and finds every other file the same.
 */
export const INSTALLER_FILES: readonly string[] = [
  '.dockerignore',
  '.github/workflows/ci.yml',
  '.gitignore',
  'Dockerfile',
  'Makefile',
  'README.md',
  'dvc.yaml',
  'environment.yml',
  'poetry.toml',
  'pyproject.toml',
];

/** The add-ons whose files read nothing of the model (a unit test compares them across models). */
export const MODEL_BLIND_ADDONS = ['docker', 'ci', 'precommit'] as const;
/** The add-ons that write something of the chosen model: its page, its tracked run, its stage's params. */
export const MODEL_ADDONS = ADDONS.filter((addon) => !(MODEL_BLIND_ADDONS as readonly string[]).includes(addon));

export const INDEPENDENT: readonly Independence[] = [
  {
    factor: 'model',
    of: [
      'task',
      'data',
      'installer',
      'python',
      ...EXPORT_FORMATS.map((format) => `${EXPORT_PREFIX}${format}`),
      ...MODEL_BLIND_ADDONS.map((addon) => `${ADDON_PREFIX}${addon}`),
    ],
    why:
      'every row registers every model (--extra-models), and its tests fit, score, save and reload each one on ' +
      'the row\'s task, data, installer and Python (test_model, test_extra_models; test_artifact on dates and ' +
      'categories) and write each of the row\'s exports from each one (test_exports_every_model); the docker, ci ' +
      'and precommit files do not name it (a unit test compares them across models)',
  },
  {
    factor: 'model',
    of: MODEL_ADDONS.map((addon) => `${ADDON_PREFIX}${addon}`),
    only: [ON],
    why:
      'docs, mlflow and dvc describe, track and stage the chosen model (its card, its run\'s params, its stage\'s ' +
      'params): it meets each of them on; with one off, nothing of it differs by model',
  },
  {
    factor: 'installer',
    of: ['task', 'data'],
    why:
      'the installer writes only how the environment is built (a unit test: projects that differ only in ' +
      'installer differ only in its files); it still meets Python, every export and every add-on, which change ' +
      'what is resolved and which templates run it',
  },
];

/** Whether a row must hold value `av` of factor `a` with value `bv` of factor `b` (no independence waives it). */
export function needed(a: string, av: string, b: string, bv: string, independent: readonly Independence[] = INDEPENDENT): boolean {
  const waives = ({ factor, of, only }: Independence, x: string, y: string, yv: string): boolean =>
    factor === x && of.includes(y) && !(only ?? []).includes(yv);
  return !independent.some((i) => waives(i, a, b, bv) || waives(i, b, a, av));
}

/** Whether two factors are paired at all: some pair of their values is needed. */
export function paired(first: Factor, second: Factor, independent: readonly Independence[] = INDEPENDENT): boolean {
  return first.values.some((a) => second.values.some((b) => needed(first.name, a, second.name, b, independent)));
}

/** The constraint a (partial) row breaks: one whose every factor is set, each to a value it names. */
export function broken(row: Readonly<Partial<Row>>, constraints: readonly Constraint[]): Constraint | undefined {
  return constraints.find((constraint) =>
    Object.entries(constraint.never).every(([factor, values]) => row[factor] !== undefined && values.includes(row[factor]!)),
  );
}

/** Whether the partial row can be completed into a full row that breaks no constraint. */
export function completable(row: Readonly<Partial<Row>>, factors: readonly Factor[], constraints: readonly Constraint[]): boolean {
  if (broken(row, constraints)) return false;
  const open = factors.find((factor) => row[factor.name] === undefined);
  if (!open) return true;
  return open.values.some((value) => completable({ ...row, [open.name]: value }, factors, constraints));
}

/** A pair of values of two factors (first before second in the factor list). */
export interface Pair {
  first: string;
  firstValue: string;
  second: string;
  secondValue: string;
}

const pairKey = (a: string, av: string, b: string, bv: string): string => `${a}=${av}\u0000${b}=${bv}`;

/** Every needed pair of values of two factors that some row breaking no constraint holds. */
export function requiredPairs(
  factors: readonly Factor[],
  constraints: readonly Constraint[],
  independent: readonly Independence[] = [],
): Pair[] {
  const pairs: Pair[] = [];
  factors.forEach((first, i) => {
    for (const second of factors.slice(i + 1)) {
      for (const firstValue of first.values) {
        for (const secondValue of second.values) {
          if (!needed(first.name, firstValue, second.name, secondValue, independent)) continue;
          const row = { [first.name]: firstValue, [second.name]: secondValue };
          if (completable(row, factors, constraints)) pairs.push({ first: first.name, firstValue, second: second.name, secondValue });
        }
      }
    }
  });
  return pairs;
}

/** The required pairs that no row holds. */
export function uncoveredPairs(
  rows: readonly Row[],
  factors: readonly Factor[],
  constraints: readonly Constraint[],
  independent: readonly Independence[] = [],
): Pair[] {
  return requiredPairs(factors, constraints, independent).filter(
    (pair) => !rows.some((row) => row[pair.first] === pair.firstValue && row[pair.second] === pair.secondValue),
  );
}

/**
 * Rows that hold every required pair, none breaking a constraint: `seeds` first (rows proven
 * elsewhere; their pairs count as covered), then the new ones. Deterministic: the same factors,
 * constraints and seeds give the same rows.
 */
export function allPairs(
  factors: readonly Factor[],
  constraints: readonly Constraint[],
  seeds: readonly Row[] = [],
  independent: readonly Independence[] = [],
): { seeds: Row[]; rows: Row[] } {
  const uncovered = new Set(requiredPairs(factors, constraints, independent).map((p) => pairKey(p.first, p.firstValue, p.second, p.secondValue)));
  const cover = (row: Readonly<Partial<Row>>): string[] => {
    const keys: string[] = [];
    factors.forEach((first, i) => {
      if (row[first.name] === undefined) return;
      for (const second of factors.slice(i + 1)) {
        if (row[second.name] === undefined) continue;
        const key = pairKey(first.name, row[first.name]!, second.name, row[second.name]!);
        if (uncovered.has(key)) keys.push(key);
      }
    });
    return keys;
  };
  for (const seed of seeds) {
    if (broken(seed, constraints)) throw new Error(`seed row ${JSON.stringify(seed)} breaks a constraint`);
    for (const key of cover(seed)) uncovered.delete(key);
  }

  // Factors with more values first: their pairs are the hardest to fit in later.
  const byValues = [...factors].sort((a, b) => b.values.length - a.values.length);
  // From a start pair, each open factor (most values first) takes the value covering the most uncovered pairs
  // with the values already set, among those the row can still be completed with.
  const grow = (start: Partial<Row>): Row => {
    const row: Partial<Row> = { ...start };
    const set = factors.filter((factor) => row[factor.name] !== undefined);
    for (const factor of byValues) {
      if (row[factor.name] !== undefined) continue;
      let best: { value: string; gain: number } | undefined;
      for (const value of factor.values) {
        const candidate = { ...row, [factor.name]: value };
        if (!completable(candidate, factors, constraints)) continue;
        const gain = set.filter((other) => {
          const [a, b] = factors.indexOf(other) < factors.indexOf(factor) ? [other.name, factor.name] : [factor.name, other.name];
          return uncovered.has(pairKey(a, candidate[a]!, b, candidate[b]!));
        }).length;
        if (!best || gain > best.gain) best = { value, gain };
      }
      row[factor.name] = best!.value;
      set.push(factor);
    }
    return improve(Object.fromEntries(factors.map((factor) => [factor.name, row[factor.name]!])));
  };
  // A full row, each factor in turn re-chosen (the start pair's too) for the value whose whole row covers
  // the most: a factor filled early chose before the factors it pairs with were set.
  const improve = (row: Row): Row => {
    let best = cover(row).length;
    for (let pass = 0, changed = true; changed && pass < 3; pass++) {
      changed = false;
      for (const factor of byValues) {
        for (const value of factor.values) {
          const candidate = { ...row, [factor.name]: value };
          if (value === row[factor.name] || broken(candidate, constraints)) continue;
          const gain = cover(candidate).length;
          if (gain > best) [row, best, changed] = [candidate, gain, true];
        }
      }
    }
    return row;
  };

  const rows: Row[] = [];
  while (uncovered.size > 0) {
    let best: { row: Row; gain: number } | undefined;
    for (const key of uncovered) {
      const [first, second] = key.split('\u0000').map((part) => part.split('=') as [string, string]);
      const row = grow({ [first![0]]: first![1], [second![0]]: second![1] });
      const gain = cover(row).length;
      if (!best || gain > best.gain) best = { row, gain };
    }
    rows.push(best!.row);
    for (const key of cover(best!.row)) uncovered.delete(key);
  }
  // A row whose pairs the others all hold is dropped (the earliest rows, the greediest, are kept).
  const required = new Set(requiredPairs(factors, constraints, independent).map((p) => pairKey(p.first, p.firstValue, p.second, p.secondValue)));
  const held = (row: Row): string[] =>
    factors.flatMap((first, i) => factors.slice(i + 1).map((second) => pairKey(first.name, row[first.name]!, second.name, row[second.name]!)));
  const count = new Map<string, number>();
  for (const row of [...seeds, ...rows]) for (const key of held(row)) count.set(key, (count.get(key) ?? 0) + 1);
  for (let i = rows.length - 1; i >= 0; i--) {
    const keys = held(rows[i]!);
    if (keys.every((key) => !required.has(key) || count.get(key)! > 1)) {
      for (const key of keys) count.set(key, count.get(key)! - 1);
      rows.splice(i, 1);
    }
  }
  return { seeds: [...seeds], rows };
}

/** The members of a set answer that a row turns on, e.g. ['skops', 'pmml'] for EXPORT_PREFIX. */
export function members(row: Readonly<Row>, prefix: string): string[] {
  return Object.keys(row)
    .filter((factor) => factor.startsWith(prefix) && row[factor] === ON)
    .map((factor) => factor.slice(prefix.length));
}

/** A row as a short line: `regression parquet linear pip 3.12 exports=onnx add=docker,ci`. */
export function describeRow(row: Readonly<Row>): string {
  const list = (prefix: string) => members(row, prefix).join(',') || 'none';
  return `${row.task} ${row.data} ${row.model} ${row.installer} ${row.python} exports=${list(EXPORT_PREFIX)} add=${list(ADDON_PREFIX)}`;
}

/** The user's own data files the rows point at, one per format, and their target per task. */
export interface OwnData {
  files: Readonly<Record<string, string>>;
  target: Readonly<Record<Task, string>>;
}

/**
 * The generator's flags for row `index` of `rows`, every extra model added: a sample row takes the task's bundled datasets in
 * turn (so that every one is generated somewhere), an own-data row the file of its format.
 */
export function flagsFor(rows: readonly Row[], index: number, own: OwnData): string[] {
  const row = rows[index]!;
  const task = row.task as Task;
  // Every model registered (INDEPENDENT: the row's tests fit, save and reload each one); the row's is the one chosen.
  const flags = ['--task', task, '--model', row.model!, '--extra-models', EXTRA_MODEL_NAMES.join(',')];
  flags.push('--installer', row.installer!, '--python-version', row.python!);
  if (row.data === 'sample') {
    const bundled = datasetsFor(task).filter((name) => name !== OWN_DATA);
    const earlier = rows.slice(0, index).filter((other) => other.task === task && other.data === 'sample').length;
    flags.push('--dataset', bundled[earlier % bundled.length]!);
  } else {
    flags.push('--dataset', OWN_DATA, '--data-path', own.files[row.data!]!, '--target', own.target[task]);
  }
  flags.push('--exports', members(row, EXPORT_PREFIX).join(',') || NONE, '--add', members(row, ADDON_PREFIX).join(',') || NONE);
  return flags;
}

/** The matrix that test/e2e-matrix.test.ts runs: every required pair, no constraint broken. */
export const matrixRows = (): Row[] => allPairs(FACTORS, CONSTRAINTS, [], INDEPENDENT).rows;

/** A row's flags with another installer: the static twin of a row, for an installer in STATIC_INSTALLERS. */
export function withInstaller(flags: readonly string[], installer: string): string[] {
  const at = flags.indexOf('--installer');
  return [...flags.slice(0, at + 1), installer, ...flags.slice(at + 2)];
}
