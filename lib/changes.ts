/**
 * What a run would change on disk, decided before anything is written: for every file the templates
 * produce, compare the disk with the new content and with the record of what the generator wrote last.
 *
 *   on disk equals the new content            -> unchanged (not touched, mtime kept)
 *   absent                                    -> create (or, if the record has it, the user deleted it: keep it deleted)
 *   equal to the record (the user's untouched) -> update
 *   anything else (the user edited it)        -> conflict: asked, refused or forced, never silent
 *
 * Files the record names that the templates no longer produce (a license dropped, a module renamed) are
 * removed when untouched and kept, with a note, when edited.
 */
import { createReadStream, existsSync, lstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sha256, type FileRecord } from './project-config.js';

export type Action = 'create' | 'update' | 'unchanged' | 'conflict' | 'deleted' | 'remove' | 'orphan';

/** One file of the run: new content (templates) or a file to copy (the user's data). */
export interface Output {
  path: string;
  content?: Buffer;
  /** The user's own file, copied byte for byte; never recorded as the generator's. */
  source?: string;
}

export interface Change extends Output {
  action: Action;
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

async function classify(root: string, output: Output, record: FileRecord | undefined): Promise<Action> {
  const path = join(root, output.path);
  const recorded = record?.[output.path];
  const stat = statOf(path);
  if (!stat) return recorded ? 'deleted' : 'create';
  if (!stat.isFile()) return 'conflict';
  if (output.source) return (await sameAsSource(path, output.source)) ? 'unchanged' : 'conflict';
  const disk = readFileSync(path);
  if (disk.equals(output.content!)) return 'unchanged';
  return recorded !== undefined && sha256(disk) === recorded ? 'update' : 'conflict';
}

/** Every change the outputs imply, in output order, then the files no longer generated. */
export async function computeChanges(root: string, outputs: Output[], record: FileRecord | undefined): Promise<Change[]> {
  const changes: Change[] = [];
  for (const output of outputs) changes.push({ ...output, action: await classify(root, output, record) });
  const produced = new Set(outputs.map((o) => o.path));
  for (const [path, hash] of Object.entries(record ?? {})) {
    if (produced.has(path)) continue;
    const full = join(root, path);
    if (!existsSync(full) || !statSync(full).isFile()) continue;
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
