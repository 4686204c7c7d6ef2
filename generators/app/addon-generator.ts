/**
 * The sub-generators that add to a project: `yo mlpipeline:<add-on>` (generators/<add-on>/),
 * `yo mlpipeline:model <name>...` and `yo mlpipeline:feature <name>...`. Each is the app generator run
 * inside a project with the names joined to one of its answers, as `mlpipeline add|model|feature` does
 * (lib/adding.ts, with the Adder of lib/add.ts, lib/model.ts or lib/feature.ts). Adding one the
 * project has already says so and changes nothing.
 */
import { checkAddOptions, type Adder, type AddingPlan } from '../../lib/adding.js';
import { ADD, addHelpText } from '../../lib/add.js';
import type { AddonName } from '../../lib/catalog.js';
import { parseArgs, runOptions } from '../../lib/cli.js';
import { disarmExitGuard } from '../../lib/exit-guard.js';
import type { RunOptions } from '../../lib/run.js';
import MlpipelineGenerator, { userArgs } from './index.js';

/**
 * A sub-generator that adds something to the project around the current folder: the app generator's
 * tasks (inherited), each skipped when `_adding()` says there is nothing to add (it was there already).
 */
export abstract class AddingGenerator extends MlpipelineGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, { inheritTasks: true });
  }

  /** Whether the run has anything to write; `_`: not a Yeoman task. */
  protected abstract _adding(): boolean;

  override async prompting(): Promise<void> {
    if (this._adding()) await super.prompting();
  }

  override async writing(): Promise<void> {
    if (this._adding()) await super.writing();
  }

  override async install(): Promise<void> {
    if (this._adding()) await super.install();
  }

  override end(): void {
    if (this._adding()) super.end();
    else disarmExitGuard();
  }
}

/**
 * The sub-generator `yo mlpipeline:<name>` of an Adder, whose help is `help(command)`. Without `fixed`, its positionals name what to
 * add, read as `mlpipeline <verb> <name>...` reads them; with it (an add-on's own generator), it adds
 * those and its command line is the app generator's.
 */
export function addingGenerator<P extends AddingPlan>(
  adder: Adder<P>,
  name: string,
  help: (command: string) => string,
  fixed?: readonly string[],
): typeof MlpipelineGenerator {
  const command = `yo mlpipeline:${name}`;
  return class extends AddingGenerator {
    private plan!: P;
    private names: readonly string[] = fixed ?? [];

    override help(): string {
      return help(command);
    }

    protected override _commandLine(): RunOptions {
      if (fixed) return super._commandLine();
      const parsed = parseArgs([adder.verb, ...userArgs(this._args as string[])]);
      this.names = parsed.positionals;
      return { ...runOptions({ ...parsed, positionals: [] }), command: undefined };
    }

    override async initializing(): Promise<void> {
      await super.initializing();
      checkAddOptions(this.runOptions, command);
      this.plan = adder.plan(this.contextRoot, this.names, this.runOptions, command);
      for (const line of adder.present(this.plan)) this.log(line);
      this.runOptions = this.plan.options;
    }

    protected _adding(): boolean {
      return this.plan.adding.length > 0;
    }

    protected override _finalWords(): string {
      return adder.done(this.plan, this.prepared, this.contextRoot, this.runOptions.skipInstall);
    }
  };
}

/** `yo mlpipeline:<add-on>`: adds that add-on. */
export function addonGenerator(name: AddonName): typeof MlpipelineGenerator {
  return addingGenerator(ADD, name, (command) => addHelpText(command), [name]);
}
