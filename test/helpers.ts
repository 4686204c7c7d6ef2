import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join, relative } from 'node:path';
import { parquetWriteBuffer, type BasicType } from 'hyparquet-writer';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { expect } from 'vitest';
import helpers from 'yeoman-test';
import { GENERATOR_PATH } from '../lib/paths.js';
import { QUESTION_BY_NAME } from '../lib/questions.js';

export const BIN = join(GENERATOR_PATH, '..', '..', '..', 'bin', 'mlpipeline.js');

export function tempDir(prefix = 'mlp-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Where a /proc link points, or '' when the process ended or is not ours to read. */
function linkOf(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

/**
 * The processes still running inside dir (their working folder, or a file they hold open, is in it):
 * what a test left behind, as "pid command line". Linux only (/proc); elsewhere none are found.
 */
export function processesIn(dir: string): string[] {
  const inside = (path: string) => path === dir || path.startsWith(`${dir}/`);
  const found: string[] = [];
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return found;
  }
  for (const pid of pids) {
    try {
      const fds = readdirSync(`/proc/${pid}/fd`).map((fd) => linkOf(`/proc/${pid}/fd/${fd}`));
      if (inside(linkOf(`/proc/${pid}/cwd`)) || fds.some(inside)) {
        found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`);
      }
    } catch {
      // It ended while we looked, or is not ours to read.
    }
  }
  return found;
}

/** The processes still running inside dir after waiting up to `seconds` for them to end (processesIn). */
export async function processesLeftIn(dir: string, seconds = 10): Promise<string[]> {
  const deadline = Date.now() + seconds * 1000;
  let left = processesIn(dir);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(250);
    left = processesIn(dir);
  }
  return left;
}

/** How long removing a test's folder may take: an installed project is over a gigabyte of small files. */
export const REMOVE_TIMEOUT = 10 * 60_000;

/**
 * Removes a test's folder, without blocking the tests that run beside it (a synchronous removal of an
 * installed project held the event loop for over a minute on a slow disk, and failed its hook's
 * timeout). A removal that fails (a file appearing while it runs) is retried, then said with what
 * still runs inside; a slow one is said with its time: a cleanup never fails a test whose checks passed.
 * Give the hook that awaits it REMOVE_TIMEOUT.
 */
export async function removeDir(dir: string): Promise<void> {
  const started = Date.now();
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch (error) {
    console.warn(`could not remove ${dir}: ${(error as Error).message}; still running inside: ${processesIn(dir).join('; ') || 'nothing'}`);
    return;
  }
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 20) console.warn(`removing ${dir} took ${seconds.toFixed(0)} s`);
}

/** An ordinary user for what root cannot test (permissions), and what yo refuses to do as root. */
export const TEST_USER = 'mlpipeline-test';
export const IS_ROOT = process.getuid?.() === 0;

/** Creates TEST_USER when running as root (CI containers); returns its uid and gid. */
export function ensureTestUser(): { uid: number; gid: number } {
  try {
    execFileSync('id', [TEST_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--no-create-home', '--shell', '/bin/sh', TEST_USER]);
  }
  const id = (flag: string) => Number(execFileSync('id', [flag, TEST_USER], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Runs the built generator through yeoman-test (the `yo mlpipeline` path), non-interactively, with the
 * answers as flags; returns the project folder. The author is fixed so that results do not depend on this
 * machine's git identity.
 */
export async function generate(answers: Record<string, string>, directory = 'project', extra: string[] = []): Promise<string> {
  const flags = Object.entries({ authorName: 'Ada Lovelace', authorEmail: 'ada@example.com', ...answers }).map(
    ([name, value]) => `--${QUESTION_BY_NAME.get(name as never)!.flag}=${value}`,
  );
  const result = await helpers
    .run(GENERATOR_PATH, { namespace: 'mlpipeline:app' })
    .withArguments([directory, '--yes', '--skip-install', '--skip-git', ...flags, ...extra]);
  return join(result.cwd, directory);
}

/** Every file below dir (relative, sorted), leaving out .git and the Python environment. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (['.git', '.venv', 'node_modules'].includes(entry.name)) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Asserts that a generated project is well-formed text: no EJS left, every .py compiles, every
 * YAML/TOML/JSON/ipynb parses. Throws with the file name on the first problem.
 */
export function checkWellFormed(dir: string): void {
  const files = listFiles(dir);
  const python: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const fail = (why: string) => {
      throw new Error(`${file}: ${why}`);
    };
    if (text.includes('<%') || text.includes('%>')) fail('unrendered EJS tag');
    try {
      if (file.endsWith('.py')) python.push(path);
      else if (/\.ya?ml$/.test(file)) parseYaml(text);
      else if (file.endsWith('.toml')) parseToml(text);
      else if (file.endsWith('.json')) JSON.parse(text);
      else if (file.endsWith('.ipynb')) checkNotebook(JSON.parse(text));
    } catch (error) {
      fail((error as Error).message);
    }
  }
  if (python.length > 0) {
    execFileSync(
      'python3',
      ['-c', 'import sys\nfor f in sys.argv[1:]:\n    compile(open(f, encoding="utf-8").read(), f, "exec")', ...python],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }
}

/**
 * Checks a conda project's environment.yml statically (conda is not installed here): it names the
 * project, takes conda-forge's Python of the project's version and pip, and lists every dependency of
 * pyproject.toml (main and dev) exactly once, in conda's section as a match spec or in pip's section
 * (those with a marker or an extra, and those conda-forge lacks), then the project itself.
 */
export function checkCondaEnvironment(dir: string, pythonVersion: string): void {
  const toml = parseToml(readFileSync(join(dir, 'pyproject.toml'), 'utf8')) as {
    project: { name: string; dependencies: string[]; 'optional-dependencies': Record<string, string[]> };
  };
  const env = parseYaml(readFileSync(join(dir, 'environment.yml'), 'utf8')) as {
    name: string;
    channels: string[];
    dependencies: Array<string | { pip: string[] }>;
  };
  expect(env.name).toBe(toml.project.name);
  expect(env.channels).toEqual(['conda-forge']);
  const conda = env.dependencies.filter((d): d is string => typeof d === 'string');
  const pipSections = env.dependencies.filter((d): d is { pip: string[] } => typeof d !== 'string');
  expect(pipSections).toHaveLength(1);
  const pip = pipSections[0]!.pip;
  expect(conda.slice(0, 2)).toEqual([`python=${pythonVersion}`, 'pip']);
  expect(pip.at(-1)).toBe('-e .');
  // conda reads match specs: a name and a version range, never a marker or an extra.
  for (const spec of conda.slice(2)) expect(spec).toMatch(/^[a-z0-9][a-z0-9.-]*([<>=!,.0-9]+)?$/);

  const expected = [...toml.project.dependencies, ...toml.project['optional-dependencies'].dev!];
  const listed = [...conda.slice(2), ...pip.slice(0, -1)];
  expect(listed).toHaveLength(expected.length);
  for (const requirement of expected) {
    const inConda = conda.includes(requirement.replace(/\s+/g, ''));
    const inPip = pip.includes(requirement);
    expect(inConda !== inPip, `${requirement} once, in conda-forge's section or pip's`).toBe(true);
    if (/[;[]/.test(requirement)) expect(inPip, `${requirement} has a marker or extra: pip's`).toBe(true);
  }
  // The spark extra is not in the environment: `make install EXTRAS=spark` adds it with pip.
  expect(listed.join(' ')).not.toContain('pyspark');
}

/** The parts of nbformat 4 that Jupyter refuses a notebook without. */
function checkNotebook(nb: Record<string, unknown>): void {
  if (nb.nbformat !== 4 || typeof nb.nbformat_minor !== 'number') throw new Error('not nbformat 4');
  const cells = nb.cells as Array<Record<string, unknown>>;
  if (!Array.isArray(cells) || cells.length === 0) throw new Error('no cells');
  for (const cell of cells) {
    if (!['markdown', 'code', 'raw'].includes(cell.cell_type as string)) throw new Error('bad cell_type');
    if (typeof cell.metadata !== 'object' || !Array.isArray(cell.source)) throw new Error('cell without metadata/source');
    if ((nb.nbformat_minor as number) >= 5 && typeof cell.id !== 'string') throw new Error('cell without id');
    if (cell.cell_type === 'code' && (!Array.isArray(cell.outputs) || !('execution_count' in cell))) {
      throw new Error('code cell without outputs/execution_count');
    }
  }
}

/** One row of the mixed data: a value per column of MIXED_COLUMNS, null where it is missing. */
export type MixedRow = Array<string | number | boolean | null>;

export const MIXED_COLUMNS = ['customer_id', 'age', 'income', 'plan', 'is_member', 'city', 'churned', 'spend', 'signup_date'] as const;

/**
 * Rows with what real data has: numeric, string and boolean columns, an ID column and missing values.
 * `churned` is a string target for classification, `spend` a numeric one for regression. Deterministic.
 */
export function mixedRows(rows = 300): MixedRow[] {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const plans = ['basic', 'plus', 'premium'];
  const cities = ['Paris', 'Lyon', 'Nantes', 'Lille'];
  const firstDay = Date.UTC(2022, 0, 1);
  const out: MixedRow[] = [];
  for (let i = 0; i < rows; i++) {
    const age = Math.round(18 + rand() * 60);
    const income = Math.round(1500 + rand() * 6000);
    const plan = plans[Math.floor(rand() * plans.length)]!;
    const member = rand() > 0.5;
    const city = cities[Math.floor(rand() * cities.length)]!;
    // A date as text, one distinct day per few rows: it must become date parts, not categories.
    const days = Math.floor(rand() * 900);
    const signup = new Date(firstDay + days * 86_400_000).toISOString().slice(0, 10);
    const score = (plan === 'basic' ? 1 : 0) + (member ? -1 : 0.5) + (age < 30 ? 0.8 : 0) + (days > 600 ? 0.3 : 0) + rand() * 0.8;
    const churned = score > 0.9 ? 'yes' : 'no';
    const spend = Number((income * 0.05 + (plan === 'premium' ? 120 : plan === 'plus' ? 60 : 10) + rand() * 20).toFixed(2));
    out.push([
      `C${1000 + i}`,
      i % 17 === 0 ? null : age,
      i % 23 === 0 ? null : income,
      i % 19 === 0 ? null : plan,
      member,
      city,
      churned,
      spend,
      i % 29 === 0 ? null : signup,
    ]);
  }
  return out;
}

/** The mixed rows as a CSV file (the city quoted, spend with two decimals, missing values empty). */
export function writeMixedCsv(path: string, rows = 300): void {
  const format = (value: MixedRow[number], column: string): string => {
    if (value === null) return '';
    if (column === 'city') return `"${value}"`;
    return column === 'spend' ? (value as number).toFixed(2) : String(value);
  };
  const lines = mixedRows(rows).map((row) => row.map((value, i) => format(value, MIXED_COLUMNS[i]!)).join(','));
  writeFileSync(path, `${[MIXED_COLUMNS.join(','), ...lines].join('\n')}\n`);
}

/** The mixed rows as a Parquet file with typed columns (integers, doubles, booleans, text; nulls). */
export function writeMixedParquet(path: string, rows = 300): void {
  const data = mixedRows(rows);
  const types: Record<(typeof MIXED_COLUMNS)[number], BasicType> = {
    customer_id: 'STRING', age: 'INT32', income: 'INT32', plan: 'STRING', is_member: 'BOOLEAN', city: 'STRING',
    churned: 'STRING', spend: 'DOUBLE', signup_date: 'STRING',
  };
  const columnData = MIXED_COLUMNS.map((name, i) => ({ name, type: types[name], data: data.map((row) => row[i]) }));
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData })));
}
