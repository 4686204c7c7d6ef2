/**
 * The project's `.yo-rc.json`: our answers under "generator-mlpipeline", beside the record of what the
 * generator last wrote (a sha256 per file). The record is what makes re-runs safe: a file still equal to
 * it is the generator's to replace; any other file is the user's.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './errors.js';
import { CONFIG_KEY } from './paths.js';
import { QUESTIONS, type PartialAnswers } from './questions.js';

export const PROJECT_CONFIG = '.yo-rc.json';
const ANSWER_KEYS: ReadonlySet<string> = new Set(QUESTIONS.map((q) => q.name));
const RECORD_KEY = 'generated';

/** What the generator wrote last time: project-relative path -> sha256 of the content. */
export type FileRecord = Record<string, string>;

export interface ProjectConfig {
  answers: PartialAnswers;
  /** Undefined for a project made before the generator kept a record. */
  record?: FileRecord;
  /** The generator version that wrote the record. */
  version?: string;
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (code ?? String(error));
    throw new UsageError(`${file} cannot be read (${why}); fix it, or move it away.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, ' ');
    throw new UsageError(`${file} is not valid JSON (${reason}); fix it, or move it away to start afresh.`);
  }
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

/** Our section of `<dir>/.yo-rc.json`, as stored (answers, record and anything a user added). */
function ourSection(dir: string): Record<string, unknown> | undefined {
  const ours = readJson(join(dir, PROJECT_CONFIG))?.[CONFIG_KEY];
  return typeof ours === 'object' && ours !== null && !Array.isArray(ours) ? (ours as Record<string, unknown>) : undefined;
}

/** Our answers and record in `<dir>/.yo-rc.json`; undefined when the folder is not an mlpipeline project. */
export function readProjectConfig(dir: string): ProjectConfig | undefined {
  const ours = ourSection(dir);
  if (typeof ours !== 'object' || ours === null) return undefined;
  const stored = ours as Record<string, unknown>;
  const answers: PartialAnswers = {};
  for (const question of QUESTIONS) {
    const value = stored[question.name];
    if (typeof value === 'string') answers[question.name] = value;
  }
  const generated = stored[RECORD_KEY] as { version?: unknown; files?: unknown } | undefined;
  const files = generated?.files;
  const record =
    typeof files === 'object' && files !== null && Object.values(files).every((v) => typeof v === 'string')
      ? (files as FileRecord)
      : undefined;
  return { answers, record, version: typeof generated?.version === 'string' ? generated.version : undefined };
}

/**
 * The nearest folder, from `dir` upwards, that is an mlpipeline project; undefined if none is. A broken or
 * unreadable .yo-rc.json above `dir` that does not name this generator belongs to someone else and is
 * passed over; one that does is reported, since re-running that project needs it.
 */
export function findProjectRoot(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    try {
      if (readProjectConfig(current)) return current;
    } catch (error) {
      if (current === dir || mentionsUs(join(current, PROJECT_CONFIG))) throw error;
    }
    if (dirname(current) === current) return undefined;
  }
}

function mentionsUs(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes(CONFIG_KEY);
  } catch {
    return false;
  }
}

/**
 * The text of `<dir>/.yo-rc.json` with our answers and record set, other generators' keys kept as they
 * were. Paths in the record are sorted, so the file only changes when something changed.
 */
export function projectConfigText(dir: string, answers: PartialAnswers, record: FileRecord, version: string): string {
  const data = readJson(join(dir, PROJECT_CONFIG)) ?? {};
  const files = Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  // Keys a user added to our section are kept; answers and the record are ours to set.
  const kept = Object.fromEntries(
    Object.entries(ourSection(dir) ?? {}).filter(([key]) => !ANSWER_KEYS.has(key) && key !== RECORD_KEY),
  );
  data[CONFIG_KEY] = { ...kept, ...answers, [RECORD_KEY]: { version, files } };
  return `${JSON.stringify(data, null, 2)}\n`;
}
