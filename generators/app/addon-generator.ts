/**
 * `yo mlpipeline:<add-on>` (generators/<add-on>/): the app generator run inside a project with that
 * add-on joined to its answers, as `mlpipeline add <add-on>` does (lib/add.ts). Adding one the project
 * has already says so and changes nothing.
 */
import { addedWords, addHelpText, addonNames, alreadyThere, checkAddOptions, planAdd, type AddPlan } from '../../lib/add.js';
import type { AddonName } from '../../lib/catalog.js';
import { disarmExitGuard } from '../../lib/exit-guard.js';
import MlpipelineGenerator from './index.js';

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

export function addonGenerator(name: AddonName): typeof MlpipelineGenerator {
  const command = `yo mlpipeline:${name}`;
  return class AddonGenerator extends AddingGenerator {
    private plan!: AddPlan;

    override help(): string {
      return addHelpText(command);
    }

    override async initializing(): Promise<void> {
      await super.initializing();
      checkAddOptions(this.runOptions, command);
      this.plan = planAdd(this.contextRoot, addonNames([name], command), this.runOptions, command);
      for (const line of alreadyThere(this.plan)) this.log(line);
      this.runOptions = this.plan.options;
    }

    protected _adding(): boolean {
      return this.plan.adding.length > 0;
    }

    protected override _finalWords(): string {
      return addedWords(this.plan, this.prepared, this.contextRoot, this.runOptions.skipInstall);
    }
  };
}
