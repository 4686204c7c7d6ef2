import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_DIR, baseChanges, readBase } from '../../lib/base-store.js';
import { computeChanges, type MergeSource } from '../../lib/changes.js';
import { hasConflictMarkers, isMergeable, MAX_MERGE_BYTES, merge3 } from '../../lib/merge.js';
import { sha256 } from '../../lib/project-config.js';
import { tempDir } from '../helpers.js';

const labels = { ours: 'yours', theirs: 'new' };
const merge = async (base: string, ours: string, theirs: string) => {
  const { content, conflicts } = await merge3(Buffer.from(base), Buffer.from(ours), Buffer.from(theirs), labels);
  return { text: content.toString('utf8'), conflicts };
};

describe('three-way merge', () => {
  it('merges changes to different lines, keeping both', async () => {
    expect(await merge('a\nb\nc\nd\n', 'A\nb\nc\nd\n', 'a\nb\nc\nD\n')).toEqual({ text: 'A\nb\nc\nD\n', conflicts: 0 });
    // The same change on both sides is not a conflict.
    expect(await merge('a\nb\n', 'a\nB\n', 'a\nB\n')).toEqual({ text: 'a\nB\n', conflicts: 0 });
  });
  it('puts changes to the same lines between labelled markers, the rest merged', async () => {
    expect(await merge('a\nb\nc\nd\ne\n', 'a\nmine\nc\nd\nE\n', 'A\ntheirs\nc\nd\ne\n')).toEqual({
      text: '<<<<<<< yours\na\nmine\n=======\nA\ntheirs\n>>>>>>> new\nc\nd\nE\n',
      conflicts: 1,
    });
  });
  it('keeps line ends: a last line without one, and a CRLF file over an LF base', async () => {
    expect(await merge('a\nx\nb', 'A\nx\nb', 'a\nx\nB')).toEqual({ text: 'A\nx\nB', conflicts: 0 });
    const { text, conflicts } = await merge('a\nb\nc\n', 'A\r\nb\r\nc\r\n', 'a\nb\nC\n');
    expect({ text, conflicts }).toEqual({ text: 'A\r\nb\r\nC\r\n', conflicts: 0 });
    expect((await merge('a\nb', 'a\nmine', 'a\ntheirs')).text).toBe('a\n<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> new\n');
  });
  it('merges a notebook line by line into valid JSON, and conflicts where a comma is at stake', async () => {
    const notebook = (cells: number[], extra = '') => `${JSON.stringify({ cells, metadata: {}, nbformat: 4 }, null, 1)}\n${extra}`;
    const clean = await merge(notebook([1, 2, 3]), notebook([0, 2, 3]), notebook([1, 2, 3]).replace('"nbformat": 4', '"nbformat": 5'));
    expect(clean.conflicts).toBe(0);
    expect(JSON.parse(clean.text)).toEqual({ cells: [0, 2, 3], metadata: {}, nbformat: 5 });
    // Ours appends a cell, theirs removes the last one: the comma after 2 is on both sides.
    expect((await merge(notebook([1, 2, 3]), notebook([1, 2, 3, 4]), notebook([1, 2]))).conflicts).toBe(1);
  });
  it('merges text only, and knows markers it left', async () => {
    expect(isMergeable(Buffer.from('plain text\n'))).toBe(true);
    expect(isMergeable(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]))).toBe(false);
    expect(isMergeable(Buffer.from([0x61, 0xe9, 0x0a]))).toBe(false);
    expect(isMergeable(Buffer.alloc(MAX_MERGE_BYTES + 1, 'a'))).toBe(false);
    expect(hasConflictMarkers((await merge('a\n', 'b\n', 'c\n')).text)).toBe(true);
    expect(hasConflictMarkers('<<<<<<< a line alone\n')).toBe(false);
  });
});

describe('base versions', () => {
  it('are read only when intact, and kept exactly for what is generated', () => {
    const root = tempDir();
    mkdirSync(join(root, BASE_DIR), { recursive: true });
    const keep = sha256('kept\n');
    writeFileSync(join(root, BASE_DIR, keep), 'kept\n');
    writeFileSync(join(root, BASE_DIR, sha256('old\n')), 'old\n');
    writeFileSync(join(root, BASE_DIR, sha256('damaged\n')), 'reformatted\n');
    writeFileSync(join(root, BASE_DIR, 'notes.txt'), 'not ours to remove\n');
    expect(readBase(root, keep)?.toString()).toBe('kept\n');
    expect(readBase(root, sha256('damaged\n'))).toBeUndefined();
    expect(readBase(root, '../../etc/passwd')).toBeUndefined();
    const outputs = [
      { path: 'a', content: Buffer.from('kept\n') },
      { path: 'b', content: Buffer.from('kept\n') },
      { path: 'c', content: Buffer.from('damaged\n') },
      { path: 'd', content: Buffer.from('new\n') },
      { path: 'image.png', content: Buffer.from([0, 1, 2]) },
      { path: 'data/raw/x.csv', source: '/elsewhere/x.csv' },
    ];
    const changes = baseChanges(root, outputs).map((c) => [c.path.slice(BASE_DIR.length + 1), c.action]);
    expect(changes.sort()).toEqual(
      [
        [sha256('damaged\n'), 'update'],
        [sha256('new\n'), 'create'],
        [sha256('old\n'), 'remove'],
      ].sort(),
    );
  });
  it('turn an edited file the generator changed into a merge, or a conflict when they are missing', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'f.txt'), 'mine\nx\nb\n');
    const record = { 'f.txt': sha256('a\nx\nb\n') };
    const source = (base?: string): MergeSource => ({ base: () => (base === undefined ? undefined : Buffer.from(base)), labels });
    const [merged] = await computeChanges(root, [{ path: 'f.txt', content: Buffer.from('a\nx\nB\n') }], record, source('a\nx\nb\n'));
    expect(merged).toMatchObject({ action: 'merge', conflicts: 0 });
    expect(merged!.merged!.toString()).toBe('mine\nx\nB\n');
    const [missing] = await computeChanges(root, [{ path: 'f.txt', content: Buffer.from('a\nx\nB\n') }], record, source());
    expect(missing).toMatchObject({ action: 'conflict', reason: 'edited' });
  });
});
