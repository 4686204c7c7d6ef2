/**
 * Updating a project after the generator changed: a copy of the templates plays the new version.
 * In process, without Python: generate, edit, change templates, update, and check what was kept.
 */
import { appendFileSync, chmodSync, cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../lib/apply.js';
import { BASE_DIR, baseChanges } from '../../lib/base-store.js';
import { describeError, GeneratorError } from '../../lib/errors.js';
import { TEMPLATES_DIR } from '../../lib/paths.js';
import { sha256 } from '../../lib/project-config.js';
import { compareVersions, decide, prepare, runAll, type Io, type RunOptions } from '../../lib/run.js';
import { IS_ROOT, listFiles, tempDir } from '../helpers.js';

const TRAIN = 'src/p/train.py';
const TRAIN_TEMPLATE = 'src/_module_/train.py';
const MAKEFILE_TEMPLATE = 'Makefile.ejs';

function quietIo(answers: string[] = []): Io & { said: string[] } {
  const said: string[] = [];
  return {
    said,
    interactive: answers.length > 0,
    prompt: async (spec) => {
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected prompt: ${spec.message}`);
      return answer;
    },
    confirm: async () => false,
    info: (message) => said.push(message),
    warn: (message) => said.push(message),
  };
}

function options(templatesDir: string, extra: Partial<RunOptions> = {}): RunOptions {
  return {
    yes: false,
    force: false,
    bail: false,
    skipInstall: true,
    skipGit: true,
    askAnswered: false,
    dryRun: false,
    given: {},
    templatesDir,
    ...extra,
  };
}

/** A project generated from a copy of the templates, which the test then changes as a release would. */
async function setUp(): Promise<{ dir: string; templates: string; update: (extra?: Partial<RunOptions>, io?: Io) => Promise<number> }> {
  const templates = join(tempDir('mlp-templates-'), 'project');
  cpSync(TEMPLATES_DIR, templates, { recursive: true });
  const cwd = tempDir();
  const given = { authorName: 'Ada Lovelace', authorEmail: 'ada@example.com' };
  expect(await runAll(cwd, options(templates, { directory: 'p', yes: true, given }), quietIo())).toBe(0);
  const dir = join(cwd, 'p');
  const update = (extra: Partial<RunOptions> = {}, io: Io = quietIo()) => runAll(dir, options(templates, { command: 'update', ...extra }), io);
  return { dir, templates, update };
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const edit = (dir: string, path: string, change: (text: string) => string) => writeFileSync(join(dir, path), change(read(dir, path)));

/** Every file with its content and mtime, base versions included: equal snapshots mean nothing was touched. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, `${statSync(join(dir, f)).mtimeMs}:${read(dir, f)}`]));
}

async function failure(promise: Promise<unknown>): Promise<{ message: string; exitCode: number }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GeneratorError);
  return describeError(error);
}

describe('mlpipeline update', () => {
  it('updates untouched files, merges edited ones, and marks overlapping edits as conflicts', async () => {
    const { dir, templates, update } = await setUp();
    // The user edits train.py's first line; the new release changes train.py's end and the Makefile.
    edit(dir, TRAIN, (t) => t.replace('The train step:', 'The train step (our way):'));
    appendFileSync(join(templates, TRAIN_TEMPLATE), '\n# A line the new release adds.\n');
    edit(templates, MAKEFILE_TEMPLATE, (t) => t.replace('to list the targets.', 'to list the targets (release 2).'));

    const before = snapshot(dir);
    const io = quietIo();
    expect(await update({ dryRun: true }, io)).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(io.said.join('\n')).toMatch(/^ {2}update +Makefile$/m);
    expect(io.said.join('\n')).toMatch(new RegExp(`^ {2}merge \\(clean\\) +${TRAIN}$`, 'm'));

    const said = quietIo();
    expect(await update({}, said)).toBe(0);
    expect(said.said).toContain(`Merged the new version into your edits: ${TRAIN}.`);
    expect(read(dir, 'Makefile')).toContain('to list the targets (release 2).');
    const train = read(dir, TRAIN);
    expect(train).toContain('The train step (our way):');
    expect(train).toMatch(/# A line the new release adds\.\n$/);
    // The base moved on: it is now the new release's train.py, kept under the hash the record holds.
    const record = JSON.parse(read(dir, '.yo-rc.json'))['generator-mlpipeline'].generated.files;
    const newTrain = readFileSync(join(templates, TRAIN_TEMPLATE));
    expect(record[TRAIN]).toBe(sha256(newTrain));
    expect(readFileSync(join(dir, BASE_DIR, record[TRAIN]))).toEqual(newTrain);
    // Bases of contents no longer generated are gone: one per distinct content the record names.
    expect(listFiles(join(dir, BASE_DIR)).sort()).toEqual([...new Set(Object.values(record))].sort());

    // The next release changes the line the user changed: both versions, between markers, exit 1.
    edit(templates, TRAIN_TEMPLATE, (t) => t.replace('The train step:', 'The training step:'));
    const dry = quietIo();
    expect(await update({ dryRun: true }, dry)).toBe(1);
    expect(dry.said.join('\n')).toMatch(new RegExp(`^ {2}merge conflict +${TRAIN} \\(1 conflicting change`, 'm'));
    const { message, exitCode } = await failure(update());
    expect(exitCode).toBe(1);
    expect(message).toContain(`change the same lines in this file:\n  ${TRAIN} (1 conflict)\n`);
    const conflicted = read(dir, TRAIN);
    expect(conflicted).toContain(
      '<<<<<<< yours\n"""The train step (our way): fit Pipeline(preparation + model), measure it, save ONE artifact.\n=======\n' +
        '"""The training step: fit Pipeline(preparation + model), measure it, save ONE artifact.\n>>>>>>> generator-mlpipeline ',
    );
    expect(conflicted).toMatch(/# A line the new release adds\.\n$/);

    // Until the markers are resolved, a further release's change to that file is not merged into it.
    appendFileSync(join(templates, TRAIN_TEMPLATE), '# Release 4.\n');
    const again = await failure(update());
    expect(again.message).toContain(`${TRAIN} (still holds conflict markers from an earlier update: resolve them first)`);
    expect(read(dir, TRAIN)).toBe(conflicted);
  });

  it('--bail refuses an overlapping edit, --force takes the new version, a terminal offers the merge', async () => {
    const { dir, templates, update } = await setUp();
    edit(dir, TRAIN, (t) => t.replace('The train step:', 'The train step (ours):'));
    edit(templates, TRAIN_TEMPLATE, (t) => t.replace('The train step:', 'The training step:'));
    const before = snapshot(dir);
    const bailed = await failure(update({ bail: true }));
    expect(bailed.message).toContain(`${TRAIN} (edited, and the new version changes the same lines: 1 conflict)`);
    expect(bailed.message).toContain('Nothing was written');
    expect(snapshot(dir)).toEqual(before);

    // In a terminal: "keep" leaves the file as it is, and the base moves on (the new version was seen).
    expect(await update({}, quietIo(['keep']))).toBe(0);
    expect(snapshot(dir)[TRAIN]).toBe(before[TRAIN]);
    edit(templates, TRAIN_TEMPLATE, (t) => t.replace('The training step:', 'The fitting step:'));
    const io = quietIo(['diff', 'merge']);
    await failure(update({}, io));
    expect(io.said.join('\n')).toContain(`+++ ${TRAIN} (merged)`);
    expect(read(dir, TRAIN)).toContain('<<<<<<< yours\n"""The train step (ours):');

    // --force writes the new version over the user's (markers and all) when there is a new version.
    appendFileSync(join(templates, TRAIN_TEMPLATE), '# Release 4.\n');
    await expect(update({ force: true })).resolves.toBe(0);
    expect(read(dir, TRAIN)).toBe(readFileSync(join(templates, TRAIN_TEMPLATE), 'utf8'));
  });

  it('a project generated before base versions were kept: an edited file is a conflict, as before', async () => {
    const { dir, templates, update } = await setUp();
    rmSync(join(dir, '.mlpipeline'), { recursive: true });
    edit(dir, TRAIN, (t) => t.replace('import logging\n', 'import logging  # mine\n'));
    edit(templates, TRAIN_TEMPLATE, (t) => t.replace('The train step:', 'The training step:'));
    const { message } = await failure(update());
    expect(message).toContain(`  ${TRAIN} (edited since the generator wrote it)`);
    expect(message).toContain('no base version to merge from');
    expect(existsSync(join(dir, '.mlpipeline'))).toBe(false);
    // Once written (here keeping the user's version), the bases exist and the next release merges.
    expect(await update({}, quietIo(['keep']))).toBe(0);
    edit(templates, TRAIN_TEMPLATE, (t) => `${t}# release 3\n`);
    expect(await update()).toBe(0);
    expect(read(dir, TRAIN)).toContain('import logging  # mine\n');
    expect(read(dir, TRAIN)).toMatch(/# release 3\n$/);
  });

  it('takes no answer flags, and refuses a folder that is not a project', async () => {
    const { dir, templates } = await setUp();
    await expect(runAll(tempDir(), options(templates, { command: 'update' }), quietIo())).rejects.toThrow(
      /^No mlpipeline project at or above .*: cd into the project, or name its folder/,
    );
    // Answers new to this release take their defaults, named; stored ones are kept.
    const yoRc = join(dir, '.yo-rc.json');
    const config = JSON.parse(readFileSync(yoRc, 'utf8'));
    delete config['generator-mlpipeline'].license;
    writeFileSync(yoRc, JSON.stringify(config));
    const io = quietIo();
    expect(await runAll(join(dir, 'src'), options(templates, { command: 'update' }), io)).toBe(0);
    expect(io.said).toContain('New answers, not stored before, take their defaults: license=MIT.');
    // A stored answer that no longer fits stops an update (it would otherwise fall back to a default).
    config['generator-mlpipeline'].model = 'xgboost';
    writeFileSync(yoRc, JSON.stringify(config));
    await expect(runAll(dir, options(templates, { command: 'update' }), quietIo())).rejects.toThrow(
      /^The stored model "xgboost" no longer fits: .*An update keeps the stored answers/,
    );
  });

  it('refuses to take a project back to an older release, unless --force', async () => {
    const { dir, update } = await setUp();
    expect(compareVersions('0.10.0', '0.9.1')).toBe(1);
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
    const yoRc = join(dir, '.yo-rc.json');
    const config = JSON.parse(readFileSync(yoRc, 'utf8'));
    config['generator-mlpipeline'].generated.version = '99.0.0';
    writeFileSync(yoRc, JSON.stringify(config));
    const { message } = await failure(update());
    expect(message).toMatch(/last written by generator-mlpipeline 99\.0\.0, newer than this one .* or pass --force\. Nothing was written\.$/);
    const io = quietIo();
    expect(await update({ force: true }, io)).toBe(0);
    expect(JSON.parse(readFileSync(yoRc, 'utf8'))['generator-mlpipeline'].generated.version).not.toBe('99.0.0');
  });

  it('writes all or nothing: a failure after the base versions were written puts them back too', async () => {
    const { dir, templates } = await setUp();
    edit(dir, TRAIN, (t) => `${t}# mine\n`);
    edit(templates, TRAIN_TEMPLATE, (t) => t.replace('The train step:', 'The training step:'));
    writeFileSync(join(dir, 'in-the-way'), 'a file where a folder goes\n');
    // Contents and modes (times are put back too, to the microsecond).
    const contents = () => Object.fromEntries(listFiles(dir).map((f) => [f, `${statSync(join(dir, f)).mode}:${read(dir, f)}`]));
    const before = contents();
    const prepared = await prepare(dir, options(templates, { command: 'update' }), quietIo());
    const decided = await decide(prepared, options(templates), quietIo());
    const bases = baseChanges(dir, prepared.outputs);
    expect(bases.map((c) => c.action).sort()).toEqual(['create', 'remove']);
    const failing = { path: 'in-the-way/last.txt', content: Buffer.from('x'), action: 'create' as const };
    expect(() => applyChanges(dir, { changes: [...decided, ...bases, failing], finally: [] })).toThrow(/nothing changed/);
    expect(contents()).toEqual(before);
  });

  it.skipIf(IS_ROOT)('names a read-only file to merge in one line, writing nothing', async () => {
    const { dir, templates, update } = await setUp();
    edit(dir, TRAIN, (t) => `${t}# mine\n`);
    edit(templates, TRAIN_TEMPLATE, (t) => t.replace('The train step:', 'The training step:'));
    chmodSync(join(dir, TRAIN), 0o444);
    const before = snapshot(dir);
    const { message } = await failure(update());
    expect(message).toContain(`  ${TRAIN} is read-only\n`);
    expect(snapshot(dir)).toEqual(before);
  });
});
