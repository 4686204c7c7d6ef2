/**
 * What `mlpipeline add`, `mlpipeline model` and `mlpipeline feature` (and their `yo mlpipeline:<part>`
 * sub-generators) share. Each is a re-run of the generator in an existing project with the names given
 * joined to one stored answer (`addons`, `extraModels`, `features`), so that it writes exactly what
 * choosing them at creation writes, records it in .yo-rc.json, and merges the user's edits as any
 * re-run does. An Adder says how its names are read, planned and reported; the rest is here, once.
 */
import { GeneratorError, UsageError } from './errors.js';
import { findProjectRoot, PROJECT_CONFIG } from './project-config.js';
import { QUESTIONS, type Answers } from './questions.js';
import { runAll, type Io, type Prepared, type RunOptions } from './run.js';

/** What adding names to a project means: which it has, which to write, and the re-run's options. */
export interface AddingPlan<N extends string = string> {
  root: string;
  /** Names asked for that the project already has (adding one twice changes nothing). */
  present: N[];
  /** Names to write. */
  adding: N[];
  /** The re-run's options: the project's folder, and the stored answer with the new names joined. */
  options: RunOptions;
}

/** One command that adds to a project (add-ons, models, features). */
export interface Adder<P extends AddingPlan> {
  /** The bin's subcommand: `mlpipeline <verb> <name>...`. */
  verb: string;
  /** The plan for the words of the command line (names, or a one-line UsageError). */
  plan(cwd: string, words: readonly string[], options: RunOptions, command: string): P;
  /** The lines said for names the project has already. */
  present(plan: P): string[];
  /** What is said when the run is done: what each added part gives, and what to run next. */
  done(plan: P, prepared: Prepared, cwd: string, skippedInstall: boolean): string;
}

/** The names on a command line: "svm knn" and "svm,knn" alike, trimmed, lowercased unless told not to. */
export function namesIn(words: readonly string[], lowercase = true): string[] {
  return words
    .flatMap((word) => word.split(','))
    .map((name) => (lowercase ? name.trim().toLowerCase() : name.trim()))
    .filter(Boolean);
}

/**
 * The root of the project around `cwd`; outside one, a line that says where to run the command, or how
 * to create a project with the same names (`--<flag> a,b`).
 */
export function projectRootFor(cwd: string, command: string, flag: string, names: readonly string[]): string {
  const root = findProjectRoot(cwd);
  if (!root) throw notInProject(cwd, command, flag, names);
  return root;
}

/** The error of a command run outside a project (see projectRootFor). */
export function notInProject(cwd: string, command: string, flag: string, names: readonly string[]): GeneratorError {
  return new GeneratorError(
    `${command}: ${cwd} is not inside an mlpipeline project (no ${PROJECT_CONFIG} with its answers here or above): ` +
      `run it in the project's folder, or create a project with it: mlpipeline <directory> --${flag} ${names.join(',')}.`,
  );
}

/**
 * The plan that joins `names` to the answer `answer`: those `has` says the project has are present, the
 * rest are added, and `joined` makes the new answer from them.
 */
export function joinPlan<N extends string>(
  root: string,
  names: readonly N[],
  has: (name: N) => boolean,
  options: RunOptions,
  answer: keyof Answers,
  joined: (adding: N[]) => string,
): AddingPlan<N> {
  const present = names.filter(has);
  const adding = names.filter((name) => !has(name));
  return { root, present, adding, options: { ...options, command: undefined, directory: root, given: { ...options.given, [answer]: joined(adding) } } };
}

/** An adding command takes the run options that make sense for a re-run, no answers: those are changed by re-running mlpipeline. */
export function checkAddOptions(options: RunOptions, command: string): void {
  const answered = QUESTIONS.find((q) => options.given[q.name] !== undefined);
  const flag = answered ? answered.flag : options.answersFile !== undefined ? 'answers' : options.askAnswered ? 'ask-answered' : undefined;
  if (flag) {
    throw new UsageError(`${command} takes no answers (--${flag}): change answers by re-running mlpipeline --${flag} ... in the project.`);
  }
  if (options.directory !== undefined) {
    throw new UsageError(`${command} takes no directory (${options.directory}): run it inside the project's folder.`);
  }
}

/** `mlpipeline <verb> <name>...`: plans, says what is there already, and runs the generator for the rest. */
export async function runAdder<P extends AddingPlan>(adder: Adder<P>, cwd: string, words: readonly string[], options: RunOptions, io: Io): Promise<number> {
  const command = `mlpipeline ${adder.verb}`;
  checkAddOptions(options, command);
  const plan = adder.plan(cwd, words, options, command);
  for (const line of adder.present(plan)) io.info(line);
  if (plan.adding.length === 0) return 0;
  return runAll(cwd, plan.options, io, (prepared) => adder.done(plan, prepared, cwd, options.skipInstall));
}
