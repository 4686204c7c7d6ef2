/**
 * Add-ons, as the generator writes them (seconds): each one's files only when chosen, at creation or
 * later through `mlpipeline add` and `yo mlpipeline:<add-on>` (the same files, the record updated);
 * twice is a no-op; bad names and runs outside a project get one line. The tools that check the files
 * themselves (hadolint, actionlint, pre-commit) run under `npm run test:addons` (addons-tools.test.ts).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import helpers from 'yeoman-test';
import { ADDON_INFO, ADDONS, type AddonName } from '../lib/catalog.js';
import { PACKAGE_ROOT } from '../lib/paths.js';
import { BIN, checkWellFormed, generate, listFiles, tempDir } from './helpers.js';

const QUIET = ['--skip-install', '--skip-git'];

/** The files each add-on writes, and a line of the README's section about it. */
const OWN_FILES: Partial<Record<AddonName, { files: string[]; readme: string; makeTarget?: string }>> = {
  docker: { files: ['Dockerfile', '.dockerignore'], readme: '## Docker', makeTarget: 'docker-build:' },
  ci: { files: ['.github/workflows/ci.yml'], readme: '## Continuous integration' },
  precommit: { files: ['.pre-commit-config.yaml'], readme: '## Pre-commit hooks', makeTarget: 'precommit:' },
  docs: { files: ['mkdocs.yml', 'src/project/docs_site.py', 'tests/test_docs.py'], readme: '## Documentation site', makeTarget: 'docs:' },
  mlflow: { files: ['src/project/tracking.py', 'tests/test_tracking.py'], readme: '## Experiment tracking with MLflow', makeTarget: 'mlflow-ui:' },
  dvc: { files: ['dvc.yaml', '.dvcignore', '.dvc/config', '.dvc/.gitignore'], readme: '## Pipeline with DVC', makeTarget: 'repro:' },
};

function bin(cwd: string, ...args: string[]) {
  return execa('node', [BIN, ...args], { cwd, stdin: 'ignore', reject: false, env: { NO_COLOR: '1' } });
}

/** A project written by the bin (yeoman-test removes the folders of its earlier runs). */
async function project(name: string, ...flags: string[]): Promise<string> {
  const parent = tempDir('mlp-addon-');
  const result = await bin(parent, name, '--yes', ...QUIET, '--author-name', 'Ada', ...flags);
  if (result.exitCode !== 0) throw new Error(result.stderr);
  return join(parent, name);
}

const ours = (dir: string) => JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-mlpipeline'];

describe('add-ons at creation', () => {
  it('every available add-on has its files, README section and make target checked here', () => {
    expect(Object.keys(OWN_FILES).sort()).toEqual([...ADDONS].sort());
  });

  it('writes no add-on file by default', async () => {
    const dir = await generate({});
    const files = listFiles(dir);
    for (const { files: own } of Object.values(OWN_FILES)) for (const file of own) expect(files).not.toContain(file);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const { readme: section } of Object.values(OWN_FILES)) expect(readme).not.toContain(section);
    expect(ours(dir).addons).toBe('none');
  });

  for (const name of ADDONS) {
    it(`--add ${name} writes its files, and only its own`, async () => {
      const dir = await generate({ addons: name });
      checkWellFormed(dir);
      const files = listFiles(dir);
      for (const [other, own] of Object.entries(OWN_FILES)) {
        for (const file of own.files) expect(files.includes(file), `${file} with --add ${name}`).toBe(other === name);
      }
      const own = OWN_FILES[name]!;
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(own.readme);
      if (own.makeTarget) expect(readFileSync(join(dir, 'Makefile'), 'utf8')).toMatch(new RegExp(`^${own.makeTarget}`, 'm'));
      expect(Object.keys(ours(dir).generated.files)).toEqual(expect.arrayContaining(own.files));
    });
  }

  it('puts pre-commit and nbstripout in the dev extra only with precommit', async () => {
    const dev = (dir: string) => readFileSync(join(dir, 'pyproject.toml'), 'utf8');
    expect(dev(await generate({ addons: 'precommit' }))).toMatch(/"nbstripout>=[\d.]+",\n\s+"pre-commit>=4\.4"/);
    expect(dev(await generate({ addons: 'docker,ci' }))).not.toContain('pre-commit');
  });

  it('installs the lock in the image with the project\'s installer, runtime dependencies only', async () => {
    const uv = readFileSync(join(await generate({ addons: 'docker', installer: 'uv' }), 'Dockerfile'), 'utf8');
    expect(uv).toContain('uv sync --locked --no-dev --no-editable');
    expect(uv).not.toMatch(/--extra|\[dev\]/);
    const pip = readFileSync(join(await generate({ addons: 'docker', installer: 'pip', license: 'none' }), 'Dockerfile'), 'utf8');
    expect(pip).toContain('pip install --no-cache-dir --constraint requirements.lock .');
    expect(pip).not.toContain('LICENSE');
    const poetry = readFileSync(join(await generate({ addons: 'docker', installer: 'poetry' }), 'Dockerfile'), 'utf8');
    // Poetry installs the lock's runtime dependencies (no extra), then pip the package, from outside /app/.venv.
    expect(poetry).toContain('/opt/poetry/bin/poetry sync --no-root --compile');
    expect(poetry).toContain('/opt/poetry/bin/pip --python /app/.venv/bin/python install --no-cache-dir --no-deps .');
    expect(poetry).not.toMatch(/--extras|--all-extras|\[dev\]/);
    const conda = readFileSync(join(await generate({ addons: 'docker', installer: 'conda' }), 'Dockerfile'), 'utf8');
    expect(conda).toContain('RUN /app/.venv/bin/pip install --no-cache-dir .');
    expect(conda).not.toMatch(/conda (env|install)/);
    for (const text of [uv, pip, poetry, conda]) {
      expect(text).toMatch(/^USER 10001:10001$/m);
      expect(text).toMatch(/^HEALTHCHECK .*\n.*\/health/m);
      expect(text).toMatch(/^FROM python:\$\{PYTHON_VERSION\}-slim AS serve$/m);
    }
  });

  it('names an unknown add-on in one line, and writes nothing', async () => {
    const cwd = tempDir('mlp-addon-na-');
    for (const name of ['kubernetes', 'Docker2']) {
      const result = await bin(cwd, 'p', '--yes', ...QUIET, '--add', `docker,${name}`);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^mlpipeline: --add: unknown add-on\\(s\\) ${name.toLowerCase()}: list any of ${ADDONS.join(', ')}`));
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(join(cwd, 'p'))).toBe(false);
    }
  });
});

describe('mlpipeline add', () => {
  it('writes what creation writes, and records it in .yo-rc.json', async () => {
    const made = await project('later', '--add', ADDONS.join(','));
    const later = await project('later');
    const first = await bin(later, 'add', ADDONS[0]!, ...QUIET);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Added ${ADDONS[0]} to later: ${ADDON_INFO[ADDONS[0]!].next}.`);
    const rest = await bin(join(later, 'src'), 'add', ADDONS.slice(1).join(','), ...QUIET);
    expect(rest.exitCode, rest.stderr).toBe(0);
    expect(listFiles(later)).toEqual(listFiles(made));
    for (const file of listFiles(made)) {
      expect(readFileSync(join(later, file), 'utf8'), file).toBe(readFileSync(join(made, file), 'utf8'));
    }
    expect(ours(later).addons).toBe(ADDONS.join(','));
  });

  it('says so and changes nothing when the add-on is there already', async () => {
    const dir = await generate({ addons: 'docker' });
    const before = readFileSync(join(dir, '.yo-rc.json'), 'utf8');
    const mtime = statSync(join(dir, 'Dockerfile')).mtimeMs;
    const again = await bin(dir, 'add', 'docker', ...QUIET);
    expect(again.exitCode).toBe(0);
    expect(again.stdout.trim()).toBe('docker is already in this project (.yo-rc.json lists it): nothing to do for it.');
    expect(readFileSync(join(dir, '.yo-rc.json'), 'utf8')).toBe(before);
    expect(statSync(join(dir, 'Dockerfile')).mtimeMs).toBe(mtime);
  });

  it('refuses an unknown add-on, a missing one, and a run outside a project, in one line each', async () => {
    const dir = await generate({});
    const unknown = await bin(dir, 'add', 'kubernetes');
    expect([unknown.exitCode, unknown.stderr.trim()]).toEqual([
      2,
      `mlpipeline: "kubernetes" is not an add-on: the add-ons are ${ADDONS.join(', ')}.`,
    ]);
    const none = await bin(dir, 'add');
    expect(none.exitCode).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    const outside = tempDir('mlp-outside-');
    const result = await bin(outside, 'add', 'docker');
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toMatch(/^mlpipeline: mlpipeline add: .* is not inside an mlpipeline project .*run it in the project's folder/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(listFiles(outside)).toEqual([]);
  });

  it('merges a file you edited, as any re-run does: your edit kept, the add-on\'s lines added', async () => {
    const dir = await project('edited');
    const makefile = join(dir, 'Makefile');
    writeFileSync(makefile, readFileSync(makefile, 'utf8').replace(/^VENV \?= \.venv$/m, 'VENV ?= .venv  # mine'));
    const result = await bin(dir, 'add', 'docker', ...QUIET);
    expect(result.exitCode, result.stderr).toBe(0);
    const merged = readFileSync(makefile, 'utf8');
    expect(merged).toContain('VENV ?= .venv  # mine');
    expect(merged).toMatch(/^docker-build:/m);
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(true);
  });

  it('updates the lock, keeping its other pins, when the add-on adds a dependency (make lock KEEP=1)', async () => {
    // A stand-in for make that records how it was called: the real lock update runs under test:addons.
    const fake = tempDir('mlp-fake-make-');
    const calls = join(fake, 'calls');
    writeFileSync(join(fake, 'make'), `#!/bin/sh\necho "$*" >> '${calls}'\n`);
    chmodSync(join(fake, 'make'), 0o755);
    const dir = await generate({ installer: 'uv' });
    writeFileSync(join(dir, 'uv.lock'), 'version = 1\n');
    const env = { NO_COLOR: '1', PATH: `${fake}:${process.env.PATH}` };
    const run = (name: string) => execa('node', [BIN, 'add', name, '--skip-git'], { cwd: dir, stdin: 'ignore', reject: false, env });
    expect((await run('docker')).exitCode).toBe(0);
    const added = await run('precommit');
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stdout).toContain('pyproject.toml changed: updating uv.lock for it (every other version kept where it still fits) and installing: make lock KEEP=1');
    expect(readFileSync(calls, 'utf8')).toBe('install\nlock KEEP=1\n');
  });
});

describe('yo mlpipeline:<add-on>', () => {
  it('has a sub-generator per add-on that adds it to the project around the current folder', async () => {
    const dir = await project('p');
    const generator = (name: string) => join(PACKAGE_ROOT, 'dist', 'generators', name, 'index.js');
    await helpers.run(generator('ci'), { namespace: 'mlpipeline:ci' }).cd(dir).withArguments(QUIET);
    expect(existsSync(join(dir, '.github/workflows/ci.yml'))).toBe(true);
    expect(ours(dir).addons).toBe('ci');
    expect(ours(dir).generated.files['.github/workflows/ci.yml']).toMatch(/^[0-9a-f]{64}$/);
    const outside = tempDir('mlp-yo-outside-');
    mkdirSync(join(outside, 'x'));
    await expect(helpers.run(generator('docker'), { namespace: 'mlpipeline:docker' }).cd(join(outside, 'x')).withArguments(QUIET)).rejects.toThrow(
      /^yo mlpipeline:docker: .* is not inside an mlpipeline project/,
    );
  });
});
