/**
 * The real CLI, spawned as users spawn it: stdin closed (as in CI and scripts), exit codes, refusals
 * that leave the disk as it was, and re-runs that update what the generator owns and nothing else.
 */
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { delimiter, dirname, join } from 'node:path';
import { execa } from 'execa';
import { lockSync } from 'proper-lockfile';
import { describe, expect, it } from 'vitest';
import { BIN, ensureTestUser, IS_ROOT, listFiles, tempDir, TEST_USER, writeMixedCsv } from './helpers.js';

const AUTHOR = ['--author-name', 'Ada Lovelace', '--author-email', 'ada@example.com'];
const QUIET = ['--skip-install', '--skip-git'];
const FIXTURES = join(import.meta.dirname, 'fixtures');

function mlpipeline(args: string[], cwd: string) {
  return execa('node', [BIN, ...args], { cwd, stdin: 'ignore', reject: false, env: { NO_COLOR: '1' } });
}

/** Every file's content and mtime: equal snapshots mean nothing was touched. */
function snapshotTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((file) => {
      const path = join(dir, file);
      return [file, `${statSync(path).mtimeMs}:${readFileSync(path, 'utf8')}`];
    }),
  );
}

const stored = (project: string) => JSON.parse(readFileSync(join(project, '.yo-rc.json'), 'utf8'))['generator-mlpipeline'];

async function project(args: string[] = []): Promise<string> {
  const cwd = tempDir();
  const result = await mlpipeline(['p', '--yes', ...QUIET, ...AUTHOR, ...args], cwd);
  expect(result.exitCode, result.stderr).toBe(0);
  return join(cwd, 'p');
}

/** Runs the CLI on a pseudo-terminal, waits for the first prompt, then sends one key (EOF or Ctrl-C). */
const PTY_DRIVER = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out, deadline = b"", time.time() + 30
while time.time() < deadline and b"Project name" not in out:
    if select.select([fd], [], [], 0.5)[0]:
        out += os.read(fd, 4096)
os.write(fd, os.environ["KEY"].encode())
try:
    while select.select([fd], [], [], 5)[0]:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        out += chunk
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
`;

describe('mlpipeline CLI', () => {
  it.each([
    ['end of input (Ctrl-D)', '\x04', 1, 'input ended before every question was answered'],
    ['an interrupt (Ctrl-C)', '\x03', 130, 'interrupted: the run stopped and nothing was written'],
  ])('at a prompt, %s fails with a message and writes nothing', async (_what, key, code, message) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'keep.txt'), 'not empty: the project would go to ./<name>\n');
    const result = await execa('python3', ['-c', PTY_DRIVER, 'node', BIN, ...QUIET], {
      cwd,
      reject: false,
      env: { KEY: key, NO_COLOR: '1' },
    });
    expect(result.stdout).toContain('Project name');
    expect(result.exitCode).toBe(code);
    expect(result.stdout).toContain(message);
    expect(listFiles(cwd)).toEqual(['keep.txt']);
  });

  it('prints help listing every flag', async () => {
    const result = await mlpipeline(['--help'], tempDir());
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Usage: mlpipeline [directory] [options]');
    expect(result.stdout).toContain('--task <classification|regression>');
  });

  it('with stdin closed and no answers, exits 2 naming the flags and writes nothing', async () => {
    const cwd = tempDir();
    const result = await mlpipeline([], cwd);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--project-name NAME');
    expect(result.stderr).toContain('--task classification|regression');
    expect(result.stderr).toContain('or pass --yes');
    expect(listFiles(cwd)).toEqual([]);
  });

  const csvDir = tempDir('mlp-bin-data-');
  writeMixedCsv(join(csvDir, 'customers.csv'));
  writeFileSync(join(csvDir, 'one-class.csv'), `a,b,label\n${'1,2,yes\n'.repeat(50)}`);
  writeFileSync(join(csvDir, 'latin1.csv'), Buffer.from('nom,ville,prix\nZo\xeb,Orl\xe9ans,3\n', 'latin1'));
  const truncated = readFileSync(join(FIXTURES, 'customers.parquet'));
  writeFileSync(join(csvDir, 'corrupt.parquet'), truncated.subarray(0, truncated.length - 64));
  const data = (file: string, target: string) => ['--dataset', 'csv', '--data-path', join(csvDir, file), '--target', target];

  it.each([
    [['--yes', '--model', 'xgboost'], '--model must be one of random_forest, hist_gradient_boosting, linear, svm, knn, extra_trees, gradient_boosting, decision_tree (got "xgboost")'],
    [['--yes', '--tsak', 'regression'], 'Unknown option --tsak. Did you mean --task?'],
    [['--yes', '--project-name', 'Bad Name'], 'is not a valid project name'],
    [['--yes', '--dataset', 'csv', '--data-path', 'missing.csv', '--target', 'y'], 'Data file "'],
    [['--yes', '--answers', 'nope.json'], 'nope.json: cannot read a JSON object (file not found)'],
    [['--yes', '--data-path', 'x.csv'], '--data-path applies only with --dataset csv.'],
    [['--yes', '--project-name', 'pandas'], 'is the name of a package the project installs'],
    [['--yes', '--module-name', 'rich'], '"rich" is the import name of a package the project installs'],
    [['--yes', '--module-name', 'm'.repeat(300)], 'The module name is too long (300 characters; 64 at most)'],
    [['--yes', '--force', '--bail'], '--force overwrites edited files and --bail stops at the first one'],
    [['--yes', ...data('one-class.csv', 'label')], 'Column "label" has one class only ("yes")'],
    [['--yes', ...data('latin1.csv', 'prix')], 'is not UTF-8 text'],
    [['--yes', ...data('corrupt.parquet', 'churned')], 'is not a readable Parquet file'],
  ])('rejects %j with exit 2, writing nothing', async (args, message) => {
    const cwd = tempDir();
    const result = await mlpipeline([...args, ...QUIET], cwd);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(listFiles(cwd)).toEqual([]);
  });

  it('takes the target from a Parquet file and fills the README example from its first row', async () => {
    const cwd = tempDir();
    const result = await mlpipeline(['pq', '--yes', ...QUIET, '--dataset', 'csv', '--data-path', join(FIXTURES, 'customers.parquet')], cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(stored(join(cwd, 'pq')).target).toBe('churned');
    expect(readFileSync(join(cwd, 'pq', 'README.md'), 'utf8')).toContain('"customer_id":"C1","age":42');
  });

  it('refuses a non-empty folder that is not a project, and leaves it untouched', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'work'));
    writeFileSync(join(cwd, 'work', 'README.md'), 'mine\n');
    const result = await mlpipeline(['work', '--yes', ...QUIET], cwd);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('is not empty and is not an mlpipeline project');
    expect(listFiles(join(cwd, 'work'))).toEqual(['README.md']);
    const forced = await mlpipeline(['work', '--yes', ...QUIET, '--force'], cwd);
    expect(forced.exitCode).toBe(0);
    expect(listFiles(join(cwd, 'work'))).toContain('.yo-rc.json');
  });

  it('with conda missing, writes the whole project, commits it, and says in one line how to install (exit 1)', async () => {
    const cwd = tempDir();
    // PATH with node, make and git, but no conda (nor a CONDA variable naming one).
    const path = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(delimiter);
    const result = await execa('node', [BIN, 'env-conda', '--yes', '--installer', 'conda', ...AUTHOR], {
      cwd,
      stdin: 'ignore',
      reject: false,
      extendEnv: false,
      env: { NO_COLOR: '1', PATH: path, HOME: process.env.HOME },
    });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `mlpipeline: The project was written to ${join(cwd, 'env-conda')}, but conda is not on PATH, so nothing was installed: ` +
        'install Miniforge (https://conda-forge.org/download/), then run `make install` in the project.',
    ]);
    // The caveat of the conda installer, said once at generation time.
    expect(result.stdout).toMatch(/^conda: environment\.yml and the Makefile's conda targets are checked statically only/m);
    const project = join(cwd, 'env-conda');
    expect(listFiles(project)).toEqual(expect.arrayContaining(['environment.yml', 'Makefile', 'src/env_conda/train.py']));
    expect(existsSync(join(project, '.venv'))).toBe(false);
    expect((await execa('git', ['log', '--oneline'], { cwd: project })).stdout).toMatch(/Initial commit/);
  });

  it('writes into an empty current folder, named after it, with a git repository and first commit', async () => {
    const cwd = join(tempDir(), 'churn');
    mkdirSync(cwd);
    const first = await mlpipeline(['--yes', '--skip-install', ...AUTHOR], cwd);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain('Next steps');
    expect(stored(cwd)).toMatchObject({ projectName: 'churn', moduleName: 'churn' });
    expect(listFiles(cwd)).toContain('src/churn/train.py');
    const log = await execa('git', ['log', '--oneline'], { cwd });
    expect(log.stdout).toMatch(/Initial commit from generator-mlpipeline/);
    expect((await execa('git', ['status', '--porcelain'], { cwd })).stdout).toBe('');
  });

  it('in a folder holding only .git, commits into that repository', async () => {
    const cwd = join(tempDir(), 'repo');
    mkdirSync(cwd);
    await execa('git', ['init', '--quiet'], { cwd });
    const result = await mlpipeline(['--yes', '--skip-install', ...AUTHOR], cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await execa('git', ['log', '--oneline'], { cwd })).stdout).toMatch(/Initial commit/);
  });

  it('inside another repository, says so instead of nesting one', async () => {
    const outer = tempDir();
    await execa('git', ['init', '--quiet'], { cwd: outer });
    writeFileSync(join(outer, 'other.txt'), 'x\n');
    const result = await mlpipeline(['inner', '--yes', '--skip-install', ...AUTHOR], outer);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Inside the git repository ${outer}`);
    expect(listFiles(join(outer, 'inner'))).not.toContain('.git');
  });

  it('a re-run with no flags, from the project or a subfolder, changes no byte and no mtime', async () => {
    const dir = await project();
    const before = snapshotTree(dir);
    for (const cwd of [dir, join(dir, 'src')]) {
      const again = await mlpipeline(QUIET, cwd);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/Nothing to change: the generator would write the same \d+ files/);
      expect(snapshotTree(dir)).toEqual(before);
    }
  });

  it('a re-run with other answers updates untouched files without a terminal, and merges edits', async () => {
    const dir = await project();
    const run = (...args: string[]) => mlpipeline([...QUIET, ...args], dir);
    const pythonChange = await run('--python-version', '3.12');
    expect(pythonChange.exitCode, pythonChange.stderr).toBe(0);
    expect(pythonChange.stdout).toMatch(/Updated .*pyproject\.toml.*; \d+ unchanged\./);
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toContain('requires-python = ">=3.12"');
    const modelChange = await run('--model', 'linear');
    expect(modelChange.exitCode, modelChange.stderr).toBe(0);
    expect(readFileSync(join(dir, 'config/config.yaml'), 'utf8')).toMatch(/name: linear/);

    // An edit on other lines than the answer changes: merged, without a terminal.
    const config = join(dir, 'config', 'config.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}# my edit\n`);
    const merged = await run('--model', 'random_forest');
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('Merged the new version into your edits: config/config.yaml');
    expect(readFileSync(config, 'utf8')).toMatch(/name: random_forest\n[\s\S]*# my edit\n$/);

    // An edit of the very line the answer changes: --bail refuses, writing nothing.
    writeFileSync(config, readFileSync(config, 'utf8').replace('name: random_forest', 'name: random_forest  # mine'));
    const edited = readFileSync(config, 'utf8');
    const yoRc = readFileSync(join(dir, '.yo-rc.json'), 'utf8');
    const before = snapshotTree(dir);
    const refused = await run('--model', 'linear', '--bail');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('config/config.yaml (edited, and the new version changes the same lines: 1 conflict)');
    expect(refused.stderr).toContain('Nothing was written');
    expect(snapshotTree(dir)).toEqual(before);
    expect(readFileSync(join(dir, '.yo-rc.json'), 'utf8')).toBe(yoRc);

    // An answer that does not change config.yaml leaves the edit alone, without asking.
    const unrelated = await run('--license', 'BSD-3-Clause');
    expect(unrelated.exitCode, unrelated.stderr).toBe(0);
    expect(unrelated.stdout).toContain('Left as you edited them (nothing new for them): config/config.yaml');
    expect(readFileSync(config, 'utf8')).toBe(edited);

    // Without --bail: both versions between markers, the rest written, exit 1 naming the file.
    const conflicted = await run('--model', 'linear');
    expect(conflicted.exitCode).toBe(1);
    expect(conflicted.stderr).toContain('change the same lines in this file:\n  config/config.yaml (1 conflict)\n');
    expect(readFileSync(config, 'utf8')).toContain(
      '<<<<<<< yours\n  name: random_forest  # mine\n=======\n  name: linear\n>>>>>>> generator-mlpipeline',
    );
    expect(readFileSync(config, 'utf8')).toMatch(/# my edit\n$/);
    expect(stored(dir).model).toBe('linear');

    const forced = await run('--model', 'random_forest', '--force');
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('Overwrote, as asked: config/config.yaml');
    expect(readFileSync(config, 'utf8')).not.toContain('# my edit');
    expect(stored(dir).model).toBe('random_forest');
  });

  it('a project made before the record existed: files equal to what its answers render are untouched', async () => {
    const dir = await project();
    const config = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'));
    delete config['generator-mlpipeline'].generated;
    writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify(config));
    rmSync(join(dir, '.mlpipeline'), { recursive: true });
    const readme = join(dir, 'README.md');
    writeFileSync(readme, `${readFileSync(readme, 'utf8')}\nmine\n`);
    const refused = await mlpipeline([...QUIET, '--model', 'linear'], dir);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/\n {2}README\.md \(edited since the generator wrote it\)\n/);
    expect(refused.stderr).not.toContain('config/config.yaml');
    const kept = await mlpipeline([...QUIET, '--model', 'linear', '--force'], dir);
    expect(kept.exitCode, kept.stderr).toBe(0);
    expect(stored(dir).generated.files['config/config.yaml']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('--bail writes a new project (nothing to conflict with)', async () => {
    const cwd = tempDir();
    const result = await mlpipeline(['fresh', '--yes', '--bail', ...QUIET], cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(listFiles(join(cwd, 'fresh'))).toContain('.yo-rc.json');
  });

  it('keeps a file you deleted deleted, until --force restores it', async () => {
    const dir = await project();
    unlinkSync(join(dir, 'docs', 'index.md'));
    const again = await mlpipeline([...QUIET, '--description', 'Another description'], dir);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('Not recreated, you deleted them (--force restores them): docs/index.md');
    expect(listFiles(dir)).not.toContain('docs/index.md');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('Another description');
    const forced = await mlpipeline([...QUIET, '--force'], dir);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'docs', 'index.md'), 'utf8')).toContain('Another description');
  });

  it('removes what is no longer generated when untouched, and keeps it when edited', async () => {
    const dir = await project();
    const train = join(dir, 'src', 'p', 'train.py');
    writeFileSync(train, `${readFileSync(train, 'utf8')}# mine\n`);
    const result = await mlpipeline([...QUIET, '--license', 'none', '--module-name', 'renamed'], dir);
    expect(result.exitCode, result.stderr).toBe(0);
    const files = listFiles(dir);
    expect(files).not.toContain('LICENSE');
    expect(files).toContain('src/renamed/train.py');
    expect(files).not.toContain('src/p/predict.py');
    expect(files).toContain('src/p/train.py');
    expect(result.stdout).toContain('No longer generated, kept because you edited them: src/p/train.py');
    expect(Object.keys(stored(dir).generated.files)).not.toContain('src/p/train.py');
  });

  it.each([
    ['a --force re-run', ['--force'], false],
    ['a merge', [], true],
  ])('writes all or nothing: an unwritable file stops %s before any write, named in one line', async (_what, extra, edit) => {
    const dir = await project();
    // config.yaml changes with the model: the run must write it (over the edit, or merged), and cannot.
    const locked = join(dir, 'config', 'config.yaml');
    if (edit) writeFileSync(locked, `${readFileSync(locked, 'utf8')}# my edit\n`);
    chmodSync(locked, 0o444);
    const before = snapshotTree(dir);
    const args = [BIN, ...QUIET, '--model', 'linear', ...extra];
    let result;
    if (IS_ROOT) {
      // Root may write anything: run as an ordinary user who owns everything but the locked file.
      const { uid, gid } = ensureTestUser();
      chmodSync(join(dir, '..'), 0o755);
      for (const file of ['', ...listFiles(dir), 'src', 'src/p', 'tests', 'config', '.mlpipeline', '.mlpipeline/base']) {
        chownSync(join(dir, file), uid, gid);
      }
      chownSync(locked, 0, 0);
      result = await execa('runuser', ['-u', TEST_USER, '--', 'node', ...args], { cwd: dir, stdin: 'ignore', reject: false });
    } else {
      result = await execa('node', args, { cwd: dir, stdin: 'ignore', reject: false });
    }
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('\n  config/config.yaml is read-only\nFix the permissions');
    expect(result.stderr).toContain('Nothing was written');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('one run at a time: a run that finds another one changing the project stops, exit 75, writing nothing', async () => {
    const dir = await project();
    const before = snapshotTree(dir);
    const lockOptions = { lockfilePath: join(dir, '.yo-rc.json.lock'), realpath: false, stale: 20_000 };
    const release = lockSync(dir, lockOptions);
    try {
      for (const args of [['--model', 'linear'], ['update'], ['add', 'docker']]) {
        const refused = await mlpipeline([...args, ...QUIET], dir);
        expect(refused.exitCode, refused.stderr).toBe(75);
        expect(refused.stderr).toMatch(/^mlpipeline: another mlpipeline run is changing .* so this one stopped and wrote nothing: wait for it/);
        expect(refused.stderr.trim().split('\n')).toHaveLength(1);
        expect(snapshotTree(dir)).toEqual(before);
      }
    } finally {
      release();
    }
    // A lock left by a run that was killed (no longer refreshed) is taken over, and removed after the run.
    mkdirSync(lockOptions.lockfilePath);
    const past = new Date(Date.now() - 60_000);
    utimesSync(lockOptions.lockfilePath, past, past);
    const after = await mlpipeline(['--model', 'linear', ...QUIET], dir);
    expect(after.exitCode, after.stderr).toBe(0);
    expect(stored(dir).model).toBe('linear');
    expect(existsSync(lockOptions.lockfilePath)).toBe(false);
  });

  it('two runs started together never lose an answer: each either stops (75) or is applied in turn', async () => {
    const dir = await project();
    const runs = await Promise.all([
      mlpipeline(['--model', 'linear', ...QUIET], dir),
      mlpipeline(['--license', 'BSD-3-Clause', ...QUIET], dir),
      mlpipeline(['--python-version', '3.12', ...QUIET], dir),
    ]);
    const codes = runs.map((run) => run.exitCode);
    for (const run of runs) expect([0, 75], run.stderr).toContain(run.exitCode);
    expect(codes).toContain(0);
    const answers = stored(dir);
    if (codes[0] === 0) expect(answers.model).toBe('linear');
    if (codes[1] === 0) expect(answers.license).toBe('BSD-3-Clause');
    if (codes[2] === 0) expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toContain('requires-python = ">=3.12"');
    expect(existsSync(join(dir, '.yo-rc.json.lock'))).toBe(false);
  });

  it('update: in a project, from the stored answers; elsewhere, or with an answer, one line and exit 2', async () => {
    const dir = await project();
    const help = await mlpipeline(['update', '--help'], dir);
    expect(help.stdout).toContain('Usage: mlpipeline update [directory] [options]');
    expect(help.stdout).toContain('--dry-run');
    expect(help.stdout).not.toContain('--model <');
    expect((await mlpipeline(['--help'], dir)).stdout).toMatch(/\n {2}update +Regenerate a project from its stored answers/);
    const before = snapshotTree(dir);
    const same = await mlpipeline(['update', ...QUIET], join(dir, 'src'));
    expect(same.exitCode, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/Nothing to change: the generator would write the same \d+ files/);
    expect(snapshotTree(dir)).toEqual(before);
    for (const [args, cwd, message] of [
      [['update', ...QUIET], tempDir(), 'No mlpipeline project at or above'],
      [['update', '--model', 'linear'], dir, 'mlpipeline update keeps the stored answers, so it takes no --model'],
      [['update', 'a', 'b'], dir, 'Too many arguments for mlpipeline update [directory]'],
    ] as const) {
      const result = await mlpipeline([...args], cwd);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('refuses a folder where a file goes, naming it, before writing anything', async () => {
    const dir = await project();
    rmSync(join(dir, 'Makefile'));
    mkdirSync(join(dir, 'Makefile'));
    const before = snapshotTree(dir);
    const result = await mlpipeline([...QUIET, '--model', 'linear', '--force'], dir);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('Makefile is a folder, where a file goes');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('never deletes outside the project, whatever the record in .yo-rc.json says', async () => {
    const dir = await project();
    const victim = join(dir, '..', 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const config = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'));
    config['generator-mlpipeline'].generated.files['../victim.txt'] = createHash('sha256').update('precious\n').digest('hex');
    writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify(config));
    const result = await mlpipeline(QUIET, dir);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('checks the target again when the data file changes', async () => {
    const cwd = tempDir();
    const made = await mlpipeline(['c', '--yes', ...QUIET, ...data('customers.csv', 'churned')], cwd);
    expect(made.exitCode, made.stderr).toBe(0);
    writeFileSync(join(csvDir, 'churned-one.csv'), `age,churned\n${'30,no\n'.repeat(20)}`);
    const again = await mlpipeline([...QUIET, '--data-path', join(csvDir, 'churned-one.csv')], join(cwd, 'c'));
    expect(again.exitCode).toBe(2);
    expect(again.stdout).toContain('The stored target "churned" no longer fits: --target: Column "churned" has one class only ("no")');
    expect(again.stderr).toContain('pass --target COLUMN');
    const named = await mlpipeline([...QUIET, '--data-path', join(csvDir, 'churned-one.csv'), '--target', 'churned'], join(cwd, 'c'));
    expect(named.exitCode).toBe(2);
    expect(named.stderr).toContain('Column "churned" has one class only ("no")');
  });

  it('takes answers from a file, flags winning', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'answers.json'), JSON.stringify({ projectName: 'from-file', task: 'regression', model: 'linear' }));
    const result = await mlpipeline(['--answers', 'answers.json', '--model', 'random_forest', '--yes', ...QUIET], cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(stored(join(cwd, 'from-file'))).toMatchObject({ projectName: 'from-file', task: 'regression', dataset: 'diabetes', model: 'random_forest' });
  });

  it('copies the data file unchanged and keeps it out of the record', async () => {
    const cwd = tempDir();
    cpSync(join(csvDir, 'customers.csv'), join(cwd, 'customers.csv'));
    const result = await mlpipeline(['c', '--yes', ...QUIET, ...data('customers.csv', 'churned')], cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'c', 'data/raw/customers.csv'))).toEqual(readFileSync(join(csvDir, 'customers.csv')));
    expect(Object.keys(stored(join(cwd, 'c')).generated.files)).not.toContain('data/raw/customers.csv');
  });
});
