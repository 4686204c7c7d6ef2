/**
 * `yo mlpipeline:feature NAME...`: the app generator run inside a project with the custom features
 * joined to its answers, as `mlpipeline feature NAME...` does (lib/feature.ts). Adding one the project
 * has already says so and changes nothing.
 */
import { checkAddOptions } from '../../lib/add.js';
import { parseArgs, runOptions } from '../../lib/cli.js';
import { featureHelpText, featureNames, featuresPresent, featureWords, planFeature, type FeaturePlan } from '../../lib/feature.js';
import type { RunOptions } from '../../lib/run.js';
import { AddingGenerator } from '../app/addon-generator.js';
import { userArgs } from '../app/index.js';

const COMMAND = 'yo mlpipeline:feature';

export default class FeatureGenerator extends AddingGenerator {
  private plan!: FeaturePlan;
  /** The features named on the command line. */
  private names: string[] = [];

  override help(): string {
    return featureHelpText(COMMAND);
  }

  /** Read as `mlpipeline feature NAME...`: the positionals name features, not the project's directory. */
  protected override _commandLine(): RunOptions {
    const parsed = parseArgs(['feature', ...userArgs(this._args as string[])]);
    this.names = parsed.positionals;
    return { ...runOptions({ ...parsed, positionals: [] }), command: undefined };
  }

  override async initializing(): Promise<void> {
    await super.initializing();
    checkAddOptions(this.runOptions, COMMAND);
    this.plan = planFeature(this.contextRoot, featureNames(this.names, COMMAND), this.runOptions, COMMAND);
    for (const line of featuresPresent(this.plan)) this.log(line);
    this.runOptions = this.plan.options;
  }

  protected _adding(): boolean {
    return this.plan.adding.length > 0;
  }

  protected override _finalWords(): string {
    return featureWords(this.plan, this.prepared, this.contextRoot, this.runOptions.skipInstall);
  }
}
