/**
 * `mlpipeline model <name>...` and `yo mlpipeline:model <name>`: a well-known estimator from the
 * catalog (EXTRA_MODELS) added to an existing project exactly as if it had been chosen at creation
 * (--extra-models). Like `mlpipeline add` (lib/add.ts), it is a re-run of the generator with the stored
 * answers and the model joined to the `extraModels` answer: it writes estimators.py, config.yaml's
 * model.params block, the README and tests/test_extra_models.py as creation would, records them in
 * .yo-rc.json, and merges them with the user's edits as any re-run does.
 */
import { relative } from 'node:path';
import { joinPlan, namesIn, projectRootFor, type Adder, type AddingPlan } from './adding.js';
import { ALL_MODELS, CORE_MODEL_NAMES, EXTRA_MODEL_NAMES, MODEL_NAMES, type ModelName } from './catalog.js';
import { UsageError } from './errors.js';
import { nameList, wrap } from './cli.js';
import { PROJECT_CONFIG, readProjectConfig } from './project-config.js';
import { extraModelList, NONE } from './questions.js';
import type { Prepared, RunOptions } from './run.js';

/** Present: every project's models, or added before. */
export type ModelPlan = AddingPlan<ModelName>;

/**
 * The models named on the command line ("svm knn", "svm,knn"), catalog order; one line for a name the
 * catalog does not know, listing those it does.
 */
export function modelNames(words: readonly string[], command = 'mlpipeline model'): ModelName[] {
  const named = namesIn(words);
  if (named.length === 0) {
    throw new UsageError(`${command} needs the model to add: one of ${EXTRA_MODEL_NAMES.join(', ')} (e.g. ${command} svm).`);
  }
  const unknown = named.filter((name) => !(MODEL_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    const what = unknown.length === 1 ? `"${unknown[0]}" is not a model` : `${unknown.map((n) => `"${n}"`).join(', ')} are not models`;
    throw new UsageError(
      `${what} this generator knows: it adds ${EXTRA_MODEL_NAMES.join(', ')} ` +
        `(every project has ${CORE_MODEL_NAMES.join(', ')}); for another scikit-learn estimator, import it in ` +
        'src/<module>/estimators.py and name it in REGISTRY.',
    );
  }
  return MODEL_NAMES.filter((name) => named.includes(name));
}

/** The models a project with these stored answers has, beyond every project's. */
function projectExtras(answers: Record<string, string | undefined> | undefined): ModelName[] {
  return extraModelList(answers?.extraModels, answers?.model);
}

/** What adding `names` to the project around `cwd` means; refuses outside a project. */
export function planModel(cwd: string, names: ModelName[], options: RunOptions, command = 'mlpipeline model'): ModelPlan {
  const root = projectRootFor(cwd, command, 'extra-models', names);
  const extras = projectExtras(readProjectConfig(root)?.answers);
  const has = (name: ModelName): boolean => (CORE_MODEL_NAMES as readonly string[]).includes(name) || extras.includes(name);
  return joinPlan(root, names, has, options, 'extraModels', (adding) => extraModelList([...extras, ...adding].join(',')).join(',') || NONE);
}

/** The lines said for models the project already has (adding one twice changes nothing). */
export function modelsAlreadyThere(plan: ModelPlan): string[] {
  return plan.present.map((name) =>
    (CORE_MODEL_NAMES as readonly string[]).includes(name)
      ? `${name} is in every project (estimators.py has it): nothing to do for it.`
      : `${name} is already in this project (${PROJECT_CONFIG} lists it): nothing to do for it.`,
  );
}

/** What `mlpipeline model` says when it is done: how to train each added model, and what checks it. */
export function addedModelWords(plan: ModelPlan, prepared: Prepared, cwd: string, skippedInstall: boolean): string {
  const lines = plan.adding.map(
    (name) =>
      `Added ${name} (${ALL_MODELS[name].estimator[prepared.answers.task]}) to ${prepared.answers.projectName}: ` +
      `tune it under model.params.${name} in config/config.yaml, set model.name: ${name} there and run make train ` +
      '(make test checks it in tests/test_extra_models.py).',
  );
  if (skippedInstall) lines.push(`Not installed (--skip-install): run make install in ${relative(cwd, prepared.root) || '.'} first.`);
  return `${lines.join('\n')}\n`;
}

/** `mlpipeline model <name>...` and `yo mlpipeline:model <name>...`. */
export const MODEL: Adder<ModelPlan> = {
  verb: 'model',
  plan: (cwd, words, options, command) => planModel(cwd, modelNames(words, command), options, command),
  present: modelsAlreadyThere,
  done: addedModelWords,
};

/** `mlpipeline model --help`: the models it can add, each with its estimators. */
export function modelHelpText(usage = 'mlpipeline model <name>...', width = process.stdout.columns || Number(process.env.COLUMNS) || 80): string {
  const columns = Math.max(60, Math.min(width, 120));
  const rows = nameList(
    EXTRA_MODEL_NAMES.map((name) => {
      const info = ALL_MODELS[name];
      return [name, `${info.estimator.classification} / ${info.estimator.regression} (${info.module}): ${info.description.classification}.`] as const;
    }),
    columns,
  );
  const paragraph = (text: string) => wrap(text, columns);
  return [
    `Usage: ${usage} [options]`,
    '',
    ...paragraph(
      'Adds a well-known scikit-learn estimator to the project around the current folder: to ' +
        'src/<module>/estimators.py (REGISTRY, and NEEDS_SCALING for scale-sensitive ones), to config/config.yaml ' +
        '(its model.params block, with defaults), to the README, and to tests/test_extra_models.py (it trains, beats ' +
        'the dummy baseline, and its saved artifact predicts the same). The same files that --extra-models (or ' +
        `--model <name>) writes at creation, recorded in .yo-rc.json; files you edited are merged as on any re-run. ` +
        `Every project has ${CORE_MODEL_NAMES.join(', ')}; adding a model the project has changes nothing. ` +
        'Then set model.name in config/config.yaml and run make train. Also: yo mlpipeline:model <name>.',
    ),
    '',
    'Models:',
    ...rows,
    '',
    ...paragraph(
      'Options: --dry-run (say what it would change, write nothing), --skip-install (no make install), --force ' +
        '(overwrite files you edited), --bail (stop at the first one), --yes (take defaults for any question a newer ' +
        'generator asks).',
    ),
  ].join('\n');
}
