/**
 * Writes a run's changes all or nothing. First every target is checked (a folder where a file should
 * go, a read-only file or folder), so most failures stop the run before the first byte; then each file
 * is written to a temporary name and renamed into place, and if anything still fails (a full disk, a
 * permission that only shows on write) every file written so far is put back as it was.
 */
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
  chmodSync,
  utimesSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { insideRealRoot, statOf, type Change } from './changes.js';
import { GeneratorError } from './errors.js';

/** The writes a run makes: changes to apply, plus whole-file writes such as .yo-rc.json. */
export interface WritePlan {
  changes: Change[];
  /** Extra files written last, after every change (project-relative path -> text). */
  finally: Array<{ path: string; text: string }>;
}

const WRITES: ReadonlySet<string> = new Set(['create', 'update', 'merge', 'merge-conflict', 'conflict-overwrite', 'remove']);

/**
 * The change with the decision taken about conflicts: 'conflict-overwrite' writes the new version,
 * 'conflict' keeps the user's, a merge writes the merged file.
 */
export type Decided = Omit<Change, 'action'> & { action: Change['action'] | 'conflict-overwrite' };

function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current)) current = dirname(current);
  return current;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why the plan cannot be written, one line per problem; empty when it can. */
export function preflight(root: string, changes: Decided[], extra: string[]): string[] {
  const problems: string[] = [];
  const readOnlyFolders = new Map<string, number>();
  const targets = [...changes.filter((c) => WRITES.has(c.action)).map((c) => c.path), ...extra];
  for (const relativePath of targets) {
    const path = join(root, relativePath);
    const stat = statOf(path);
    if (stat?.isDirectory()) {
      problems.push(`${relativePath} is a folder, where a file goes: move it away`);
      continue;
    }
    if (stat && !stat.isFile() && !stat.isSymbolicLink()) {
      problems.push(`${relativePath} is a special file (not a regular file): move it away`);
      continue;
    }
    if (!insideRealRoot(root, path)) {
      problems.push(`${relativePath} is in a folder that links outside the project: the generator writes only inside it`);
      continue;
    }
    const folder = nearestExisting(dirname(path));
    const shown = `${relative(root, folder) || '.'}/`;
    if (!statSync(folder).isDirectory()) {
      problems.push(`${shown.slice(0, -1)} is a file, where a folder goes (for ${relativePath})`);
    } else if (!writable(folder)) {
      readOnlyFolders.set(shown, (readOnlyFolders.get(shown) ?? 0) + 1);
    } else if (stat && !stat.isSymbolicLink() && !writable(path)) {
      problems.push(`${relativePath} is read-only`);
    }
  }
  for (const [folder, count] of readOnlyFolders) {
    problems.push(`${folder} is not writable (${count} file${count === 1 ? '' : 's'} to write there)`);
  }
  return [...new Set(problems)];
}

interface Undo {
  path: string;
  /** The file as it was, with its mode and times (so that a rollback leaves even make's view unchanged). */
  before?: { content: Buffer; mode: number; atime: number; mtime: number };
}

function saved(path: string): Undo['before'] {
  const stat = statSync(path);
  return { content: readFileSync(path), mode: stat.mode, atime: stat.atimeMs / 1000, mtime: stat.mtimeMs / 1000 };
}

/**
 * Applies the decided changes, then the `finally` writes, all or nothing. Returns nothing; throws a
 * GeneratorError naming the file that failed after putting every earlier write back.
 */
export function applyChanges(root: string, plan: { changes: Decided[]; finally: WritePlan['finally'] }): void {
  const undo: Undo[] = [];
  const createdDirs: string[] = [];
  const ensureDir = (dir: string): void => {
    const missing: string[] = [];
    for (let current = dir; !existsSync(current); current = dirname(current)) missing.unshift(current);
    for (const folder of missing) {
      mkdirSync(folder);
      createdDirs.push(folder);
    }
  };
  const write = (relativePath: string, data: { content?: Buffer; merged?: Buffer; source?: string }): void => {
    const path = join(root, relativePath);
    ensureDir(dirname(path));
    const before = existsSync(path) ? saved(path) : undefined;
    // A short name: a long file name plus a suffix could pass the file-name length limit.
    const temporary = join(dirname(path), `.mlp-${process.pid}-${undo.length}.tmp`);
    try {
      if (data.source) copyFileSync(data.source, temporary);
      else writeFileSync(temporary, data.merged ?? data.content!);
      if (before) chmodSync(temporary, before.mode & 0o7777);
      renameSync(temporary, path);
    } catch (error) {
      if (existsSync(temporary)) unlinkSync(temporary);
      throw error;
    }
    undo.push({ path, before });
  };
  let current = '';
  try {
    for (const change of plan.changes) {
      current = change.path;
      if (change.action === 'remove') {
        const path = join(root, change.path);
        undo.push({ path, before: saved(path) });
        unlinkSync(path);
        removeEmptyParents(root, dirname(path));
      } else if (WRITES.has(change.action)) {
        write(change.path, change);
      }
    }
    for (const file of plan.finally) {
      current = file.path;
      write(file.path, { content: Buffer.from(file.text) });
    }
  } catch (error) {
    rollback(undo, createdDirs);
    throw new GeneratorError(
      `Could not write ${current}: ${explain(error)}. Every file was put back as it was: nothing changed.`,
    );
  }
}

/** An error from writing, in words, with what to do about it. */
function explain(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const advice: Record<string, string> = {
    ENOSPC: 'the disk is full; free some space, then run again',
    EDQUOT: 'the disk quota is used up; free some space, then run again',
    EACCES: 'permission denied; fix the permissions, then run again',
    EPERM: 'the operation is not permitted; fix the permissions, then run again',
    EROFS: 'the file system is read-only; write the project elsewhere',
    ENAMETOOLONG: 'the path is too long for the file system; choose a shorter folder or file name',
    EISDIR: 'a folder is in the way; move it away, then run again',
  };
  return (code && advice[code]) ?? (error as Error).message;
}

function rollback(undo: Undo[], createdDirs: string[]): void {
  for (const { path, before } of undo.reverse()) {
    try {
      if (before) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, before.content);
        chmodSync(path, before.mode & 0o7777);
        utimesSync(path, before.atime, before.mtime);
      } else if (existsSync(path)) unlinkSync(path);
    } catch {
      // Best effort: the error that started the rollback is the one reported.
    }
  }
  for (const dir of createdDirs.reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty (something else is in it): leave it.
    }
  }
}

/** Removes `dir` and its parents up to (not including) `root` while they are empty. */
function removeEmptyParents(root: string, dir: string): void {
  for (let current = dir; current !== root && current.startsWith(root); current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
  }
}
