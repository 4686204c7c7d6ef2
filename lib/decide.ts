/**
 * What happens to the files the user edited, once the run knows what it would change: clean merges are
 * written; merges with conflicts are written with markers (and the run ends non-zero, naming them),
 * asked about in a terminal, refused with --bail; files that cannot be merged (no base version, not
 * text, a link, the user's data) are asked about in a terminal and refused without one; --force writes
 * the new version over every edited file. Also the --dry-run report of those same decisions.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Decided } from './apply.js';
import { BASE_DIR } from './base-store.js';
import type { Change, Reason } from './changes.js';
import { GeneratorError } from './errors.js';
import { MARKERS } from './merge.js';
import type { ConflictChoice, Io, Prepared, RunOptions } from './run.js';

const CONFLICT_REASONS: Record<Reason, string> = {
  edited: 'edited since the generator wrote it',
  unrecorded: 'not written by the generator, or written before it kept a record',
  data: 'your data file there differs from the one you named',
  link: 'a symbolic link',
  binary: 'edited, and not a text file that can be merged',
  markers: 'still holds conflict markers from an earlier update: resolve them first',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** --force: edited files get the new version (no merge), and files the user deleted are written again. */
export function forced(changes: Change[]): Decided[] {
  return changes.map((c): Decided => {
    if (c.action === 'conflict' || c.action === 'merge' || c.action === 'merge-conflict') {
      return { ...c, action: 'conflict-overwrite', merged: undefined, conflicts: undefined };
    }
    return c.action === 'deleted' ? { ...c, action: 'create' } : c;
  });
}

function refusal(conflicts: Change[], merges: Change[], options: RunOptions): GeneratorError {
  const listed = [
    ...conflicts.map((c) => `  ${c.path} (${CONFLICT_REASONS[c.reason ?? 'edited']})`),
    ...merges.map((c) => `  ${c.path} (edited, and the new version changes the same lines: ${plural(c.conflicts ?? 1, 'conflict')})`),
  ];
  const one = listed.length === 1;
  const noBase = conflicts.some((c) => c.reason === 'edited');
  return new GeneratorError(
    `${one ? 'This file differs' : 'These files differ'} from what the generator would write, and ${one ? 'is' : 'are'} ` +
      `not as it left ${one ? 'it' : 'them'}:\n${listed.join('\n')}\nNothing was written. ` +
      (noBase
        ? `Files marked "edited since the generator wrote it" have no base version to merge from (the project was ` +
          `generated before the generator kept them in ${BASE_DIR}): they cannot be merged this time; later updates merge. `
        : '') +
      (options.bail
        ? `Without --bail, edited files are merged${merges.length ? ' (with conflict markers where both sides changed the same lines)' : ''}` +
          `${conflicts.length ? ', and in a terminal the rest are asked file by file' : ''}; `
        : 'In a terminal, without --yes, the generator asks file by file; ') +
      '--force overwrites them (your edits are then lost: commit them first).',
  );
}

/** Settles every edited file: --force overwrites, merges are written, the rest asked or refused. */
export async function decide(prepared: Prepared, options: RunOptions, io: Io): Promise<Decided[]> {
  if (options.force) return forced(prepared.changes);
  const conflicts = prepared.changes.filter((c) => c.action === 'conflict');
  const merges = prepared.changes.filter((c) => c.action === 'merge-conflict');
  if (conflicts.length === 0 && merges.length === 0) return prepared.changes;
  if (options.bail) throw refusal(conflicts, merges, options);
  if (!io.interactive || options.yes) {
    // Without a terminal a merge with conflicts is written with its markers; a file that cannot be
    // merged stops the run, since nothing but a person can say which version to keep.
    if (conflicts.length > 0) throw refusal(conflicts, [], options);
    return prepared.changes;
  }
  const decided: Decided[] = [];
  for (const change of prepared.changes) {
    if (change.action !== 'conflict' && change.action !== 'merge-conflict') {
      decided.push(change);
      continue;
    }
    const choice = await askAbout(change, prepared.root, io);
    if (choice === 'abort') throw new GeneratorError('Stopped at your request: nothing was written.');
    if (choice === 'overwrite') decided.push({ ...change, action: 'conflict-overwrite', merged: undefined, conflicts: undefined });
    else if (choice === 'keep') decided.push({ ...change, action: 'conflict', merged: undefined, conflicts: undefined });
    else decided.push(change);
  }
  return decided;
}

/** Asks what to do with one edited file; "show the differences" prints the diff and asks again. */
async function askAbout(change: Change, root: string, io: Io): Promise<ConflictChoice> {
  const merge = change.action === 'merge-conflict';
  const why = merge
    ? `edited, and the new version changes the same lines: ${plural(change.conflicts ?? 1, 'conflict')}`
    : CONFLICT_REASONS[change.reason ?? 'edited'];
  for (;;) {
    const choice = await io.prompt({
      name: 'conflict',
      kind: 'select',
      message: merge
        ? `${change.path} (${why}). Merge it with the new version?`
        : `${change.path} (${why}) differs from the new version. Write the new version?`,
      choices: [
        ...(merge
          ? [{ value: 'merge', description: `Yes: your edits and the new version, with ${MARKERS.ours}/${MARKERS.theirs} markers where both changed` }]
          : []),
        { value: 'keep', description: 'No: keep my version (the new one is not written)' },
        { value: 'overwrite', description: `${merge ? 'No' : 'Yes'}: overwrite my version with the new one` },
        { value: 'diff', description: merge ? 'Show what the merge changes in my version, then ask again' : 'Show the differences, then ask again' },
        { value: 'abort', description: 'Stop here: nothing is written' },
      ],
    });
    if (choice !== 'diff') return choice as ConflictChoice;
    io.info(await unifiedDiff(root, change));
  }
}

async function unifiedDiff(root: string, change: Change): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  const before = readFileSync(resolve(root, change.path), 'utf8');
  const after = (change.merged ?? change.content)?.toString('utf8') ?? '(your data file is replaced by the file you named)\n';
  return createTwoFilesPatch(`${change.path} (yours)`, `${change.path} (${change.merged ? 'merged' : 'new'})`, before, after);
}

/** The files left with conflict markers by a run, as the error that ends it (exit 1), if any. */
export function unresolved(decided: Decided[], installPending: boolean): GeneratorError | undefined {
  const merges = decided.filter((c) => c.action === 'merge-conflict');
  if (merges.length === 0) return undefined;
  const list = merges.map((c) => `  ${c.path} (${plural(c.conflicts ?? 1, 'conflict')})`).join('\n');
  return new GeneratorError(
    `Your edits and the new version change the same lines in ${merges.length === 1 ? 'this file' : 'these files'}:\n${list}\n` +
      `Everything else was written. Each conflict is between a "${MARKERS.ours} yours" and a "${MARKERS.theirs}" line ` +
      `(yours above "${MARKERS.separator}", the new version below): keep what you want, delete the marker lines, then run ` +
      `${installPending ? '`make install lint test` (the install was not run)' : '`make lint test`'}.`,
  );
}

const PLAN_WORDS: Partial<Record<Decided['action'], string>> = {
  create: 'create',
  update: 'update',
  merge: 'merge (clean)',
  'merge-conflict': 'merge conflict',
  'conflict-overwrite': 'overwrite',
  conflict: 'conflict',
  remove: 'remove',
  edited: 'keep',
  orphan: 'keep',
  deleted: 'keep deleted',
};

/**
 * --dry-run: what the run would do to each file under the options given (a terminal's questions not
 * asked), and the exit code the run would end with: 1 if it would stop or leave conflicts to resolve.
 */
export function dryRunReport(
  prepared: Prepared,
  options: RunOptions,
  io: Pick<Io, 'interactive'>,
  configChanges: boolean,
): { lines: string[]; exitCode: number } {
  const decided: Decided[] = options.force ? forced(prepared.changes) : prepared.changes;
  const rows: Array<[string, string]> = [];
  for (const change of decided) {
    const word = PLAN_WORDS[change.action];
    if (!word) continue;
    const note =
      change.action === 'merge-conflict'
        ? `${plural(change.conflicts ?? 1, 'conflicting change')}: written with markers`
        : change.action === 'conflict'
          ? `${CONFLICT_REASONS[change.reason ?? 'edited']}: ${options.bail || !io.interactive || options.yes ? 'the run would stop' : 'asked'}`
          : change.action === 'edited'
            ? change.reason === 'markers'
              ? 'still holds conflict markers: resolve them'
              : 'edited, nothing new for it'
            : change.action === 'orphan'
              ? 'no longer generated, edited'
              : change.action === 'conflict-overwrite'
                ? 'your edits are lost'
                : '';
    rows.push([word, note ? `${change.path} (${note})` : change.path]);
  }
  if (configChanges) rows.push(['update', `.yo-rc.json (answers and record)`]);
  const width = Math.max(0, ...rows.map(([word]) => word.length));
  const unchanged = decided.filter((c) => c.action === 'unchanged').length;
  const stops = decided.some((c) => c.action === 'conflict') || (options.bail && decided.some((c) => c.action === 'merge-conflict'));
  const conflicted = decided.some((c) => c.action === 'merge-conflict');
  const lines = [
    `Dry run: nothing was written. In ${prepared.root}, the run would:`,
    ...rows.map(([word, what]) => `  ${word.padEnd(width)}  ${what}`),
    rows.length === 0 ? `  change nothing (${plural(unchanged, 'file')} the same)` : `  and leave ${plural(unchanged, 'file')} unchanged`,
  ];
  if (stops) lines.push('It would stop before writing anything (see above): exit 1.');
  else if (conflicted) lines.push('It would leave conflicts to resolve: exit 1.');
  return { lines, exitCode: stops || conflicted ? 1 : 0 };
}
