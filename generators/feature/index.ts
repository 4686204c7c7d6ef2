/**
 * `yo mlpipeline:feature NAME...`: the app generator run inside a project with the custom features
 * joined to its answers, as `mlpipeline feature NAME...` does (lib/feature.ts). Adding one the project
 * has already says so and changes nothing.
 */
import { checkAddOptions } from '../../lib/add.js';
import { disarmExitGuard } from '../../lib/exit-guard.js';
import { featureHelpText, featureNames, featuresPresent, featureWords, planFeature, type FeaturePlan } from '../../lib/feature.js';
import MlpipelineGenerator from '../app/index.js';

const COMMAND = 'yo mlpipeline:feature';

export default class FeatureGenerator extends MlpipelineGenerator {
  private plan!: FeaturePlan;

  constructor(args: string[], options: Record<string, unknown>) {
    // The tasks are the app generator's (inherited), each skipped when there is nothing to add.
    super(args, options, { inheritTasks: true });
  }

  override help(): string {
    return featureHelpText(COMMAND);
  }

  protected override _commandArgs(args: string[]): string[] {
    return ['feature', ...args];
  }

  override async initializing(): Promise<void> {
    await super.initializing();
    checkAddOptions(this.runOptions, COMMAND);
    this.plan = planFeature(this.contextRoot, featureNames(this.words, COMMAND), this.runOptions, COMMAND);
    for (const line of featuresPresent(this.plan)) this.log(line);
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
    return featureWords(this.plan, this.prepared, this.contextRoot, this.runOptions.skipInstall);
  }
}
