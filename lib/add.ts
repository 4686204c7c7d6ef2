/**
 * `mlpipeline add <add-on>...` and `yo mlpipeline:<add-on>`: an add-on written into an existing project
 * exactly as if it had been chosen at creation. It is a re-run of the generator with the stored answers
 * and the add-on joined to the `addons` answer, so it writes the same files, records them in
 * .yo-rc.json, and treats files the user edited as any re-run does (asked about, or refused in a list).
 */
import { relative } from 'node:path';
import { joinPlan, namesIn, projectRootFor, type Adder, type AddingPlan } from './adding.js';
import { ADDON_INFO, ADDONS, type AddonName } from './catalog.js';
import { UsageError } from './errors.js';
import { nameList, wrap } from './cli.js';
import { PROJECT_CONFIG, readProjectConfig } from './project-config.js';
import { addonList, NONE, QUESTION_BY_NAME } from './questions.js';
import type { Prepared, RunOptions } from './run.js';

export type AddPlan = AddingPlan<AddonName>;

/** The add-ons named on the command line ("docker ci", "docker,ci"); one line for a name that is not one. */
export function addonNames(words: readonly string[], command = 'mlpipeline add'): AddonName[] {
  const named = namesIn(words);
  if (named.length === 0) {
    throw new UsageError(`${command} needs the add-on to add: one of ${ADDONS.join(', ')} (e.g. ${command} docker).`);
  }
  const unknown = named.filter((name) => !(ADDONS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    const what = unknown.length === 1 ? `"${unknown[0]}" is not an add-on` : `${unknown.map((n) => `"${n}"`).join(', ')} are not add-ons`;
    throw new UsageError(`${what}: the add-ons are ${ADDONS.join(', ')}.`);
  }
  return addonList(named.join(','));
}

/** What adding `names` to the project around `cwd` means; refuses outside a project. */
export function planAdd(cwd: string, names: AddonName[], options: RunOptions, command = 'mlpipeline add'): AddPlan {
  const root = projectRootFor(cwd, command, 'add', names);
  const stored = addonList(readProjectConfig(root)?.answers.addons);
  return joinPlan(root, names, (name) => stored.includes(name), options, 'addons', (adding) => addonList([...stored, ...adding].join(',')).join(',') || NONE);
}

/** What `mlpipeline add` says when it is done: what each add-on gives, and what to run. */
export function addedWords(plan: AddPlan, prepared: Prepared, cwd: string, skippedInstall: boolean): string {
  const lines = plan.adding.map((name) => `Added ${name} to ${prepared.answers.projectName}: ${ADDON_INFO[name].next}.`);
  if (skippedInstall) {
    lines.push(
      `Not installed (--skip-install): run make install in ${relative(cwd, prepared.root) || '.'} first ` +
        '(make lock KEEP=1 instead if it says that the lock no longer matches pyproject.toml).',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The lines said for add-ons the project already has (adding one twice changes nothing). */
export function alreadyThere(plan: AddPlan): string[] {
  return plan.present.map((name) => `${name} is already in this project (${PROJECT_CONFIG} lists it): nothing to do for it.`);
}

/** `mlpipeline add <add-on>...` and `yo mlpipeline:<add-on>`. */
export const ADD: Adder<AddPlan> = {
  verb: 'add',
  plan: (cwd, words, options, command) => planAdd(cwd, addonNames(words, command), options, command),
  present: alreadyThere,
  done: addedWords,
};

/** `mlpipeline add --help`. */
export function addHelpText(usage = 'mlpipeline add <add-on>...', width = process.stdout.columns || Number(process.env.COLUMNS) || 80): string {
  const columns = Math.max(60, Math.min(width, 120));
  const rows = nameList(
    ADDONS.map((name) => [name, `${QUESTION_BY_NAME.get('addons')!.describe!(name, {})}.`] as const),
    columns,
  );
  const paragraph = (text: string) => wrap(text, columns);
  return [
    `Usage: ${usage} [options]`,
    '',
    ...paragraph(
      'Adds optional parts to the project around the current folder: the same files that choosing them at ' +
        'creation (--add) writes, recorded in .yo-rc.json. Files you edited are handled as on any re-run. ' +
        'Adding one the project has already changes nothing. Also: mlpipeline add <add-on>..., ' +
        'yo mlpipeline:<add-on>.',
    ),
    '',
    'Add-ons:',
    ...rows,
    '',
    'Options: --dry-run (say what it would change, write nothing), --skip-install (no make install), --force ' +
      '(overwrite files you edited), --bail (stop at the first one), --yes (take defaults for any question a newer ' +
      'generator asks).',
  ]
    .flatMap((line) => (line.length > columns ? paragraph(line) : [line]))
    .join('\n');
}
