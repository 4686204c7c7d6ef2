/**
 * `yo mlpipeline:model <name>...`: the app generator run inside a project with the named estimators
 * joined to its extraModels answer, as `mlpipeline model <name>` does (lib/model.ts). Adding one the
 * project has already says so and changes nothing.
 */
import { checkAddOptions } from '../../lib/add.js';
import { parseArgs, runOptions } from '../../lib/cli.js';
import { addedModelWords, modelHelpText, modelNames, modelsAlreadyThere, planModel, type ModelPlan } from '../../lib/model.js';
import type { RunOptions } from '../../lib/run.js';
import { AddingGenerator } from '../app/addon-generator.js';
import { userArgs } from '../app/index.js';

const COMMAND = 'yo mlpipeline:model';

export default class ModelGenerator extends AddingGenerator {
  private plan!: ModelPlan;
  /** The models named on the command line. */
  private names: string[] = [];

  override help(): string {
    return modelHelpText(`${COMMAND} <name>...`);
  }

  /** Read as `mlpipeline model <name>...`: the positionals name models, not the project's directory. */
  protected override _commandLine(): RunOptions {
    const parsed = parseArgs(['model', ...userArgs(this._args as string[])]);
    this.names = parsed.positionals;
    return { ...runOptions({ ...parsed, positionals: [] }), command: undefined };
  }

  override async initializing(): Promise<void> {
    await super.initializing();
    checkAddOptions(this.runOptions, COMMAND);
    this.plan = planModel(this.contextRoot, modelNames(this.names, COMMAND), this.runOptions, COMMAND);
    for (const line of modelsAlreadyThere(this.plan)) this.log(line);
    this.runOptions = this.plan.options;
  }

  protected _adding(): boolean {
    return this.plan.adding.length > 0;
  }

  protected override _finalWords(): string {
    return addedModelWords(this.plan, this.prepared, this.contextRoot, this.runOptions.skipInstall);
  }
}
