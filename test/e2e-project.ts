/**
 * Running a generated project from the end-to-end tests: its make targets, as a user runs them, and
 * rows of its own data to predict.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

export type Env = Record<string, string | undefined>;

/** `make <targets>` in the project; its output (stdout and stderr), or an error that shows it. */
export async function make(project: string, env: Env, ...targets: string[]): Promise<string> {
  const result = await execa('make', targets, { cwd: project, env, extendEnv: false, reject: false, all: true, stdin: 'ignore' });
  if (result.exitCode !== 0) throw new Error(`make ${targets.join(' ')} failed (exit ${result.exitCode}):\n${result.all}`);
  return result.all ?? '';
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
