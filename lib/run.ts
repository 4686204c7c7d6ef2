/**
 * One generator run, shared by the `mlpipeline` bin and `yo mlpipeline`: where to write, the answers,
 * the files in memory, what they change on disk, the decisions about edited files, the writes (all or
 * nothing), then install, git and the summary. Prompts and messages go through `Io`, so the bin (plain
 * inquirer prompts) and the Yeoman generator (its adapter) differ only there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, relative, resolve } from 'node:path';
import { readAnswersFile, resolveAnswers, safeValidate, storedAnswers } from './answers.js';
import { applyChanges, preflight, type Decided } from './apply.js';
import { lockProject, type Release } from './project-lock.js';
import { baseChanges, readBase } from './base-store.js';
import { OWN_DATA } from './catalog.js';
import { computeChanges, newRecord, type Change, type MergeSource, type Output, type Reason } from './changes.js';
import { installerCaveats, templateContext, type TemplateContext } from './context.js';
import { exampleInstance } from './data-file.js';
import { decide, dryRunReport, unresolved } from './decide.js';
export { decide, unresolved } from './decide.js';
import { GeneratorError, UsageError } from './errors.js';
import { planFiles } from './files.js';
import { gitConfig, initialCommit } from './git.js';
import { CONFIG_KEY, PACKAGE_VERSION } from './paths.js';
import {
  findProjectRoot,
  projectConfigText,
  PROJECT_CONFIG,
  readProjectConfig,
  type FileRecord,
  type ProjectConfig,
} from './project-config.js';
import { findPython, localPython } from './python.js';
import { DEFAULT_AUTHOR, type Answers, type DefaultsContext, type Installer, type PartialAnswers, type Question } from './questions.js';
import { renderOutputs } from './render.js';
import { onPath } from './which.js';

/** A prompt, as both front ends can show it. */
export interface PromptSpec {
  name: string;
  kind: 'input' | 'select' | 'checkbox';
  message: string;
  default?: string;
  choices?: Array<{ value: string; description?: string }>;
  validate?: (value: string) => true | string | Promise<true | string>;
}

/**
 * A checkbox prompt's answer as the question table stores it: "a,b", or "none" when nothing is ticked.
 * Takes the ticked values, or the ticked choices ({value}) that a checkbox's validate is given.
 */
export function checkboxAnswer(ticked: readonly unknown[]): string {
  const values = ticked.map((c) => String(typeof c === 'object' && c !== null && 'value' in c ? c.value : c));
  return values.length > 0 ? values.join(',') : 'none';
}

/** Whether a checkbox choice starts ticked, given the default ("a,b" or "none"). */
export function tickedByDefault(spec: PromptSpec, value: string): boolean {
  return (spec.default ?? '').split(',').map((part) => part.trim()).includes(value);
}

export type ConflictChoice = 'merge' | 'overwrite' | 'keep' | 'abort';

export interface Io {
  interactive: boolean;
  prompt: (spec: PromptSpec) => Promise<string>;
  confirm: (name: string, message: string, fallback: boolean) => Promise<boolean>;
  info: (message: string) => void;
  warn: (message: string) => void;
}

/** The run options (never stored), as parsed from the command line. */
export interface RunOptions {
  /** A sub-command of the bin (`mlpipeline update`); undefined for a plain run. */
  command?: 'update' | 'add' | 'model' | 'feature';
  directory?: string;
  yes: boolean;
  force: boolean;
  bail: boolean;
  skipInstall: boolean;
  skipGit: boolean;
  askAnswered: boolean;
  /** Show what the run would change, file by file, and write nothing. */
  dryRun: boolean;
  answersFile?: string;
  /** The templates folder; another one only in tests, to play a generator upgrade. */
  templatesDir?: string;
  /** Answers given as flags, by answer name. */
  given: PartialAnswers;
}

export interface Prepared {
  root: string;
  answers: Answers;
  context: TemplateContext;
  outputs: Output[];
  changes: Change[];
  existing?: ProjectConfig;
  /** No mlpipeline project was there before this run. */
  isNew: boolean;
  /** Lets other runs into the project again (lib/project-lock.ts); safe to call twice. */
  release: Release;
}

/** True when the folder is missing, empty, or holds only a git repository. */
function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).every((entry) => entry === '.git');
}

function checkOptions(options: RunOptions): void {
  if (options.force && options.bail) {
    throw new UsageError('--force overwrites edited files and --bail stops at the first one: pass one of them, not both.');
  }
}

/** Where the project is, before the answers: a named folder, the enclosing project, or an empty cwd. */
function locate(cwd: string, options: RunOptions): string | undefined {
  if (options.command === 'update') return locateProject(cwd, options.directory);
  const target = options.directory ? resolve(cwd, options.directory) : (findProjectRoot(cwd) ?? (isEmptyDir(cwd) ? cwd : undefined));
  if (target && existsSync(target) && !statSync(target).isDirectory()) {
    throw new UsageError(`${target} is a file, not a folder: choose another place for the project.`);
  }
  return target;
}

/** `mlpipeline update`: the project at or above the named folder (or the current one); never a new one. */
function locateProject(cwd: string, directory: string | undefined): string {
  const start = resolve(cwd, directory ?? '.');
  if (!existsSync(start)) throw new UsageError(`${start} does not exist: name the folder of the project to update.`);
  const root = findProjectRoot(statSync(start).isDirectory() ? start : dirname(start));
  if (!root) {
    throw new UsageError(
      `No mlpipeline project at or above ${start} (no ${PROJECT_CONFIG} with ${CONFIG_KEY} answers): ` +
        'cd into the project, or name its folder (mlpipeline update path/to/project). To write a new project ' +
        'into a folder named update, write ./update.',
    );
  }
  return root;
}

/** -1, 0 or 1 as version a is older than, equal to or newer than b (major.minor.patch, numbers only). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.+-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  return 0;
}

/** A project last written by a newer generator: an update would take its files back to older templates. */
function checkVersion(existing: ProjectConfig | undefined, options: RunOptions, io: Io): void {
  if (!existing?.version || compareVersions(existing.version, PACKAGE_VERSION) <= 0) return;
  const message =
    `This project was last written by ${CONFIG_KEY} ${existing.version}, newer than this one (${PACKAGE_VERSION}): ` +
    'its files would go back to older templates. Upgrade the generator (npm i -g generator-mlpipeline@latest)';
  if (options.command === 'update' && !options.force) throw new GeneratorError(`${message}, or pass --force. Nothing was written.`);
  io.warn(`${message}.`);
}

function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}

function promptFor(question: Question, answers: PartialAnswers, fallback: string | undefined, ctx: DefaultsContext): PromptSpec {
  const listed = question.choices?.(answers) ?? question.suggestions?.(answers, ctx);
  return {
    name: question.name,
    kind: question.kind === 'checkbox' ? 'checkbox' : listed ? 'select' : 'input',
    message: question.message,
    default: fallback,
    choices: listed?.map((value) => ({ value, description: question.describe?.(value, answers) })),
    validate: question.validate ? (value) => safeValidate(question, String(value).trim(), answers, ctx) : undefined,
  };
}

async function answersFor(cwd: string, target: string | undefined, options: RunOptions, io: Io, existing?: ProjectConfig): Promise<Answers> {
  const stored: PartialAnswers = { ...existing?.answers };
  let absentStoredData: string | undefined;
  if (stored.dataPath && target) {
    stored.dataPath = resolve(target, stored.dataPath);
    if (!existsSync(stored.dataPath)) absentStoredData = stored.dataPath;
  }
  const update = options.command === 'update';
  const given: PartialAnswers = options.answersFile ? readAnswersFile(resolve(cwd, options.answersFile)) : {};
  Object.assign(given, options.given);
  if (given.dataPath) given.dataPath = userPath(cwd, given.dataPath);
  const ctx: DefaultsContext = {
    directoryName: target ? basename(target) : undefined,
    gitName: once(() => gitConfig('user.name', cwd)),
    gitEmail: once(() => gitConfig('user.email', cwd)),
    resolvePath: (path) => userPath(cwd, path),
    absentStoredData,
    onPath,
    localPython,
    storedData: stored.dataPath && stored.target ? { dataPath: stored.dataPath, target: stored.target } : undefined,
    // In a terminal, a project name whose folder cannot take the project is refused at its prompt.
    projectDirProblem:
      target || !io.interactive ? undefined : (name) => projectDirProblem(resolve(cwd, name), options.force),
  };
  // An update asks nothing: the stored answers, and the defaults of questions new since they were stored.
  const unfit: string[] = [];
  const answers = await resolveAnswers({
    given,
    stored,
    yes: options.yes || update,
    interactive: io.interactive,
    askAnswered: options.askAnswered,
    ctx,
    ask: (question, sofar, fallback) => io.prompt(promptFor(question, sofar, fallback, ctx)),
    notice: update ? (message) => unfit.push(message) : io.info,
    confirmCustomize: () =>
      io.confirm('customize', 'Customize exports, description, module name, author, license, Python version and installer?', false),
  });
  if (unfit.length > 0) {
    throw new UsageError(
      `${unfit.join('; ')}. An update keeps the stored answers: put back what they name, or change the answer ` +
        'with a re-run in the project (mlpipeline --flag VALUE), which updates the same way.',
    );
  }
  if (update) {
    const added = Object.entries(storedAnswers(answers)).filter(([name]) => existing?.answers[name as keyof PartialAnswers] === undefined);
    if (added.length > 0) io.info(`New answers, not stored before, take their defaults: ${added.map(([k, v]) => `${k}=${v}`).join(', ')}.`);
  }
  if (answers.authorName === DEFAULT_AUTHOR && !given.authorName && !stored.authorName) {
    io.info(
      `Author: "${DEFAULT_AUTHOR}" (git has no user.name and no --author-name was given). It is in pyproject.toml and ` +
        'LICENSE; re-run with --author-name "Your Name" to change it.',
    );
  }
  return answers;
}

/** A path as typed or dropped into a terminal: surrounding quotes removed, ~ expanded. */
function userPath(cwd: string, typed: string): string {
  const unquoted = /^(['"])(.*)\1$/.exec(typed.trim())?.[2] ?? typed;
  const expanded = unquoted === '~' || unquoted.startsWith('~/') ? homedir() + unquoted.slice(1) : unquoted;
  return resolve(cwd, expanded);
}

/** Why `dir` cannot receive a new project, or undefined when it can. */
function projectDirProblem(dir: string, force: boolean): string | undefined {
  if (existsSync(dir) && !statSync(dir).isDirectory()) return `${dir} is a file, not a folder: choose another project name.`;
  if (force || isEmptyDir(dir) || readProjectConfig(dir)) return undefined;
  return `${dir} is not empty and is not an mlpipeline project: choose another name (or pass --force).`;
}

function warnAboutPython(answers: Answers, io: Io): void {
  const python3 = localPython();
  if (findPython(answers.pythonVersion, python3)) return;
  const local = python3 ? `python3 is ${python3}` : 'there is no python3';
  io.warn(
    `No Python ${answers.pythonVersion} or newer was found (${local}, and no python3.X that runs): \`make install\` ` +
      `will stop until one is installed, or until you pass PYTHON=/path/to/python${answers.pythonVersion}.`,
  );
}

/** Everything up to, not including, the first write: answers, rendered files and their changes. */
export async function prepare(cwd: string, options: RunOptions, io: Io): Promise<Prepared> {
  checkOptions(options);
  const found = locate(cwd, options);
  // Locked before its answers and record are read: no other run may change them under this one.
  const lock: Lock = { release: found && readProjectConfig(found) ? lockProject(found) : undefined };
  try {
    return await prepareFrom(cwd, found, options, io, lock);
  } catch (error) {
    lock.release?.();
    throw error;
  }
}

interface Lock {
  release?: Release;
}

async function prepareFrom(cwd: string, found: string | undefined, options: RunOptions, io: Io, lock: Lock): Promise<Prepared> {
  const existing = found ? readProjectConfig(found) : undefined;
  checkVersion(existing, options, io);
  const answers = await answersFor(cwd, found, options, io, existing);
  const target = found ?? resolve(cwd, answers.projectName);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new UsageError(`${target} is a file, not a folder: choose another project name or directory.`);
  }
  // A project found only now, by the name answered: locked before its record is read.
  if (!lock.release && readProjectConfig(target)) lock.release = lockProject(target);
  const isProject = Boolean(existing ?? readProjectConfig(target));
  if (!isProject && !isEmptyDir(target) && !options.force) {
    throw new GeneratorError(
      `${target} is not empty and is not an mlpipeline project (no generator-mlpipeline answers in a ` +
        `${PROJECT_CONFIG}), so nothing was written.\nChoose another directory, or pass --force to write into it ` +
        'anyway (existing files with the same names are then overwritten).',
    );
  }
  warnAboutPython(answers, io);
  const dataPath = answers.dataPath;
  const context = templateContext(answers, {
    exampleInstance: dataPath && answers.target ? await exampleInstance(dataPath, answers.target) : undefined,
  });
  const planned = planFiles(context).filter((file) => !(file.kind === 'user-file' && resolve(file.from) === resolve(target, file.to)));
  const outputs = await renderOutputs(planned, context, options.templatesDir);
  const record =
    existing?.record ?? readProjectConfig(target)?.record ?? (existing && (await impliedRecord(existing, answers, target, options.templatesDir)));
  const source: MergeSource = {
    base: (hash) => readBase(target, hash),
    labels: { ours: 'yours', theirs: `${CONFIG_KEY} ${PACKAGE_VERSION}` },
  };
  const changes = await computeChanges(target, outputs, record, source);
  const release = lock.release ?? (() => undefined);
  return { root: target, answers, context, outputs, changes, existing, isNew: !isProject, release };
}

/**
 * For a project made before the generator kept a record: what the stored answers render to with these
 * templates stands in for it, so a file still equal to that is known to be untouched.
 */
async function impliedRecord(
  existing: ProjectConfig,
  answers: Answers,
  root: string,
  templatesDir?: string,
): Promise<FileRecord | undefined> {
  try {
    const stored = { ...answers, ...existing.answers } as Answers;
    if (stored.dataPath) stored.dataPath = resolve(root, stored.dataPath);
    const context = templateContext(stored);
    return newRecord(await renderOutputs(planFiles(context).filter((file) => file.kind !== 'user-file'), context, templatesDir));
  } catch {
    return undefined;
  }
}

/** The new text of .yo-rc.json (answers and record), or undefined when it would not change. */
export function configUpdate(prepared: Prepared): string | undefined {
  const configPath = resolve(prepared.root, PROJECT_CONFIG);
  const config = projectConfigText(prepared.root, storedAnswers(prepared.answers), newRecord(prepared.outputs), PACKAGE_VERSION);
  const current = existsSync(configPath) ? readFileSync(configPath, 'utf8') : undefined;
  return config === current ? undefined : config;
}

/**
 * Writes every decided change, the base versions the next merge needs (in BASE_DIR) and .yo-rc.json,
 * all or nothing: if any write fails, files and base versions alike are put back.
 */
export function write(prepared: Prepared, decided: Decided[]): void {
  const changes = [...decided, ...baseChanges(prepared.root, prepared.outputs)];
  const problems = preflight(prepared.root, changes, [PROJECT_CONFIG]);
  if (problems.length > 0) {
    throw new GeneratorError(
      `Nothing was written: the project cannot be written as it is.\n${problems.map((p) => `  ${p}`).join('\n')}\n` +
        'Fix the permissions (or move those paths away), then run again.',
    );
  }
  const config = configUpdate(prepared);
  applyChanges(prepared.root, { changes, finally: config === undefined ? [] : [{ path: PROJECT_CONFIG, text: config }] });
}

/** One line per kind of change, for the end of the run. */
export function summary(prepared: Prepared, decided: Decided[]): string[] {
  const by = (action: string) => decided.filter((c) => c.action === action).map((c) => c.path);
  const names = (paths: string[]) => (paths.length <= 6 ? paths.join(', ') : `${paths.slice(0, 6).join(', ')} and ${paths.length - 6} more`);
  const created = by('create');
  const updated = by('update');
  const merged = [...by('merge'), ...by('merge-conflict')];
  const lines: string[] = [];
  if (prepared.isNew) lines.push(`Wrote ${created.length + by('conflict-overwrite').length} files to ${prepared.root}.`);
  else if (created.length + updated.length + merged.length + by('conflict-overwrite').length + by('remove').length === 0) {
    lines.push(`Nothing to change: the generator would write the same ${by('unchanged').length + by('edited').length} files.`);
  } else {
    const parts = [
      updated.length ? `updated ${names(updated)}` : '',
      created.length ? `created ${names(created)}` : '',
      `${by('unchanged').length} unchanged`,
    ].filter(Boolean);
    lines.push(`${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()));
  }
  if (by('merge').length) lines.push(`Merged the new version into your edits: ${names(by('merge'))}.`);
  if (by('merge-conflict').length) lines.push(`Merged, with conflicts to resolve: ${names(by('merge-conflict'))}.`);
  if (by('conflict-overwrite').length) lines.push(`Overwrote, as asked: ${names(by('conflict-overwrite'))}.`);
  const marked = decided.filter((c) => c.action === 'edited' && c.reason === 'markers').map((c) => c.path);
  const edited = by('edited').filter((path) => !marked.includes(path));
  if (edited.length) lines.push(`Left as you edited them (nothing new for them): ${names(edited)}.`);
  if (marked.length) lines.push(`Still holding conflict markers from an earlier update (resolve them): ${names(marked)}.`);
  if (by('remove').length) lines.push(`Removed, no longer generated and untouched: ${names(by('remove'))}.`);
  if (by('orphan').length) lines.push(`No longer generated, kept because you edited them: ${names(by('orphan'))}.`);
  if (by('conflict').length) lines.push(`Kept your version (the new one was not written): ${names(by('conflict'))}.`);
  if (by('deleted').length) lines.push(`Not recreated, you deleted them (--force restores them): ${names(by('deleted'))}.`);
  lines.push(...installerCaveats(prepared.context));
  return lines;
}

/**
 * Whether this run changed pyproject.toml of a project that has a lock: `make install` would then
 * refuse the lock as stale, so the install updates it first, keeping every other pin (`make lock
 * KEEP=1`). That is what a re-run that adds a dependency (an add-on, an export format) needs.
 */
function lockToUpdate(prepared: Prepared, decided: readonly Decided[]): boolean {
  const changed = decided.some((c) => c.path === 'pyproject.toml' && ['update', 'conflict-overwrite', 'merge', 'merge-conflict'].includes(c.action));
  return prepared.context.hasLock && !prepared.isNew && changed && existsSync(resolve(prepared.root, prepared.context.lockFile));
}

/**
 * The command each installer needs besides Python (pip needs none), the Makefile variable that may name
 * it elsewhere, and how to get it: the same words as the Makefile's.
 */
const INSTALLER_TOOLS: Partial<Record<Installer, { command: string; variable: string; how: string }>> = {
  uv: { command: 'uv', variable: 'UV', how: 'it (python3 -m pip install --user uv, or see https://docs.astral.sh/uv/)' },
  poetry: { command: 'poetry', variable: 'POETRY', how: 'Poetry 2 (uv tool install poetry, or python3 -m pip install --user poetry)' },
  conda: { command: 'conda', variable: 'CONDA', how: 'Miniforge (https://conda-forge.org/download/)' },
};

/** `make install` (or `make lock KEEP=1`, see lockToUpdate) in the project, its output shown; a failure says what to do. */
export async function install(prepared: Prepared, io: Io, decided: readonly Decided[] = []): Promise<void> {
  if (!onPath('make')) {
    throw new GeneratorError(
      `The project was written to ${prepared.root}, but \`make\` is not installed, so nothing was installed. ` +
        'Install GNU make (e.g. apt install make), then run `make install` in the project.',
    );
  }
  const tool = INSTALLER_TOOLS[prepared.answers.installer];
  if (tool && !process.env[tool.variable] && !onPath(tool.command)) {
    // As for make: the project is complete; the install is left to the user, who is told how.
    throw new GeneratorError(
      `The project was written to ${prepared.root}, but ${tool.command} is not on PATH, so nothing was installed: ` +
        `install ${tool.how}, then run \`make install\` in the project.`,
    );
  }
  const args = lockToUpdate(prepared, decided) ? ['lock', 'KEEP=1'] : ['install'];
  const command = `make ${args.join(' ')}`;
  io.info(
    args[0] === 'lock'
      ? `pyproject.toml changed: updating ${prepared.context.lockFile} for it (every other version kept where it still fits) and installing: ${command} ...`
      : `Installing the project: ${command} ...`,
  );
  const { spawn } = await import('node:child_process');
  const code = await new Promise<number | null>((done) => {
    const child = spawn('make', args, { cwd: prepared.root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => done(null));
    child.on('close', done);
  });
  if (code !== 0) {
    throw new GeneratorError(
      `The project was written to ${prepared.root}, but \`${command}\` failed${code === null ? '' : ` (exit ${code})`}. ` +
        `Fix the cause shown above, then run \`${command}\` in the project.`,
    );
  }
}

/** The project's first commit (new projects only), after the install so that it holds the lock file. */
export function commit(prepared: Prepared, io: Io): void {
  const { authorName, authorEmail } = prepared.answers;
  const said = initialCommit(prepared.root, { name: authorName, email: authorEmail });
  if (said) io.info(said);
}

/** What to type next, relative to where the user is. */
export function nextSteps(prepared: Prepared, cwd: string, skippedInstall: boolean): string {
  const where = relative(cwd, prepared.root) || '.';
  const steps = [
    ...(where === '.' ? [] : [`cd ${where.includes(' ') ? JSON.stringify(where) : where}`]),
    ...(skippedInstall ? ['make install    # create .venv and install the project'] : []),
    'make all        # data -> train -> evaluate',
    'make serve      # REST API on http://127.0.0.1:8000 (docs at /docs)',
    "make test       # the project's tests",
    'make help       # every target',
  ];
  return `${prepared.answers.projectName} is ready in ${prepared.root}.\n\nNext steps:\n${steps.map((s) => `  ${s}`).join('\n')}\n`;
}

/**
 * The whole run for the bin: prepare, decide, write, install, commit. The Yeoman generator calls the
 * same steps from its own priorities.
 */
export async function runAll(
  cwd: string,
  options: RunOptions,
  io: Io,
  finalWords: (prepared: Prepared) => string = (prepared) => nextSteps(prepared, cwd, options.skipInstall),
): Promise<number> {
  const prepared = await prepare(cwd, options, io);
  try {
    return await runPrepared(prepared, options, io, finalWords);
  } finally {
    prepared.release();
  }
}

async function runPrepared(prepared: Prepared, options: RunOptions, io: Io, finalWords: (prepared: Prepared) => string): Promise<number> {
  if (options.dryRun) return dryRun(prepared, options, io);
  const decided = await decide(prepared, options, io);
  write(prepared, decided);
  for (const line of summary(prepared, decided)) io.info(line);
  // Files left with conflict markers end the run (exit 1) before the install: they may not even parse.
  const conflicts = unresolved(decided, !options.skipInstall);
  if (conflicts) throw conflicts;
  let installError: unknown;
  if (!options.skipInstall) await install(prepared, io, decided).catch((error: unknown) => (installError = error));
  if (!options.skipGit && prepared.isNew) commit(prepared, io);
  if (installError) throw installError;
  io.info(finalWords(prepared));
  return 0;
}

/** --dry-run: the report of what the run would do; returns the exit code the run would end with. */
export function dryRun(prepared: Prepared, options: RunOptions, io: Io): number {
  const { lines, exitCode } = dryRunReport(prepared, options, io, configUpdate(prepared) !== undefined);
  for (const line of lines) io.info(line);
  return exitCode;
}
