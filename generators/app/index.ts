/**
 * `yo mlpipeline`: the Yeoman wiring of the run in lib/run.ts, one step per Yeoman priority. Prompts go
 * through Yeoman's adapter; the files are written by lib/apply.ts (all or nothing, with the record of
 * what was generated), not by Yeoman's in-memory file system.
 */
import { basename } from 'node:path';
import Generator from 'yeoman-generator';
import type { Decided } from '../../lib/apply.js';
import { helpText, parseArgs, runOptions } from '../../lib/cli.js';
import { GeneratorError } from '../../lib/errors.js';
import { armExitGuard, disarmExitGuard } from '../../lib/exit-guard.js';
import { TEMPLATES_DIR } from '../../lib/paths.js';
import { QUESTIONS, RUN_OPTIONS } from '../../lib/questions.js';
import {
  checkboxAnswer,
  commit,
  decide,
  dryRun,
  install,
  nextSteps,
  prepare,
  summary,
  tickedByDefault,
  unresolved,
  write,
  type Io,
  type Prepared,
  type RunOptions,
} from '../../lib/run.js';

/** yo's own flags, which it leaves on the command line it hands over. */
const YO_FLAGS = new Set(['--insight', '--no-insight', '--local-only', '--no-color', '--color']);

/**
 * The user's arguments. yeoman-test and `env.run([...])` pass them to the generator as they are; `yo`
 * passes only the directory and turns flags into options, so read yo's own command line instead, with
 * the one argument parser the bin uses (a typo such as --tsak is an error, not silently ignored).
 */
export function userArgs(generatorArgs: string[]): string[] {
  const command = basename(process.argv[1] ?? '');
  const at = process.argv.findIndex((arg, i) => i >= 2 && /^mlpipeline(:[\w-]+)?$/.test(arg));
  if (command === 'yo' && at >= 0) return process.argv.slice(at + 1).filter((arg) => !YO_FLAGS.has(arg));
  return generatorArgs;
}

export default class MlpipelineGenerator extends Generator {
  protected runOptions!: RunOptions;
  protected io!: Io;
  protected prepared!: Prepared;
  /** The positionals of a sub-generator's command (`yo mlpipeline:feature log_income`). */
  protected words: string[] = [];
  private decided!: Decided[];
  /** Why the run ends non-zero after writing: conflicts to resolve, or a dry run that would stop. */
  private failure?: Error;

  constructor(args: string[], options: Record<string, unknown>, features: Record<string, unknown> = {}) {
    // The project is Python: no npm install of a package.json, and no message about one.
    super(args, options as never, { customInstallTask: true, ...features });
    this.argument('directory', {
      type: String,
      required: false,
      description: 'Where to write the project (default: the project around the current folder, an empty current folder, or ./<project-name>)',
    });
    for (const q of QUESTIONS) this.option(q.flag, { type: String, description: `${q.help} Default: ${q.defaultHelp}.` });
    for (const o of RUN_OPTIONS) {
      this.option(o.flag, { type: o.kind === 'boolean' ? Boolean : String, alias: o.alias, description: o.help });
    }
    // Yeoman declares some of these itself (skip-install, ask-answered) and keeps its own spec: take ours.
    // skip-cache and force-install change nothing here, so --help does not show them.
    const specs = (this as unknown as { _options: Record<string, { hide?: boolean; description?: string }> })._options;
    for (const o of RUN_OPTIONS) if (specs[o.flag]) specs[o.flag]!.description = o.help;
    for (const flag of ['skip-cache', 'force-install']) if (specs[flag]) specs[flag]!.hide = true;
    this.sourceRoot(TEMPLATES_DIR);
    if (!this.options.help) armExitGuard();
  }

  /** `yo mlpipeline --help`: the same text as `mlpipeline --help`, wrapped to the terminal. */
  override help(): string {
    return helpText('yo mlpipeline');
  }

  /** The arguments as the bin would see them; a sub-generator with a command of its own puts it first. */
  protected _commandArgs(args: string[]): string[] {
    return args;
  }

  async initializing(): Promise<void> {
    const parsed = parseArgs(this._commandArgs(userArgs(this._args as string[])));
    // A command's positionals are its own (feature names), not the directory.
    this.words = parsed.command ? parsed.positionals : [];
    this.runOptions = runOptions(parsed.command ? { ...parsed, positionals: [] } : parsed);
    const interactive = (this.options as { interactive?: boolean }).interactive ?? Boolean(process.stdin.isTTY);
    this.io = {
      interactive,
      info: (message) => this.log(message),
      warn: (message) => this.log.info(`warning: ${message}`),
      prompt: async (spec) => {
        if (spec.kind === 'checkbox') {
          const ticked = await this.prompt<Record<string, string[]>>([
            {
              type: 'checkbox',
              name: spec.name,
              message: spec.message,
              ...(spec.validate ? { validate: (ticked: readonly unknown[]) => spec.validate!(checkboxAnswer(ticked)) } : {}),
              choices: (spec.choices ?? []).map((c) => ({
                value: c.value,
                name: c.value,
                description: c.description,
                checked: tickedByDefault(spec, c.value),
              })),
            },
          ]);
          return checkboxAnswer(ticked[spec.name] ?? []);
        }
        const reply = await this.prompt<Record<string, string>>([
          {
            type: spec.kind,
            name: spec.name,
            message: spec.message,
            default: spec.default,
            ...(spec.choices
              ? { choices: spec.choices.map((c) => ({ value: c.value, name: c.value, description: c.description })) }
              : {}),
            ...(spec.validate ? { validate: spec.validate } : {}),
          },
        ]);
        return String(reply[spec.name] ?? '').trim();
      },
      confirm: async (name, message, fallback) => {
        const reply = await this.prompt<Record<string, boolean>>([{ type: 'confirm', name, message, default: fallback }]);
        return Boolean(reply[name]);
      },
    };
  }

  async prompting(): Promise<void> {
    this.prepared = await prepare(this.contextRoot, this.runOptions, this.io);
  }

  async writing(): Promise<void> {
    try {
      if (this.runOptions.dryRun) {
        if (dryRun(this.prepared, this.runOptions, this.io) !== 0) {
          this.failure = new GeneratorError('the run would stop or leave conflicts to resolve (listed above); nothing was written.');
        }
        return;
      }
      this.decided = await decide(this.prepared, this.runOptions, this.io);
      write(this.prepared, this.decided);
    } catch (error) {
      this.prepared.release();
      throw error;
    }
    // Only now that the project exists: Yeoman creates the folder it is given.
    this.destinationRoot(this.prepared.root);
    for (const line of summary(this.prepared, this.decided)) this.log(line);
    this.failure = unresolved(this.decided, !this.runOptions.skipInstall);
  }

  /** The project's lock is held until its install is done: `make install` writes there too. */
  async install(): Promise<void> {
    try {
      if (this.failure || this.runOptions.dryRun) return;
      let failure: unknown;
      if (!this.runOptions.skipInstall) await install(this.prepared, this.io, this.decided).catch((error: unknown) => (failure = error));
      if (!this.runOptions.skipGit && this.prepared.isNew) commit(this.prepared, this.io);
      if (failure) throw failure;
    } finally {
      this.prepared.release();
    }
  }

  end(): void {
    disarmExitGuard();
    if (this.failure) throw this.failure;
    if (!this.runOptions.dryRun) this.log(this._finalWords());
  }

  /** What to type next (a sub-generator says what its add-on gives instead); `_`: not a Yeoman task. */
  protected _finalWords(): string {
    return nextSteps(this.prepared, this.contextRoot, this.runOptions.skipInstall);
  }
}
