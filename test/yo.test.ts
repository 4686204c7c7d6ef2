/**
 * `yo mlpipeline` as a user gets it: `npm pack` (so what npm would publish is what is tested: templates
 * present, dotfiles kept), installed globally with yo into a private prefix, run as an ordinary user
 * (yo running as root cannot write .yo-rc.json). As root, the test runs the commands as the user
 * `mlpipeline-test`, creating it if needed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../lib/paths.js';
import { ensureTestUser, IS_ROOT, listFiles, tempDir, TEST_USER } from './helpers.js';

const USER = TEST_USER;
const isRoot = IS_ROOT;
const work = tempDir('mlp-yo-');
const home = join(work, 'home');
const prefix = join(work, 'prefix');
let tarball = '';
let createTarball = '';

function asUser(command: string, args: string[], cwd: string) {
  const env = {
    PATH: `${prefix}/bin:${process.env.PATH}`,
    HOME: home,
    npm_config_cache: process.env.npm_config_cache ? join(work, 'npm-cache') : join(home, '.npm'),
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
  };
  if (!isRoot) return execa(command, args, { cwd, env, extendEnv: true, reject: false, stdin: 'ignore', all: true });
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return execa('runuser', ['-u', USER, '--', 'env', ...envArgs, command, ...args], {
    cwd,
    reject: false,
    stdin: 'ignore',
    all: true,
  });
}

beforeAll(() => {
  const ids = isRoot ? ensureTestUser() : undefined;
  mkdirSync(home, { recursive: true });
  mkdirSync(prefix, { recursive: true });
  // The package as built (npm run test:pack builds first): npm pack's own build (prepare) would rewrite
  // dist/ under the option matrix that test:all runs beside this test.
  const pack = (dir: string) =>
    join(work, execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!);
  tarball = pack(PACKAGE_ROOT);
  createTarball = pack(join(PACKAGE_ROOT, 'packages', 'create-mlpipeline'));
  if (ids) {
    for (const dir of [work, home, prefix]) chownSync(dir, ids.uid, ids.gid);
    chmodSync(tarball, 0o644);
    chmodSync(createTarball, 0o644);
  }
}, 120_000);

describe('yo mlpipeline from the packed tarball', () => {
  it('packs the templates, dotfiles included', async () => {
    const list = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    expect(list).toContain('package/templates/project/dot_gitignore.ejs');
    expect(list).toContain('package/templates/project/src/_module_/train.py');
    expect(list).toContain('package/dist/generators/app/index.js');
    expect(list).toContain('package/dist/generators/docker/index.js');
    expect(list).toContain('package/dist/bin/mlpipeline.js');
    expect(list).not.toContain('package/test/');
  });

  it(
    'is discovered by yo and generates as an ordinary user',
    async () => {
      const install = await asUser('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', 'yo@^7.0.1', tarball], work);
      expect(install.exitCode, install.all).toBe(0);
      const projects = join(work, 'projects');
      mkdirSync(projects);
      if (isRoot) execFileSync('chown', [USER, projects]);

      const run = await asUser('yo', ['mlpipeline', 'demo', '--yes', '--skip-install', '--skip-git', '--no-insight'], projects);
      expect(run.exitCode, run.all).toBe(0);
      const files = listFiles(join(projects, 'demo'));
      expect(files).toContain('.gitignore');
      expect(files).toContain('.yo-rc.json');
      expect(files).toContain('src/demo/train.py');
      const stored = JSON.parse(readFileSync(join(projects, 'demo', '.yo-rc.json'), 'utf8'));
      expect(stored['generator-mlpipeline']).toMatchObject({ projectName: 'demo', task: 'classification' });

      // An add-on's sub-generator, inside the project (yo's own flags left out of our parser).
      const addon = await asUser('yo', ['mlpipeline:docker', '--skip-install', '--skip-git', '--no-insight'], join(projects, 'demo'));
      expect(addon.exitCode, addon.all).toBe(0);
      expect(addon.all).toContain('Added docker to demo');
      expect(existsSync(join(projects, 'demo', 'Dockerfile'))).toBe(true);

      // The packaged bin too (what `npx mlpipeline` runs).
      const bin = await asUser('mlpipeline', ['bin-demo', '--yes', '--skip-install', '--skip-git'], projects);
      expect(bin.exitCode, bin.all).toBe(0);
      expect(existsSync(join(projects, 'bin-demo', '.gitignore'))).toBe(true);
    },
    10 * 60_000,
  );

  it(
    'runs as `npm init mlpipeline` through the create-mlpipeline package',
    async () => {
      const folder = join(work, 'init');
      mkdirSync(folder);
      if (isRoot) execFileSync('chown', [USER, folder]);
      // Both tarballs in one install stand in for the registry: create-mlpipeline depends on the generator.
      const install = await asUser('npm', ['install', '--no-audit', '--no-fund', tarball, createTarball], folder);
      expect(install.exitCode, install.all).toBe(0);
      const init = await asUser('npm', ['init', 'mlpipeline', '--', 'init-demo', '--yes', '--skip-install', '--skip-git'], folder);
      expect(init.exitCode, init.all).toBe(0);
      expect(listFiles(join(folder, 'init-demo'))).toContain('src/init_demo/train.py');
    },
    10 * 60_000,
  );
});
