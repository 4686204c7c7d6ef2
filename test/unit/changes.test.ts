import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChanges, preflight, type Decided } from '../../lib/apply.js';
import { computeChanges, newRecord, type Output } from '../../lib/changes.js';
import { sha256 } from '../../lib/project-config.js';
import { listFiles, tempDir } from '../helpers.js';

const out = (path: string, text: string): Output => ({ path, content: Buffer.from(text) });

describe('what a run changes', () => {
  it('keeps an edit without asking when the generator has nothing new for that file', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'config.yaml'), 'generated\n# mine\n');
    const record = { 'config.yaml': sha256('generated\n') };
    expect((await computeChanges(root, [out('config.yaml', 'generated\n')], record))[0]!.action).toBe('edited');
    expect((await computeChanges(root, [out('config.yaml', 'new template\n')], record))[0]).toMatchObject({
      action: 'conflict',
      reason: 'edited',
    });
  });
  it('never reaches outside the project from a hand-edited record', async () => {
    const outside = tempDir();
    const root = join(outside, 'project');
    mkdirSync(root);
    writeFileSync(join(outside, 'victim.txt'), 'v');
    const record = { '../victim.txt': sha256('v'), '/etc/hostname': 'x', '.git/config': 'x', 'a/../../victim.txt': sha256('v') };
    expect(await computeChanges(root, [], record)).toEqual([]);
  });
  it('tells new, unchanged, untouched, edited, deleted and obsolete files apart', async () => {
    const root = tempDir();
    const files: Record<string, string> = { 'same.txt': 'a', 'untouched.txt': 'old', 'edited.txt': 'mine', 'gone-old.txt': 'x', 'gone-edited.txt': 'y2' };
    for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
    const record = {
      'same.txt': sha256('a'),
      'untouched.txt': sha256('old'),
      'edited.txt': sha256('generated'),
      'deleted.txt': sha256('d'),
      'gone-old.txt': sha256('x'),
      'gone-edited.txt': sha256('y'),
    };
    const outputs = [out('same.txt', 'a'), out('untouched.txt', 'new'), out('edited.txt', 'new'), out('deleted.txt', 'd2'), out('new.txt', 'n')];
    const actions = Object.fromEntries((await computeChanges(root, outputs, record)).map((c) => [c.path, c.action]));
    expect(actions).toEqual({
      'same.txt': 'unchanged',
      'untouched.txt': 'update',
      'edited.txt': 'conflict',
      'deleted.txt': 'deleted',
      'new.txt': 'create',
      'gone-old.txt': 'remove',
      'gone-edited.txt': 'orphan',
    });
  });
  it('treats every differing file as edited when there is no record (an older project)', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'a.txt'), 'old');
    expect((await computeChanges(root, [out('a.txt', 'new')], undefined))[0]!.action).toBe('conflict');
  });
  it('records the generated files, not the user data', () => {
    expect(newRecord([out('a.txt', 'x'), { path: 'data/raw/d.csv', source: '/tmp/d.csv' }])).toEqual({ 'a.txt': sha256('x') });
  });
});

describe('writing all or nothing', () => {
  it('names every path it cannot write, before writing', () => {
    const root = tempDir();
    mkdirSync(join(root, 'Makefile'));
    writeFileSync(join(root, 'config'), 'a file where a folder goes');
    const changes: Decided[] = [
      { ...out('Makefile', 'x'), action: 'create' },
      { ...out('config/config.yaml', 'x'), action: 'create' },
      { ...out('ok.txt', 'x'), action: 'create' },
    ];
    expect(preflight(root, changes, [])).toEqual([
      'Makefile is a folder, where a file goes: move it away',
      'config is a file, where a folder goes (for config/config.yaml)',
    ]);
  });
  it('puts every earlier write back when a later one fails', () => {
    const root = tempDir();
    writeFileSync(join(root, 'a.txt'), 'before');
    writeFileSync(join(root, 'old.txt'), 'obsolete');
    // A file where the last file's folder goes: that write fails after the others succeeded.
    writeFileSync(join(root, 'z'), 'in the way');
    const changes: Decided[] = [
      { ...out('a.txt', 'after'), action: 'update' },
      { ...out('deep/new/b.txt', 'b'), action: 'create' },
      { path: 'old.txt', action: 'remove' },
      { ...out('z/last.txt', 'z'), action: 'create' },
    ];
    expect(() => applyChanges(root, { changes, finally: [{ path: '.yo-rc.json', text: '{}' }] })).toThrow(
      /Could not write z\/last\.txt: .* nothing changed/,
    );
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('before');
    expect(readFileSync(join(root, 'old.txt'), 'utf8')).toBe('obsolete');
    expect(existsSync(join(root, 'deep'))).toBe(false);
    expect(existsSync(join(root, '.yo-rc.json'))).toBe(false);
    expect(listFiles(root)).toEqual(['a.txt', 'old.txt', 'z']);
  });
});
