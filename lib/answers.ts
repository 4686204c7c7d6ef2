/**
 * From the sources of answers (flags, answers file, .yo-rc.json, prompts, defaults) to one typed,
 * validated Answers object, and from Answers to what templates need. Pure functions: the prompt is a
 * callback, so the whole policy is unit-tested without Yeoman.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from './errors.js';
import { initialsOf } from './names.js';
import {
  QUESTION_BY_FLAG,
  QUESTION_BY_NAME,
  QUESTIONS,
  PYTHON_VERSIONS,
  type Answers,
  type DefaultsContext,
  type PartialAnswers,
  type Question,
} from './questions.js';

export type Ask = (question: Question, answers: PartialAnswers, defaultValue: string | undefined) => Promise<string>;

export interface ResolveInput {
  /** Answers from flags and the answers file (flags win); data paths already absolute. */
  given: PartialAnswers;
  /** Answers stored in .yo-rc.json by an earlier run; data paths already absolute. */
  stored: PartialAnswers;
  yes: boolean;
  interactive: boolean;
  ctx: DefaultsContext;
  ask: Ask;
  /** Asked once, before the first advanced question that has no answer yet. */
  confirmCustomize: () => Promise<boolean>;
  /** Told when a stored answer no longer fits and is asked again (or defaulted with --yes). */
  notice?: (message: string) => void;
}

/** Why a value is not acceptable for a question, or undefined when it is. */
export function checkAnswer(
  question: Question,
  value: string,
  answers: PartialAnswers,
  ctx: DefaultsContext,
): string | undefined {
  if (question.choices) {
    const allowed = question.choices(answers);
    if (!allowed.includes(value)) {
      const scope = question.name === 'dataset' ? ` for --task ${answers.task}` : '';
      return `--${question.flag} must be one of ${allowed.join(', ')}${scope} (got "${value}").`;
    }
  }
  const verdict = question.validate?.(value, answers, ctx) ?? true;
  return verdict === true ? undefined : `--${question.flag}: ${verdict}`;
}

function usage(question: Question): string {
  const value = question.choices ? question.allChoices?.join('|') : (question.valueName ?? 'VALUE');
  return `--${question.flag} ${value}`;
}

export async function resolveAnswers(input: ResolveInput): Promise<Answers> {
  const { given, stored, yes, interactive, ctx } = input;
  const answers: PartialAnswers = {};
  const problems: string[] = [];
  const missing: Question[] = [];
  let customize: boolean | undefined;

  for (const question of QUESTIONS) {
    const name = question.name;
    if (question.when && !question.when(answers)) {
      if (given[name] !== undefined) problems.push(`--${question.flag} applies only with ${question.whenHelp ?? 'other answers'}.`);
      continue;
    }
    let value = given[name];
    if (value === undefined && stored[name] !== undefined) {
      // A stored answer that no longer fits (the task changed, say) is asked again, not an error.
      const problem = checkAnswer(question, stored[name], answers, ctx);
      if (problem) input.notice?.(`The stored ${name} "${stored[name]}" no longer fits: ${problem}`);
      else value = stored[name];
    }
    const fallback = question.default(answers, ctx);

    if (given[name] !== undefined) {
      const problem = checkAnswer(question, given[name], answers, ctx);
      if (problem) problems.push(problem);
      value = problem ? fallback : given[name];
    } else if (value === undefined) {
      if (interactive && !yes && (!question.advanced || (customize ??= await input.confirmCustomize()))) {
        value = await input.ask(question, answers, fallback);
      } else {
        if (fallback === undefined || (!interactive && !yes && !question.advanced)) missing.push(question);
        value = fallback;
      }
    }
    if (value !== undefined) answers[name] = value;
  }

  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  if (missing.length > 0) {
    const flags = missing.map(usage).join(' ');
    const why = yes
      ? 'These answers have no default'
      : 'No terminal to ask on (stdin is not a TTY) and these answers were not given';
    const allHaveDefaults = missing.every((q) => q.default(answers, ctx) !== undefined);
    const hint = yes || !allHaveDefaults ? '' : ', or pass --yes to take the defaults';
    throw new UsageError(`${why}: pass ${flags}${hint}.`);
  }
  return answers as unknown as Answers;
}

/**
 * Reads `--answers FILE.json`: a JSON object whose keys are answer names (as stored in .yo-rc.json)
 * or flag names, and whose values are strings.
 */
export function readAnswersFile(path: string): PartialAnswers {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new UsageError(`--answers ${path}: cannot read a JSON object (${reason}).`);
  }
  return answersFromObject(data, `--answers ${path}`);
}

/** Validates the shape (keys, string values) of answers coming from a file; values are checked later. */
export function answersFromObject(data: unknown, source: string): PartialAnswers {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${source}: expected a JSON object of answers, e.g. {"task": "regression"}.`);
  }
  const result: PartialAnswers = {};
  for (const [key, value] of Object.entries(data)) {
    const question = QUESTION_BY_NAME.get(key) ?? QUESTION_BY_FLAG.get(key);
    if (!question) {
      const known = QUESTIONS.map((q) => q.name).join(', ');
      throw new UsageError(`${source}: unknown answer "${key}"; known answers: ${known}.`);
    }
    if (typeof value !== 'string') {
      throw new UsageError(`${source}: "${key}" must be a string, e.g. "${question.default({}, NO_CONTEXT) ?? 'value'}".`);
    }
    result[question.name] = value;
  }
  return result;
}

const NO_CONTEXT: DefaultsContext = {
  gitName: () => '',
  gitEmail: () => '',
  resolvePath: (p) => p,
  onPath: () => false,
};

/** Where the user's data file lives inside the project; raw data is immutable, so it is kept as is. */
export function projectDataPath(answers: Pick<Answers, 'dataset' | 'dataPath'>): string | undefined {
  return answers.dataset === 'csv' && answers.dataPath ? `data/raw/${basename(answers.dataPath)}` : undefined;
}

/** What .yo-rc.json keeps: every answer, with the data path relative to the project. */
export function storedAnswers(answers: Answers): PartialAnswers {
  const stored: PartialAnswers = {};
  for (const question of QUESTIONS) {
    const value = question.name === 'dataPath' ? projectDataPath(answers) : answers[question.name];
    if (value !== undefined) stored[question.name] = value;
  }
  return stored;
}

/** Everything templates may use: the answers plus values derived from them, computed here, not in EJS. */
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
  /**
   * For a CSV project, the body of a POST /predict with the file's first row, quoted for a shell's
   * single quotes (the README's curl example); undefined when no row is known.
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
  const csv = answers.dataset === 'csv';
  const body = facts.exampleInstance && JSON.stringify({ instances: [facts.exampleInstance] });
  return {
    ...answers,
    target: csv ? (answers.target as string) : 'target',
    dataFile: csv ? basename(answers.dataPath as string) : `${answers.dataset}.csv`,
    pythonVersionNodot: answers.pythonVersion.replace('.', ''),
    pythonCommands: [...PYTHON_VERSIONS].reverse().map((v) => `python${v}`).join(' '),
    lockFile: answers.installer === 'uv' ? 'uv.lock' : 'requirements.lock',
    initials: initialsOf(answers.authorName),
    year: (facts.now ?? new Date()).getUTCFullYear(),
    exampleRequest: body?.replace(/'/g, `'\\''`),
    q: (value) => JSON.stringify(value),
  };
}
