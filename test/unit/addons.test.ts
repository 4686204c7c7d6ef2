import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addHelpText, addonNames, planAdd } from '../../lib/add.js';
import { checkAddOptions } from '../../lib/adding.js';
import { ADDON_INFO, ADDONS } from '../../lib/catalog.js';
import { COMMANDS } from '../../lib/cli.js';
import { addonsWithFiles } from '../../lib/files.js';
import { PACKAGE_ROOT } from '../../lib/paths.js';
import { addonList, listedChoices, QUESTION_BY_NAME, validateAddons, validateList } from '../../lib/questions.js';
import type { RunOptions } from '../../lib/run.js';
import { tempDir } from '../helpers.js';

const options: RunOptions = { yes: false, force: false, bail: false, skipInstall: true, skipGit: true, askAnswered: false, dryRun: false, given: {} };

function project(addons?: string): string {
  const dir = tempDir('mlp-addons-');
  const answers = addons === undefined ? { projectName: 'p' } : { projectName: 'p', addons };
  writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify({ 'generator-mlpipeline': answers }));
  return dir;
}

describe('the add-on list', () => {
  it('has one Yeoman sub-generator per add-on, and beside app only those of the bin\'s commands', () => {
    const folders = readdirSync(join(PACKAGE_ROOT, 'generators'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const commands = folders.filter((name) => COMMANDS.some((command) => command.name === name));
    expect(folders.sort()).toEqual(['app', ...ADDONS, ...commands].sort());
    for (const name of ADDONS) {
      expect(readFileSync(join(PACKAGE_ROOT, 'generators', name, 'index.ts'), 'utf8')).toContain(`addonGenerator('${name}')`);
    }
  });
  it('gives every add-on, and nothing else, files in the manifest', () => {
    expect([...addonsWithFiles()].sort()).toEqual([...ADDONS].sort());
  });
  it('is the --add question\'s choices, each described', () => {
    const question = QUESTION_BY_NAME.get('addons')!;
    expect(question.flag).toBe('add');
    expect(question.kind).toBe('checkbox');
    expect(question.allChoices).toEqual(ADDONS);
    for (const name of ADDONS) expect(question.describe!(name, {}).length).toBeGreaterThan(20);
  });
});

describe('checkbox answers', () => {
  it('read as a list in the table\'s order, case and spaces aside', () => {
    expect(listedChoices(' CI , docker', ADDONS)).toEqual(['docker', 'ci']);
    expect(listedChoices('none', ADDONS)).toEqual([]);
    expect(listedChoices(undefined, ADDONS)).toEqual([]);
    expect(addonList('precommit,docker,precommit')).toEqual(['docker', 'precommit']);
  });
  it('name unknown choices and refuse none with others', () => {
    expect(validateList('docker,kubernetes', ADDONS, 'add-on')).toMatch(/^unknown add-on\(s\) kubernetes: list any of docker, ci/);
    expect(validateList('none,docker', ADDONS, 'add-on')).toBe('none cannot be listed with add-ons: pass either.');
    expect(validateList('none', ADDONS, 'add-on')).toBe(true);
  });
  it('accept every add-on', () => {
    for (const name of ADDONS) expect(validateAddons(name)).toBe(true);
    expect(validateAddons(ADDONS.join(','))).toBe(true);
  });
});

describe('mlpipeline add', () => {
  it('reads names separated by spaces or commas; an unknown or missing one is one line listing them all', () => {
    expect(addonNames([`${ADDONS[1]},${ADDONS[0]}`])).toEqual(ADDONS.slice(0, 2));
    expect(() => addonNames(['kubernetes'])).toThrow(`"kubernetes" is not an add-on: the add-ons are ${ADDONS.join(', ')}.`);
    expect(() => addonNames([])).toThrow(/^mlpipeline add needs the add-on to add: one of docker, ci/);
  });
  it('refuses outside a project, saying where to run it', () => {
    const dir = tempDir('mlp-noproject-');
    expect(() => planAdd(dir, ['docker'], options)).toThrow(
      new RegExp(`^mlpipeline add: ${dir} is not inside an mlpipeline project .*run it in the project's folder`),
    );
  });
  it('joins the new add-ons to the stored ones, from a sub-folder of the project too', () => {
    const root = project('ci');
    mkdirSync(join(root, 'src', 'deep'), { recursive: true });
    const plan = planAdd(join(root, 'src', 'deep'), ['docker', 'ci'], options);
    expect(plan.root).toBe(root);
    expect(plan.present).toEqual(['ci']);
    expect(plan.adding).toEqual(['docker']);
    expect(plan.options).toMatchObject({ directory: root, given: { addons: 'docker,ci' } });
  });
  it('takes a project made before add-ons existed', () => {
    expect(planAdd(project(), ['ci'], options).options.given.addons).toBe('ci');
  });
  it('takes run options, not answers nor a directory', () => {
    expect(() => checkAddOptions({ ...options, given: { task: 'regression' } }, 'mlpipeline add')).toThrow(
      'mlpipeline add takes no answers (--task): change answers by re-running mlpipeline --task ... in the project.',
    );
    expect(() => checkAddOptions({ ...options, answersFile: 'a.json' }, 'mlpipeline add')).toThrow(/takes no answers \(--answers\)/);
    expect(() => checkAddOptions({ ...options, directory: 'x' }, 'yo mlpipeline:ci')).toThrow(/^yo mlpipeline:ci takes no directory/);
    expect(() => checkAddOptions({ ...options, force: true, yes: true }, 'mlpipeline add')).not.toThrow();
  });
  it('lists every add-on in its --help, within the width', () => {
    const text = addHelpText('mlpipeline add <add-on>...', 80);
    for (const name of ADDONS) expect(text).toMatch(new RegExp(`^  ${name} `, 'm'));
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
