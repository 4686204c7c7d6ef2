/**
 * The base versions a three-way merge needs: the content of every text file the generator last wrote,
 * kept in the project under .mlpipeline/base/, each file named by the sha256 of its content (the hash
 * the record in .yo-rc.json already holds for its path).
 *
 * Named by content, not by path: no tool picks them up as code (ruff, pytest, mkdocs see no .py or .md),
 * no .gitignore pattern of the project (data/, models/, *.csv) can hide them from git, identical files
 * share one copy, and a copy whose content no longer matches its name (edited, reformatted, a line-end
 * conversion) is detected and not used. They are ordinary files that git tracks, so they travel with
 * clones, unlike unreachable git objects or a ref that is not pushed, and they work in a project
 * without git. Binary and very large files get no base: they are not merged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change, Output } from './changes.js';
import { isMergeable } from './merge.js';
import { sha256 } from './project-config.js';

export const BASE_DIR = '.mlpipeline/base';

const HASH = /^[0-9a-f]{64}$/;

export function basePath(hash: string): string {
  return `${BASE_DIR}/${hash}`;
}

/** The base version with this hash, if the store holds it intact; undefined otherwise. */
export function readBase(root: string, hash: string): Buffer | undefined {
  if (!HASH.test(hash)) return undefined;
  let content: Buffer;
  try {
    content = readFileSync(join(root, basePath(hash)));
  } catch {
    return undefined;
  }
  return sha256(content) === hash ? content : undefined;
}

/** Whether the store exists at all (a project generated before it did has none). */
export function hasBaseStore(root: string): boolean {
  return storedHashes(root) !== undefined;
}

function storedHashes(root: string): string[] | undefined {
  try {
    return readdirSync(join(root, BASE_DIR)).filter((name) => HASH.test(name));
  } catch {
    return undefined;
  }
}

/**
 * The writes that leave the store holding exactly the bases of these outputs: missing or damaged
 * copies written, copies no output needs any more removed (other files there are left alone).
 */
export function baseChanges(root: string, outputs: Output[]): Change[] {
  const wanted = new Map<string, Buffer>();
  for (const output of outputs) {
    if (output.content && isMergeable(output.content)) wanted.set(sha256(output.content), output.content);
  }
  const stored = storedHashes(root) ?? [];
  const changes: Change[] = [];
  for (const [hash, content] of wanted) {
    if (readBase(root, hash)) continue;
    changes.push({ path: basePath(hash), content, action: stored.includes(hash) ? 'update' : 'create' });
  }
  for (const hash of stored) if (!wanted.has(hash)) changes.push({ path: basePath(hash), action: 'remove' });
  return changes;
}
