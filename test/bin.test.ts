/**
 * The real CLI, spawned as users spawn it: stdin closed (as in CI and scripts), exit codes, refusals
 * that leave the disk as it was, and re-runs that change nothing.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, listFiles, tempDir } from './helpers.js';

const AUTHOR = ['--author-name', 'Ada Lovelace', '--author-email', 'ada@example.com'];

function mlpipeline(args: string[], cwd: string) {
  return execa('node', [BIN, ...args], { cwd, stdin: 'ignore', reject: false, env: { NO_COLOR: '1' } });
}

function snapshotTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((file) => {
      const path = join(dir, file);
      return [file, `${statSync(path).mtimeMs}:${readFileSync(path, 'utf8')}`];
    }),
  );
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
    ['end of input (Ctrl-D)', '\x04', 1],
    ['an interrupt (Ctrl-C)', '\x03', 130],
  ])('at a prompt, %s fails with a message and writes nothing', async (_what, key, code) => {
    const cwd = tempDir();
    const result = await execa('python3', ['-c', PTY_DRIVER, 'node', BIN, '--skip-install', '--skip-git'], {
      cwd,
      reject: false,
      env: { KEY: key, NO_COLOR: '1' },
    });
    expect(result.stdout).toContain('Project name');
    expect(result.exitCode).toBe(code);
    expect(result.stdout).toContain('input ended before every question was answered');
    expect(listFiles(cwd)).toEqual([]);
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

  it.each([
    [['--yes', '--model', 'xgboost'], '--model must be one of random_forest, hist_gradient_boosting, linear (got "xgboost")'],
    [['--yes', '--tsak', 'regression'], 'Unknown option --tsak. Did you mean --task?'],
    [['--yes', '--project-name', 'Bad Name'], 'is not a valid project name'],
    [['--yes', '--dataset', 'csv', '--data-path', 'missing.csv', '--target', 'y'], 'Data file "'],
    [['--yes', '--answers', 'nope.json'], 'nope.json: cannot read a JSON object (file not found)'],
    [['--yes', '--data-path', 'x.csv'], '--data-path applies only with --dataset csv.'],
    [['--yes', '--project-name', 'pandas'], 'is the name of a package the project depends on'],
  ])('rejects %j with exit 2', async (args, message) => {
    const cwd = tempDir();
    const result = await mlpipeline([...args, '--skip-install', '--skip-git'], cwd);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('An error occured');
    expect(listFiles(cwd)).toEqual([]);
  });

  it('refuses a non-empty folder that is not a project, and leaves it untouched', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'work'));
    writeFileSync(join(cwd, 'work', 'README.md'), 'mine\n');
    const result = await mlpipeline(['work', '--yes', '--skip-install', '--skip-git'], cwd);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('is not empty and is not an mlpipeline project');
    expect(listFiles(join(cwd, 'work'))).toEqual(['README.md']);
    const forced = await mlpipeline(['work', '--yes', '--skip-install', '--skip-git', '--force'], cwd);
    expect(forced.exitCode).toBe(0);
    expect(listFiles(join(cwd, 'work'))).toContain('.yo-rc.json');
  });

  it('generates with defaults, commits to git, and a re-run inside the project changes nothing', async () => {
    const cwd = tempDir();
    const first = await mlpipeline(['--yes', '--skip-install', ...AUTHOR], cwd);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(`${first.stdout}${first.stderr}`).toContain('Next steps');
    const project = join(cwd, 'my-project');
    const log = await execa('git', ['log', '--oneline'], { cwd: project });
    expect(log.stdout).toMatch(/Initial commit from generator-mlpipeline/);
    const status = await execa('git', ['status', '--porcelain'], { cwd: project });
    expect(status.stdout).toBe('');

    const before = snapshotTree(project);
    // No flags at all: every answer comes from .yo-rc.json, so nothing is asked and nothing changes.
    const again = await mlpipeline(['--skip-install'], project);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(snapshotTree(project)).toEqual(before);
  });

  it('never overwrites an edited file without --force', async () => {
    const cwd = tempDir();
    expect((await mlpipeline(['p', '--yes', '--skip-install', '--skip-git', ...AUTHOR], cwd)).exitCode).toBe(0);
    const config = join(cwd, 'p', 'config', 'config.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}# my edit\n`);
    const edited = readFileSync(config, 'utf8');

    const yoRc = readFileSync(join(cwd, 'p', '.yo-rc.json'), 'utf8');
    const rerun = await mlpipeline(['--skip-install', '--model', 'linear'], join(cwd, 'p'));
    expect(rerun.exitCode).not.toBe(0);
    expect(rerun.stderr).toContain('config/config.yaml');
    expect(readFileSync(config, 'utf8')).toBe(edited);
    // --bail stops at the first change; the answers stay those of the files on disk.
    const bailed = await mlpipeline(['--skip-install', '--model', 'linear', '--bail'], join(cwd, 'p'));
    expect(bailed.exitCode).not.toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(edited);
    expect(readFileSync(join(cwd, 'p', '.yo-rc.json'), 'utf8')).toBe(yoRc);

    const forced = await mlpipeline(['--skip-install', '--model', 'linear', '--force'], join(cwd, 'p'));
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(readFileSync(config, 'utf8')).not.toContain('# my edit');
  });

  it('regenerates the enclosing project when run in a subfolder of it', async () => {
    const cwd = tempDir();
    expect((await mlpipeline(['p', '--yes', '--skip-install', '--skip-git', ...AUTHOR], cwd)).exitCode).toBe(0);
    const before = snapshotTree(join(cwd, 'p'));
    const again = await mlpipeline(['--skip-install', '--skip-git'], join(cwd, 'p', 'src'));
    expect(again.exitCode, again.stderr).toBe(0);
    expect(snapshotTree(join(cwd, 'p'))).toEqual(before);
  });

  it('takes answers from a file, flags winning', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'answers.json'), JSON.stringify({ projectName: 'from-file', task: 'regression', model: 'linear' }));
    const result = await mlpipeline(['--answers', 'answers.json', '--model', 'random_forest', '--yes', '--skip-install', '--skip-git'], cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    const stored = JSON.parse(readFileSync(join(cwd, 'from-file', '.yo-rc.json'), 'utf8'))['generator-mlpipeline'];
    expect(stored).toMatchObject({ projectName: 'from-file', task: 'regression', dataset: 'diabetes', model: 'random_forest' });
  });
});
