/**
 * `yo mlpipeline`: the run loop only. What to ask lives in lib/questions.ts, how answers are resolved
 * in lib/answers.ts, what to write in lib/files.ts; this class wires them into Yeoman's priorities.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import Generator from 'yeoman-generator';
import {
  readAnswersFile,
  resolveAnswers,
  storedAnswers,
  templateContext,
  type TemplateContext,
} from '../../lib/answers.js';
import { unknownFlagMessage, unknownFlags } from '../../lib/cli.js';
import { exampleInstance as exampleRow } from '../../lib/data-file.js';
import { GeneratorError, INPUT_ENDED, UsageError } from '../../lib/errors.js';
import { planFiles } from '../../lib/files.js';
import { onPath } from '../../lib/which.js';
import { CONFIG_KEY, TEMPLATES_DIR } from '../../lib/paths.js';
import {
  QUESTIONS,
  RUN_OPTIONS,
  type Answers,
  type DefaultsContext,
  type PartialAnswers,
  type Question,
} from '../../lib/questions.js';

/** Reads our answers from `<dir>/.yo-rc.json`; undefined when the folder is not an mlpipeline project. */
function readProjectConfig(dir: string): PartialAnswers | undefined {
  const file = resolve(dir, '.yo-rc.json');
  if (!existsSync(file)) return undefined;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message}); fix or delete it.`);
  }
  const ours = data?.[CONFIG_KEY];
  if (typeof ours !== 'object' || ours === null) return undefined;
  const answers: PartialAnswers = {};
  for (const question of QUESTIONS) {
    const value = (ours as Record<string, unknown>)[question.name];
    if (typeof value === 'string') answers[question.name] = value;
  }
  return answers;
}

/** The nearest folder, from `dir` upwards, that is an mlpipeline project; undefined if none is. */
function findProjectRoot(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (readProjectConfig(current)) return current;
    if (dirname(current) === current) return undefined;
  }
}

/** Sets our answers in `<dir>/.yo-rc.json`, keeping other generators' keys; writes only on change. */
function writeProjectConfig(dir: string, answers: PartialAnswers): void {
  const file = join(dir, '.yo-rc.json');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const data = before ? (JSON.parse(before) as Record<string, unknown>) : {};
  data[CONFIG_KEY] = answers;
  const after = `${JSON.stringify(data, null, 2)}\n`;
  if (after !== before) writeFileSync(file, after);
}

/** True when the folder has anything but an empty git repository in it. */
function hasContent(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((entry) => entry !== '.git');
}

function gitConfig(key: string): string {
  try {
    return execFileSync('git', ['config', '--get', key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}

export default class MlpipelineGenerator extends Generator {
  private answers!: Answers;
  private interactive = false;
  private context!: TemplateContext;
  private targetDir: string | undefined;
  private previousModule: string | undefined;
  private finished = false;

  constructor(args: string[], options: Record<string, unknown>) {
    // The project is Python: no npm install of a package.json, and no message about one.
    super(args, options as never, { customInstallTask: true });
    this.argument('directory', {
      type: String,
      required: false,
      description: 'Where to write the project (default: ./<project-name>, or here inside an existing project)',
    });
    for (const q of QUESTIONS) {
      const choices = q.allChoices ? ` Choices: ${q.allChoices.join(', ')}.` : '';
      this.option(q.flag, { type: String, description: `${q.help}${choices} Default: ${q.defaultHelp}.` });
    }
    for (const o of RUN_OPTIONS) {
      this.option(o.flag, { type: o.kind === 'boolean' ? Boolean : String, alias: o.alias, description: o.help });
    }
    this.sourceRoot(TEMPLATES_DIR);
    // A prompt cut off by a closed stdin can leave Node with nothing to do, and it would exit 0 as if all
    // went well. Turn that into a failure the caller can see.
    const guard = (): void => {
      if (!this.finished && !process.exitCode) {
        process.exitCode = 1;
        process.stderr.write(`mlpipeline: ${INPUT_ENDED}\n`);
      }
    };
    // The mlpipeline CLI reports this itself (exitGuard: false); `yo` does not. end() disarms it.
    if (!this.options.help && (this.options as Record<string, unknown>).exitGuard !== false) {
      process.once('exit', guard);
    }
  }

  private _flag(name: string): unknown {
    const camel = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const options = this.options as Record<string, unknown>;
    const value = options[name] ?? options[camel];
    // A flag given twice arrives as an array: the last one wins, as in most CLIs.
    return Array.isArray(value) ? value.at(-1) : value;
  }

  async initializing(): Promise<void> {
    const unknown = unknownFlags(this._args as string[]);
    if (unknown.length > 0) throw new UsageError(unknownFlagMessage(unknown[0]!));
  }

  async prompting(): Promise<void> {
    const cwd = this.contextRoot;
    const directory = this._flag('directory') as string | undefined;
    // Inside a project (or any folder below it), regenerate that project.
    this.targetDir = directory ? resolve(cwd, directory) : findProjectRoot(cwd);
    if (this.targetDir && existsSync(this.targetDir) && !statSync(this.targetDir).isDirectory()) {
      throw new UsageError(`${this.targetDir} is a file, not a directory: choose another place for the project.`);
    }

    const stored = (this.targetDir && readProjectConfig(this.targetDir)) || {};
    this.previousModule = stored.moduleName;
    let absentStoredData: string | undefined;
    if (stored.dataPath && this.targetDir) {
      stored.dataPath = resolve(this.targetDir, stored.dataPath);
      if (!existsSync(stored.dataPath)) absentStoredData = stored.dataPath;
    }

    const answersFile = this._flag('answers') as string | undefined;
    const given: PartialAnswers = answersFile ? readAnswersFile(resolve(cwd, answersFile)) : {};
    for (const q of QUESTIONS) {
      const value = this._flag(q.flag);
      if (value !== undefined && value !== null) given[q.name] = String(value).trim();
    }
    if (given.dataPath) given.dataPath = resolve(cwd, given.dataPath);

    const ctx: DefaultsContext = {
      directoryName: this.targetDir ? basename(this.targetDir) : undefined,
      gitName: once(() => gitConfig('user.name')),
      gitEmail: once(() => gitConfig('user.email')),
      resolvePath: (path) => resolve(cwd, path),
      absentStoredData,
      onPath,
    };
    const interactive = (this._flag('interactive') as boolean | undefined) ?? Boolean(process.stdin.isTTY);
    this.interactive = interactive;

    this.answers = await resolveAnswers({
      given,
      stored,
      yes: Boolean(this._flag('yes')),
      interactive,
      ctx,
      ask: (question, answers, fallback) => this._ask(question, answers, fallback, ctx),
      notice: (message) => this.log.info(message),
      confirmCustomize: async () => {
        const { customize } = await this.prompt<{ customize: boolean }>([
          {
            type: 'confirm',
            name: 'customize',
            message: 'Customize description, module name, author, license and Python version?',
            default: false,
          },
        ]);
        return customize;
      },
    });
  }

  private async _ask(
    question: Question,
    answers: PartialAnswers,
    fallback: string | undefined,
    ctx: DefaultsContext,
  ): Promise<string> {
    const reply = await this.prompt<Record<string, string>>([
      {
        type: question.kind,
        name: question.name,
        message: question.message,
        default: fallback,
        ...(question.choices ? { choices: [...question.choices(answers)] } : {}),
        ...(question.validate
          ? { validate: (value: string) => question.validate!(String(value).trim(), answers, ctx) }
          : {}),
      },
    ]);
    return String(reply[question.name] ?? '').trim();
  }

  configuring(): void {
    const { dataPath, target: targetColumn } = this.answers;
    const exampleInstance = dataPath && targetColumn ? exampleRow(dataPath, targetColumn) : undefined;
    this.context = templateContext(this.answers, { exampleInstance });
    const target = this.targetDir ?? resolve(this.contextRoot, this.answers.projectName);
    if (existsSync(target) && !statSync(target).isDirectory()) {
      throw new UsageError(`${target} is a file, not a directory: choose another project name or directory.`);
    }
    if (!readProjectConfig(target) && hasContent(target) && !this._flag('force')) {
      throw new GeneratorError(
        `${target} is not empty and is not an mlpipeline project (no generator-mlpipeline answers in a ` +
          '.yo-rc.json), so nothing was written.\nChoose another directory, or pass --force to write into it ' +
          'anyway (existing files with the same names are then overwritten).',
      );
    }
    try {
      mkdirSync(target, { recursive: true });
    } catch (error) {
      throw new GeneratorError(`Cannot create ${target}: ${(error as Error).message}. Choose a folder you can write to.`);
    }
    this.targetDir = target;
    this.destinationRoot(target);
  }

  writing(): void {
    for (const file of planFiles(this.context)) {
      const to = this.destinationPath(file.to);
      if (file.kind === 'render') this.fs.copyTpl(this.templatePath(file.from), to, this.context);
      else if (file.kind === 'copy') this.fs.copy(this.templatePath(file.from), to);
      else if (resolve(file.from) !== to && existsSync(file.from)) this.fs.copy(file.from, to);
    }
  }

  /**
   * Before Yeoman's conflict step, which asks file by file before overwriting a file that differs on
   * disk. Without a terminal nobody can answer, and the prompt would end the process as if it had
   * succeeded; so refuse up front, before anything is written, and say which files differ.
   */
  conflicts(): void {
    if (this.interactive || this._flag('force') || this._flag('bail')) return;
    const differing = (this.env.sharedFs.all() as Array<{ path: string; contents: Buffer | null; state?: string }>)
      .filter((file) => file.state === 'modified' && file.contents && existsSync(file.path))
      .filter((file) => !readFileSync(file.path).equals(file.contents as Buffer))
      .map((file) => relative(this.destinationRoot(), file.path));
    if (differing.length === 0) return;
    throw new GeneratorError(
      'These files differ from what the generator would write (edited by you, or changed templates):\n' +
        differing.map((f) => `  ${f}`).join('\n') +
        '\nNothing was written. Re-run in a terminal to decide file by file, or pass --force to overwrite them.',
    );
  }

  async install(): Promise<void> {
    // The answers are stored only now, after every file conflict was settled: a run stopped at a
    // conflict leaves .yo-rc.json describing the files that are really there.
    writeProjectConfig(this.destinationRoot(), storedAnswers(this.answers));
    if (!this._flag('skip-git')) await this._initGit();
    if (this._flag('skip-install')) return;
    this.log.info('Creating .venv and installing the project (make install) ...');
    const { execa } = await import('execa');
    const result = await execa('make', ['install'], { cwd: this.destinationRoot(), stdio: 'inherit', reject: false });
    if (result.exitCode !== 0) {
      throw new GeneratorError(
        `The project was written to ${this.destinationRoot()}, but \`make install\` failed` +
          `${result.exitCode === undefined ? '' : ` (exit ${result.exitCode})`}.\n` +
          'Fix the cause shown above (Python and pip must be on PATH and PyPI reachable), then run ' +
          '`make install` in the project.',
      );
    }
  }

  private async _initGit(): Promise<void> {
    const { execa } = await import('execa');
    const cwd = this.destinationRoot();
    const git = (args: string[]) => execa('git', args, { cwd, reject: false, stdin: 'ignore' });
    const inside = await git(['rev-parse', '--is-inside-work-tree']);
    if (inside.failed && (inside as { code?: string }).code === 'ENOENT') {
      this.log.info('git is not installed: skipping git init.');
      return;
    }
    if (inside.exitCode === 0) {
      this.log.info('Already inside a git repository: not running git init.');
      return;
    }
    const identity: string[] = [];
    if (!gitConfig('user.name')) identity.push('-c', `user.name=${this.answers.authorName}`);
    if (!gitConfig('user.email')) identity.push('-c', `user.email=${this.answers.authorEmail || 'author@example.com'}`);
    for (const args of [
      ['init', '--quiet', '--initial-branch=main'],
      ['add', '--all'],
      [...identity, 'commit', '--quiet', '--no-verify', '-m', 'Initial commit from generator-mlpipeline'],
    ]) {
      const result = await git(args);
      if (result.exitCode !== 0) {
        this.log.info(`git ${args.filter((a) => !a.startsWith('user.')).join(' ')} failed: ${result.stderr}`.trim());
        return;
      }
    }
    this.log.info('Initialized a git repository with a first commit.');
  }

  end(): void {
    this.finished = true;
    const old = this.previousModule;
    if (old && old !== this.answers.moduleName && existsSync(this.destinationPath('src', old))) {
      this.log.info(
        `The module is now ${this.answers.moduleName}; src/${old}/ was left as it was. Move any code of yours ` +
          `into src/${this.answers.moduleName}/, then delete src/${old}/.`,
      );
    }
    const where = relative(this.contextRoot, this.destinationRoot()) || '.';
    const steps = [
      ...(where === '.' ? [] : [`cd ${where}`]),
      ...(this._flag('skip-install') ? ['make install    # create .venv and install the project'] : []),
      'make all        # data -> train -> evaluate',
      'make serve      # REST API on http://127.0.0.1:8000 (docs at /docs)',
      'make test       # the project\'s tests',
      'make help       # every target',
    ];
    this.log(`\n${this.answers.projectName} is ready in ${this.destinationRoot()}.\n\nNext steps:\n${steps.map((s) => `  ${s}`).join('\n')}\n`);
  }
}
