/**
 * What a run would change on disk, decided before anything is written: for every file the templates
 * produce, compare the disk with the new content and with the record of what the generator wrote last.
 *
 *   on disk equals the new content            -> unchanged (not touched, mtime kept)
 *   absent                                    -> create (or, if the record has it, the user deleted it: keep it deleted)
 *   equal to the record (the user's untouched) -> update
 *   edited by the user, template unchanged    -> edited: the user's version stays, nothing to ask
 *   edited by the user, template changed      -> merge: three ways, from the base version kept when the
 *                                                generator last wrote it (clean, or with conflict markers)
 *   ... and no base, or not text               -> conflict: asked, refused or forced, never silent
 *
 * Files the record names that the templates no longer produce (a license dropped, a module renamed) are
 * removed when untouched and kept, with a note, when edited.
 */
import { createReadStream, existsSync, lstatSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { hasConflictMarkers, isMergeable, merge3, type MergeLabels } from './merge.js';
import { sha256, type FileRecord } from './project-config.js';

export type Action =
  | 'create'
  | 'update'
  | 'unchanged'
  | 'edited'
  | 'merge'
  | 'merge-conflict'
  | 'conflict'
  | 'deleted'
  | 'remove'
  | 'orphan';

/**
 * Why a file is a conflict, for the message that lists them: edited with no base version to merge
 * from, not recorded as generated, the user's data, a link, not text, or conflict markers left in it.
 */
export type Reason = 'edited' | 'unrecorded' | 'data' | 'link' | 'binary' | 'markers';

/** What merging needs: the base version of a recorded hash (undefined: none kept), and the labels. */
export interface MergeSource {
  base: (hash: string) => Buffer | undefined;
  labels: MergeLabels;
}

/** One file of the run: new content (templates) or a file to copy (the user's data). */
export interface Output {
  path: string;
  content?: Buffer;
  /** The user's own file, copied byte for byte; never recorded as the generator's. */
  source?: string;
}

export interface Change extends Output {
  action: Action;
  reason?: Reason;
  /** For a merge: the merged file (content stays the new version); conflict markers if conflicts > 0. */
  merged?: Buffer;
  conflicts?: number;
}

/** sha256 of a file, streamed (a data file can be large). */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sameAsSource(path: string, source: string): Promise<boolean> {
  if (statSync(path).size !== statSync(source).size) return false;
  return (await fileSha256(path)) === (await fileSha256(source));
}

/** lstat, or undefined when nothing is there (including a file where a parent folder should be). */
export function statOf(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

type Classified = Pick<Change, 'action' | 'reason' | 'merged' | 'conflicts'>;

async function classify(root: string, output: Output, record: FileRecord | undefined, source?: MergeSource): Promise<Classified> {
  const path = join(root, output.path);
  const recorded = record?.[output.path];
  const stat = statOf(path);
  if (!stat) return { action: recorded ? 'deleted' : 'create' };
  if (stat.isSymbolicLink()) return { action: 'conflict', reason: 'link' };
  // A folder where a file goes: the write step refuses it, naming it.
  if (!stat.isFile()) return { action: 'create' };
  if (output.source) return (await sameAsSource(path, output.source)) ? { action: 'unchanged' } : { action: 'conflict', reason: 'data' };
  const disk = readFileSync(path);
  if (disk.equals(output.content!)) return { action: 'unchanged' };
  if (recorded === undefined) return { action: 'conflict', reason: 'unrecorded' };
  if (sha256(disk) === recorded) return { action: 'update' };
  // Edited by the user: a merge (or a conflict) only if the generator has something new for this file.
  if (sha256(output.content!) === recorded) {
    return hasConflictMarkers(disk.toString('utf8')) ? { action: 'edited', reason: 'markers' } : { action: 'edited' };
  }
  return source ? mergeEdited(output, disk, recorded, source) : { action: 'conflict', reason: 'edited' };
}

async function mergeEdited(output: Output, disk: Buffer, recorded: string, source: MergeSource): Promise<Classified> {
  const base = source.base(recorded);
  if (!base) return { action: 'conflict', reason: 'edited' };
  if (![base, disk, output.content!].every(isMergeable)) return { action: 'conflict', reason: 'binary' };
  if (hasConflictMarkers(disk.toString('utf8'))) return { action: 'conflict', reason: 'markers' };
  const { content, conflicts } = await merge3(base, disk, output.content!, source.labels);
  return { action: conflicts ? 'merge-conflict' : 'merge', merged: content, conflicts };
}

/** `path` with links resolved as far as it exists (the rest, not yet created, appended as it is). */
function resolvedPath(path: string): string {
  let existing = path;
  while (!existsSync(existing)) existing = dirname(existing);
  return join(realpathSync(existing), relative(existing, path));
}

/** Whether the folder `path` is in really is inside `root` (no link leading out of the project). */
export function insideRealRoot(root: string, path: string): boolean {
  const folder = resolvedPath(dirname(path));
  const top = resolvedPath(root);
  return folder === top || folder.startsWith(top + sep);
}

/** A record path the generator may touch: relative, normalized, inside the project. */
export function isProjectPath(path: string): boolean {
  return (
    path !== '' &&
    !isAbsolute(path) &&
    !path.includes('\\') &&
    path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && part !== '.git')
  );
}

/**
 * Every change the outputs imply, in output order, then the files no longer generated. Without a merge
 * source, every edited file the generator has something new for is a conflict.
 */
export async function computeChanges(
  root: string,
  outputs: Output[],
  record: FileRecord | undefined,
  source?: MergeSource,
): Promise<Change[]> {
  const changes: Change[] = [];
  for (const output of outputs) changes.push({ ...output, ...(await classify(root, output, record, source)) });
  const produced = new Set(outputs.map((o) => o.path));
  for (const [path, hash] of Object.entries(record ?? {})) {
    // A hand-edited record must not reach outside the project (or into .git).
    if (produced.has(path) || !isProjectPath(path)) continue;
    const full = join(root, path);
    if (!statOf(full)?.isFile() || !insideRealRoot(root, full)) continue;
    changes.push({ path, action: sha256(readFileSync(full)) === hash ? 'remove' : 'orphan' });
  }
  return changes;
}

/** The record to store after the run: every generated file's new content (not the user's data). */
export function newRecord(outputs: Output[]): FileRecord {
  const record: FileRecord = {};
  for (const output of outputs) if (output.content) record[output.path] = sha256(output.content);
  return record;
}
