/**
 * The Python interpreters this machine can run, as `make install` will look for them: `python3`, then
 * `python3.X`. A name on PATH is not enough: pyenv puts shims there for versions that are not active, and
 * they fail when run. Running each candidate costs up to a second through a pyenv shim, so the version is
 * read without starting Python wherever it can be: from the file a `python3.X` name points to, or, for a
 * pyenv shim, from pyenv's own rules for the active version (PYENV_VERSION, .python-version, the global
 * version file). Only an interpreter that neither tells is asked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { PYTHON_VERSIONS } from './questions.js';

const PROBE = 'import sys; print("%d.%d" % sys.version_info[:2])';
const NAMED = /^python(3\.\d+)$/;

function executables(command: string, path: string): string[] {
  return path
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, command))
    .filter((file) => {
      try {
        return statSync(file).isFile();
      } catch {
        return false;
      }
    });
}

function isPyenvShim(file: string): boolean {
  if (basename(dirname(file)) !== 'shims') return false;
  try {
    return readFileSync(file, 'latin1').slice(0, 2000).includes('pyenv');
  } catch {
    return false;
  }
}

/** pyenv's active versions, in its order: PYENV_VERSION, a .python-version above `cwd`, the global file. */
function pyenvVersions(root: string, cwd: string): string[] {
  const parse = (text: string) => text.split(/[\s:]+/).filter((v) => v && !v.startsWith('#'));
  if (process.env.PYENV_VERSION) return parse(process.env.PYENV_VERSION);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, '.python-version');
    if (existsSync(file)) return parse(readFileSync(file, 'utf8'));
    if (dirname(dir) === dir) break;
  }
  const global = join(root, 'version');
  return existsSync(global) ? parse(readFileSync(global, 'utf8')) : ['system'];
}

/** The installed pyenv version folder a version name means ("3.11" -> the newest 3.11.x installed). */
function pyenvPrefix(root: string, name: string): string | undefined {
  const versions = join(root, 'versions');
  if (existsSync(join(versions, name))) return join(versions, name);
  const matching = existsSync(versions)
    ? readdirSync(versions).filter((v) => v.startsWith(`${name}.`)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    : [];
  return matching.length > 0 ? join(versions, matching[matching.length - 1]!) : undefined;
}

function probe(file: string): string | undefined {
  const result = spawnSync(file, ['-c', PROBE], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  const version = result.status === 0 ? result.stdout.trim() : '';
  return /^\d+\.\d+$/.test(version) ? version : undefined;
}

/** The "3.X" version `command` runs as, or undefined when it is absent or would not run. */
export function pythonVersionOf(command: string, path = process.env.PATH ?? '', cwd = process.cwd()): string | undefined {
  const [first] = executables(command, path);
  if (!first) return undefined;
  if (isPyenvShim(first)) {
    const root = process.env.PYENV_ROOT ?? dirname(dirname(first));
    for (const name of pyenvVersions(root, cwd)) {
      if (name === 'system') {
        const shims = dirname(first);
        return pythonVersionOf(command, path.split(delimiter).filter((d) => resolve(d) !== resolve(shims)).join(delimiter), cwd);
      }
      const prefix = pyenvPrefix(root, name);
      if (prefix && existsSync(join(prefix, 'bin', command))) return pythonVersionOf(command, join(prefix, 'bin'), cwd);
    }
    return undefined;
  }
  const named = NAMED.exec(basename(realpathSync(first)));
  return named ? named[1] : probe(first);
}

const minor = (version: string): number => Number(version.split('.')[1]);

/**
 * The first interpreter that satisfies `required` ("3.11" means >= 3.11), python3 first, as make
 * install looks for one; undefined when none does.
 */
let local: { version: string | undefined } | undefined;

/** The local python3's version, found once per run. */
export function localPython(): string | undefined {
  return (local ??= { version: pythonVersionOf('python3') }).version;
}

export function findPython(required: string, python3 = localPython()): { command: string; version: string } | undefined {
  if (python3 && python3.startsWith('3.') && minor(python3) >= minor(required)) return { command: 'python3', version: python3 };
  for (const candidate of [...PYTHON_VERSIONS].reverse()) {
    if (minor(candidate) < minor(required)) continue;
    const version = pythonVersionOf(`python${candidate}`);
    if (version) return { command: `python${candidate}`, version };
  }
  return undefined;
}
