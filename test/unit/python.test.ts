import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pythonVersionOf } from '../../lib/python.js';
import { tempDir } from '../helpers.js';

/** A fake pyenv: shims on PATH, two installed versions, a global version file. */
function fakePyenv(global: string): { root: string; shims: string } {
  const root = tempDir('mlp-pyenv-');
  const shims = join(root, 'shims');
  mkdirSync(shims);
  for (const name of ['python3', 'python3.10', 'python3.12']) {
    writeFileSync(join(shims, name), '#!/usr/bin/env bash\nexec "$PYENV_ROOT/libexec/pyenv" exec "$program" "$@"\n');
    chmodSync(join(shims, name), 0o755);
  }
  for (const [version, minor] of [['3.10.13', '3.10'], ['3.12.1', '3.12']] as const) {
    const bin = join(root, 'versions', version, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, `python${minor}`), '');
    chmodSync(join(bin, `python${minor}`), 0o755);
    symlinkSync(`python${minor}`, join(bin, 'python3'));
  }
  writeFileSync(join(root, 'version'), `${global}\n`);
  return { root, shims };
}

describe('finding local interpreters without running them', () => {
  const saved = { root: process.env.PYENV_ROOT, version: process.env.PYENV_VERSION };
  afterEach(() => {
    process.env.PYENV_ROOT = saved.root;
    process.env.PYENV_VERSION = saved.version;
    if (saved.root === undefined) delete process.env.PYENV_ROOT;
    if (saved.version === undefined) delete process.env.PYENV_VERSION;
  });
  it('follows pyenv: the active version answers, a shim for an inactive one does not run', () => {
    const { root, shims } = fakePyenv('3.12.1');
    process.env.PYENV_ROOT = root;
    delete process.env.PYENV_VERSION;
    const cwd = tempDir();
    expect(pythonVersionOf('python3', shims, cwd)).toBe('3.12');
    expect(pythonVersionOf('python3.12', shims, cwd)).toBe('3.12');
    expect(pythonVersionOf('python3.10', shims, cwd)).toBeUndefined();
    process.env.PYENV_VERSION = '3.10.13:3.12.1';
    expect(pythonVersionOf('python3.10', shims, cwd)).toBe('3.10');
    expect(pythonVersionOf('python3', shims, cwd)).toBe('3.10');
  });
  it('reads .python-version above the folder, and version prefixes', () => {
    const { root, shims } = fakePyenv('3.12.1');
    process.env.PYENV_ROOT = root;
    delete process.env.PYENV_VERSION;
    const project = tempDir();
    writeFileSync(join(project, '.python-version'), '3.10\n');
    mkdirSync(join(project, 'sub'));
    expect(pythonVersionOf('python3', shims, join(project, 'sub'))).toBe('3.10');
  });
  it('reads the version from the name a python3 link points to', () => {
    const bin = tempDir();
    writeFileSync(join(bin, 'python3.13'), '');
    chmodSync(join(bin, 'python3.13'), 0o755);
    symlinkSync('python3.13', join(bin, 'python3'));
    expect(pythonVersionOf('python3', bin)).toBe('3.13');
    expect(pythonVersionOf('python3.11', bin)).toBeUndefined();
  });
});
