/**
 * From the sources of answers (flags, answers file, .yo-rc.json, prompts, defaults) to one typed,
 * validated Answers object, and from Answers to what templates need. Pure functions: the prompt is a
 * callback, so the whole policy is unit-tested without Yeoman.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { OWN_DATA } from './catalog.js';
import { UsageError } from './errors.js';
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
  /** Ask again the questions already answered in .yo-rc.json, their answers as defaults (--ask-answered). */
  askAnswered?: boolean;
  ctx: DefaultsContext;
  ask: Ask;
  /** Asked once, before the first advanced question that has no answer yet. */
  confirmCustomize: () => Promise<boolean>;
  /** Told when a stored answer no longer fits and is asked again (or defaulted with --yes). */
  notice?: (message: string) => void;
}

/** Why a value is not acceptable for a question, or undefined when it is. */
export async function checkAnswer(
  question: Question,
  value: string,
  answers: PartialAnswers,
  ctx: DefaultsContext,
): Promise<string | undefined> {
  if (question.choices && question.kind !== 'checkbox') {
    const allowed = question.choices(answers);
    if (!allowed.includes(value)) {
      const scope = question.name === 'dataset' ? ` for --task ${answers.task}` : '';
      return `--${question.flag} must be one of ${allowed.join(', ')}${scope} (got "${value}").`;
    }
  }
  const verdict = await safeValidate(question, value, answers, ctx);
  return verdict === true ? undefined : `--${question.flag}: ${verdict}`;
}

function usage(question: Question): string {
  const value = question.choices && question.kind !== 'checkbox' ? question.allChoices?.join('|') : (question.valueName ?? 'VALUE');
  return `--${question.flag} ${value}`;
}

/** A question's verdict on a value; a check that fails (an unreadable file, say) is a verdict too. */
export async function safeValidate(
  question: Question,
  value: string,
  answers: PartialAnswers,
  ctx: DefaultsContext,
): Promise<true | string> {
  try {
    return (await question.validate?.(value, answers, ctx)) ?? true;
  } catch (error) {
    return `cannot check "${value}": ${(error as Error).message.replace(/\s+/g, ' ')}`;
  }
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
    let reask = false;
    if (value === undefined && stored[name] !== undefined) {
      // A stored answer that no longer fits (the task changed, say) is asked again, not an error.
      const problem = await checkAnswer(question, stored[name], answers, ctx);
      if (problem) input.notice?.(`The stored ${name} "${stored[name]}" no longer fits: ${problem}`);
      // A stored answer that was the default then (a description naming the old task) follows the default.
      else if (!(question.followsDefault && stored[name] === question.default(stored, ctx))) value = stored[name];
      reask = !problem && Boolean(input.askAnswered) && interactive && !yes && !question.flagOnly;
    }
    const fallback = reask ? value : question.default(answers, ctx);

    if (given[name] !== undefined) {
      const problem = await checkAnswer(question, given[name], answers, ctx);
      if (problem) problems.push(problem);
      value = problem ? fallback : given[name];
    } else if (value === undefined || reask) {
      const askable = interactive && !yes && !question.flagOnly;
      if (reask || (askable && (!question.advanced || (customize ??= await input.confirmCustomize())))) {
        value = await input.ask(question, answers, fallback);
      } else {
        const required = !interactive && !yes && !question.advanced && !question.optional && !question.flagOnly;
        if (fallback === undefined || required) missing.push(question);
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
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message.replace(/\s+/g, ' ');
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
  localPython: () => undefined,
};

/** Where the user's data file lives inside the project; raw data is immutable, so it is kept as is. */
export function projectDataPath(answers: Pick<Answers, 'dataset' | 'dataPath'>): string | undefined {
  return answers.dataset === OWN_DATA && answers.dataPath ? `data/raw/${basename(answers.dataPath)}` : undefined;
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
