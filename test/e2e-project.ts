/**
 * Running a generated project from the end-to-end tests: its make targets, as a user runs them, and
 * rows of its own data to predict.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { INSTALLED_DISTRIBUTIONS } from '../lib/python-deps.js';

export type Env = Record<string, string | undefined>;

/** A small distribution on PyPI that no generated project depends on, directly or not. */
const UNUSED_DISTRIBUTION = 'pyfiglet';

/** What checkInstall expects of a project's first `make install`. */
export interface InstallCheck {
  /** The lock it writes: uv.lock, requirements.lock or poetry.lock. */
  lock: string;
  /** The interpreter it must use, when the project asks for one. */
  python?: { version: string };
  /** Whether PYTHONDONTWRITEBYTECODE is set (the install then compiles the bytecode). */
  noBytecodeWriting?: boolean;
  /** Also check that a lock that no longer matches pyproject.toml is refused in one line. */
  staleLock?: boolean;
}

/** `make <targets>` in the project; its output (stdout and stderr), or an error that shows it. */
export async function make(project: string, env: Env, ...targets: string[]): Promise<string> {
  const result = await execa('make', targets, { cwd: project, env, extendEnv: false, reject: false, all: true, stdin: 'ignore' });
  if (result.exitCode !== 0) throw new Error(`make ${targets.join(' ')} failed (exit ${result.exitCode}):\n${result.all}`);
  return result.all ?? '';
}

/**
 * An interpreter of this Python version ("3.10") that actually runs here: `python3.10` on PATH, else
 * one of pyenv's versions (pyenv's shims exist for versions that are not active, and fail: each
 * candidate is run). Its path, or undefined.
 */
export function pythonExecutable(version: string): string | undefined {
  let pyenvRoot = '';
  try {
    pyenvRoot = execFileSync('pyenv', ['root'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // no pyenv
  }
  const candidates = [`python${version}`];
  const versions = pyenvRoot ? join(pyenvRoot, 'versions') : '';
  if (versions && existsSync(versions)) {
    for (const installed of readdirSync(versions).filter((v) => v.startsWith(`${version}.`))) {
      candidates.push(join(versions, installed, 'bin', `python${version}`));
    }
  }
  for (const candidate of candidates) {
    try {
      const probe = 'import sys; print(sys.executable); sys.exit(sys.version_info[:2] != tuple(map(int, sys.argv[1].split("."))))';
      return execFileSync(candidate, ['-c', probe, version], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // does not run, or is another version
    }
  }
  return undefined;
}

/** The first rows of the processed test split without the target, as JSON records (NaN -> null). */
export function sampleInstances(project: string, target: string, rows = 3): Array<Record<string, unknown>> {
  const code =
    'import sys, pandas as pd\n' +
    'df = pd.read_csv("data/processed/test.csv").head(int(sys.argv[2]))\n' +
    'print(df.drop(columns=[sys.argv[1]]).to_json(orient="records"))';
  const out = execFileSync(join(project, '.venv/bin/python'), ['-c', code, target, String(rows)], { cwd: project });
  return JSON.parse(out.toString());
}

/** Those rows as a CSV file in the project (`new.csv`): raw rows without the target, to predict. */
export function writeInstancesCsv(project: string, instances: Array<Record<string, unknown>>, name = 'new.csv'): void {
  const header = Object.keys(instances[0]!);
  const csv = [header.join(','), ...instances.map((r) => header.map((h) => (r[h] === null ? '' : String(r[h]))).join(','))];
  writeFileSync(join(project, name), `${csv.join('\n')}\n`);
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** GET /health until it answers (90 s at most, or until the server exits); its body. */
export async function waitForHealth(url: string, server: ChildProcess, log: () => string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return (await response.json()) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become healthy:\n${log()}`);
}

/** `make serve` on a free port of 127.0.0.1, as a user starts it; `stop` ends it and its children. */
export async function startServe(
  project: string,
  env: Env,
): Promise<{ server: ChildProcess; url: string; log: () => string; stop: () => void }> {
  const port = await freePort();
  let log = '';
  const server = spawn('make', ['serve'], {
    cwd: project,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d) => (log += d));
  server.stderr?.on('data', (d) => (log += d));
  const stop = () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  return { server, url: `http://127.0.0.1:${port}`, log: () => log, stop };
}

/**
 * `make install`: one progress line naming the installer and the interpreter, one line with the time,
 * the lock written; then a second `make install` does nothing, and (staleLock) a dependency the lock
 * lacks is refused in one line.
 */
export async function checkInstall(project: string, env: Env, preset: InstallCheck): Promise<void> {
  const installer = { 'uv.lock': 'uv', 'requirements.lock': 'pip', 'poetry.lock': 'poetry' }[preset.lock];
  const first = (await make(project, env, 'install')).trim().split('\n');
  expect(first, first.join('\n')).toHaveLength(2);
  expect(first[0]).toMatch(new RegExp(`^Installing .* with ${installer} and Python 3\\.\\d+\\.\\d+ \\(.+\\); no ${preset.lock} yet`));
  expect(first[1]).toMatch(new RegExp(`^Installed in \\d+\\.\\d s\\. Wrote ${preset.lock.replace('.', '\\.')}: commit it\\.$`));
  expect(existsSync(join(project, preset.lock))).toBe(true);
  // Bytecode is compiled by the install only where Python would not keep it (PYTHONDONTWRITEBYTECODE).
  const lib = join(project, '.venv', 'lib');
  const sitePackages = join(lib, readdirSync(lib).find((d) => d.startsWith('python'))!, 'site-packages');
  expect(existsSync(join(sitePackages, 'sklearn', '__pycache__')), 'bytecode compiled at install').toBe(Boolean(preset.noBytecodeWriting));
  if (preset.python) {
    expect(first[0]).toContain(`Python ${preset.python.version}.`);
    const version = execFileSync(join(project, '.venv/bin/python'), ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
    expect(version.toString().trim()).toBe(preset.python.version);
  }

  const stamp = join(project, '.venv/.installed');
  const before = statSync(stamp).mtimeMs;
  expect(await make(project, env, 'install')).toBe('');
  expect(statSync(stamp).mtimeMs).toBe(before);

  if (preset.staleLock) {
    // A dependency that the lock does not have: one line that says what to run. The pyproject.toml is
    // then put back as it was, with its old time, so the install stays valid.
    const pyproject = join(project, 'pyproject.toml');
    const original = readFileSync(pyproject, 'utf8');
    const { atime, mtime } = statSync(pyproject);
    // A distribution that no project installs (lib/python-deps.ts lists all they do): with pip, whose
    // lock is stale only when the installed set no longer satisfies pyproject.toml, one the lock already
    // holds (tabulate comes with dvc) would rightly pass.
    expect(INSTALLED_DISTRIBUTIONS.has(UNUSED_DISTRIBUTION)).toBe(false);
    writeFileSync(pyproject, original.replace('dependencies = [\n', `dependencies = [\n    "${UNUSED_DISTRIBUTION}>=1.0",\n`));
    const stale = await execa('make', ['install'], { cwd: project, env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect(stale.exitCode).not.toBe(0);
    const errors = stale.stderr.split('\n').filter((line) => !line.startsWith('make: ***'));
    expect(errors, stale.stderr).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(`^make install failed: ${preset.lock.replace('.', '\\.')} does not match pyproject\\.toml.*: run make lock to re-resolve it`),
    );
    writeFileSync(pyproject, original);
    utimesSync(pyproject, atime, mtime);
    expect(await make(project, env, 'install')).toBe('');
  }
}
