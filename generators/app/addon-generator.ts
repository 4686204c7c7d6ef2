/**
 * `yo mlpipeline:<add-on>` (generators/<add-on>/): the app generator run inside a project with that
 * add-on joined to its answers, as `mlpipeline add <add-on>` does (lib/add.ts). Adding one the project
 * has already says so and changes nothing.
 */
import { addedWords, addHelpText, addonNames, alreadyThere, checkAddOptions, planAdd, type AddPlan } from '../../lib/add.js';
import type { AddonName } from '../../lib/catalog.js';
import { disarmExitGuard } from '../../lib/exit-guard.js';
import MlpipelineGenerator from './index.js';

export function addonGenerator(name: AddonName): typeof MlpipelineGenerator {
  const command = `yo mlpipeline:${name}`;
  return class AddonGenerator extends MlpipelineGenerator {
    private plan!: AddPlan;

    constructor(args: string[], options: Record<string, unknown>) {
      // The tasks are the app generator's (inherited), each skipped when there is nothing to add.
      super(args, options, { inheritTasks: true });
    }

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

    override async prompting(): Promise<void> {
      if (this.plan.adding.length > 0) await super.prompting();
    }

    override async writing(): Promise<void> {
      if (this.plan.adding.length > 0) await super.writing();
    }

    override async install(): Promise<void> {
      if (this.plan.adding.length > 0) await super.install();
    }

    override end(): void {
      if (this.plan.adding.length > 0) super.end();
      else disarmExitGuard();
    }

    protected override _finalWords(): string {
      return addedWords(this.plan, this.prepared, this.contextRoot, this.runOptions.skipInstall);
    }
  };
}
