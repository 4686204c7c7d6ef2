/**
 * git for a new project: its own repository and a first commit. A project inside another repository
 * (a monorepo) is left to that repository; a re-run never commits (the user decides what to commit).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

function git(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string; missing: boolean } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', missing };
}

/** `git config --get key`, or '' when unset or git is missing. */
export function gitConfig(key: string, cwd = process.cwd()): string {
  const result = git(['config', '--get', key], cwd);
  return result.status === 0 ? result.stdout.trim() : '';
}

export interface Identity {
  name: string;
  email: string;
}

/**
 * Creates the project's repository and first commit when the project is not inside another one, or is
 * the root of a repository without commits (`git init` run by the user first). Returns what it did, in
 * words, for the run's summary.
 */
export function initialCommit(dir: string, author: Identity): string {
  const top = git(['rev-parse', '--show-toplevel'], dir);
  if (top.missing) return 'git is not installed: no repository was created.';
  const inside = top.status === 0;
  if (inside && resolve(top.stdout.trim()) !== resolve(dir)) {
    return `Inside the git repository ${top.stdout.trim()}: no repository of its own was created; commit the project there.`;
  }
  if (inside && git(['rev-parse', '--verify', '--quiet', 'HEAD'], dir).status === 0) return '';
  const identity: string[] = [];
  if (!gitConfig('user.name', dir)) identity.push('-c', `user.name=${author.name}`);
  if (!gitConfig('user.email', dir)) identity.push('-c', `user.email=${author.email || 'author@example.com'}`);
  const steps = [
    ...(inside ? [] : [['init', '--quiet', '--initial-branch=main']]),
    ['add', '--all'],
    [...identity, 'commit', '--quiet', '--no-verify', '-m', 'Initial commit from generator-mlpipeline'],
  ];
  for (const args of steps) {
    const result = git(args, dir);
    if (result.status !== 0) {
      const shown = args.filter((a) => a !== '-c' && !a.startsWith('user.')).join(' ');
      return `git ${shown} failed: ${result.stderr.trim()}`;
    }
  }
  return 'Created a git repository with a first commit.';
}
