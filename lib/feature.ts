/**
 * `mlpipeline feature NAME...` and `yo mlpipeline:feature NAME...`: a custom scikit-learn transformer
 * added to an existing project exactly as `--features NAME` at creation would write it: its class in
 * src/<module>/transformers/NAME.py, its test, its row in the transformers registry and its block under
 * features.custom in config. Like `mlpipeline add` (add.ts), it is a re-run of the generator with the
 * stored answers and the name joined to the `features` answer, so files the user edited (config.yaml
 * above all) are merged three ways, and .yo-rc.json records the new files.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { joinPlan, namesIn, notInProject, projectRootFor, type Adder, type AddingPlan } from './adding.js';
import { wrap } from './cli.js';
import { UsageError } from './errors.js';
import { featureClassName, validateFeatureName } from './names.js';
import { PROJECT_CONFIG, readProjectConfig } from './project-config.js';
import { featureList, NONE, projectModuleNames, validateFeatures } from './questions.js';
import type { Prepared, RunOptions } from './run.js';

export interface FeaturePlan extends AddingPlan {
  moduleName: string;
}

/** The names on the command line ("log_income ratio", "log_income,ratio"), checked for their form. */
export function featureNames(words: readonly string[], command = 'mlpipeline feature'): string[] {
  const named = namesIn(words, false);
  if (named.length === 0) {
    throw new UsageError(`${command} needs the name of the feature to add, a snake_case Python name (e.g. ${command} log_income).`);
  }
  for (const name of named) {
    const verdict = validateFeatureName(name);
    if (verdict !== true) throw new UsageError(`${command}: ${verdict}`);
  }
  return [...new Set(named)];
}

/** The module names a new feature of the project at `root` must not take: the templates' and the user's own. */
function takenNames(root: string, moduleName: string): Set<string> {
  const folder = join(root, 'src', moduleName);
  const own = existsSync(folder)
    ? readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? [entry.name] : entry.name.endsWith('.py') ? [entry.name.slice(0, -3)] : [],
      )
    : [];
  return new Set([...projectModuleNames(moduleName), ...own]);
}

/** What adding `names` to the project around `cwd` means; refuses outside a project and names that clash. */
export function planFeature(cwd: string, names: string[], options: RunOptions, command = 'mlpipeline feature'): FeaturePlan {
  const root = projectRootFor(cwd, command, 'features', names);
  const config = readProjectConfig(root);
  if (!config) throw notInProject(cwd, command, 'features', names);
  const moduleName = config.answers.moduleName ?? '';
  const stored = featureList(config.answers.features);
  const plan = joinPlan(root, names, (name) => stored.includes(name), options, 'features', (adding) => [...stored, ...adding].join(',') || NONE);
  const taken = takenNames(root, moduleName);
  for (const name of plan.adding) {
    const verdict = validateFeatureName(name, taken);
    if (verdict !== true) throw new UsageError(`${command}: ${verdict}`);
    const own = `src/${moduleName}/transformers/${name}.py`;
    if (existsSync(join(root, own)) && !config.record?.[own]) {
      throw new UsageError(`${command}: ${own} already exists and was not written by the generator; choose another name, or move that file.`);
    }
  }
  const verdict = validateFeatures(plan.options.given.features!, moduleName);
  if (verdict !== true) throw new UsageError(`${command}: ${verdict}`);
  return { ...plan, moduleName };
}

/** What is said for features the project already has (adding one twice changes nothing). */
export function featuresPresent(plan: FeaturePlan): string[] {
  return plan.present.map(
    (name) =>
      `${name} is already in this project (${PROJECT_CONFIG} lists it; src/${plan.moduleName}/transformers/${name}.py): nothing to do for it.`,
  );
}

/** What `mlpipeline feature` says when it is done: where the class is, how to use it, what to run. */
export function featureWords(plan: FeaturePlan, prepared: Prepared, cwd: string, skippedInstall: boolean): string {
  const where = (path: string) => relative(cwd, join(prepared.root, path)) || path;
  const lines = plan.adding.flatMap((name) => [
    `Added the feature ${name} to ${prepared.answers.projectName}: the transformer ${featureClassName(name)} in ` +
      `${where(`src/${plan.moduleName}/transformers/${name}.py`)} (log1p of the columns it is given, until you edit its transform), ` +
      `its test ${where(`tests/test_feature_${name}.py`)}, and features.custom.${name} in ${where('config/config.yaml')}.`,
    `  Use it: list the columns it transforms in features.custom.${name}.columns, then make test all.`,
  ]);
  if (skippedInstall) lines.push(`Not installed (--skip-install): run make install in ${relative(cwd, prepared.root) || '.'} first.`);
  return `${lines.join('\n')}\n`;
}

/** `mlpipeline feature <name>...` and `yo mlpipeline:feature <name>...`. */
export const FEATURE: Adder<FeaturePlan> = {
  verb: 'feature',
  plan: (cwd, words, options, command) => planFeature(cwd, featureNames(words, command), options, command),
  present: featuresPresent,
  done: featureWords,
};

/** `mlpipeline feature --help`. */
export function featureHelpText(command = 'mlpipeline feature', width = process.stdout.columns || Number(process.env.COLUMNS) || 80): string {
  const columns = Math.max(60, Math.min(width, 120));
  const paragraph = (text: string) => wrap(text, columns);
  return [
    `Usage: ${command} <name>... [options]`,
    '',
    ...paragraph(
      'Adds a custom scikit-learn transformer to the project around the current folder: the class ' +
        'src/<module>/transformers/<name>.py (log_income -> LogIncome, a BaseEstimator and TransformerMixin whose ' +
        'transform takes log1p of non-negative number columns until you edit it), its registration under ' +
        'features.custom.<name> in config/config.yaml, and tests/test_feature_<name>.py, which checks fit and ' +
        'transform on the project\'s data and that a trained model using it reloads and predicts the same. List the ' +
        'columns it transforms in features.custom.<name>.columns; they go through it instead of the usual numeric ' +
        'or categorical steps, and the fitted transformer is part of the one saved model. Files you edited (config.yaml) ' +
        'are merged as on any re-run. Adding one the project has already changes nothing.',
    ),
    '',
    ...paragraph(
      'A name is lowercase words of letters and digits joined by "_", starting with a letter; not a Python keyword, ' +
        'nor the name of a module of the project.',
    ),
    '',
    'Options: --dry-run (say what it would change, write nothing), --skip-install (no make install), --force ' +
      '(overwrite files you edited), --bail (stop at the first one), --yes (take defaults for any question a newer ' +
      'generator asks).',
    '',
    'Examples:',
    `  ${command} log_income`,
    `  ${command} log_income --dry-run`,
  ]
    .flatMap((line) => (line.length > columns ? paragraph(line) : [line]))
    .join('\n');
}
