/**
 * Custom features, as the generator writes them (seconds): `--features` at creation, and later
 * `mlpipeline feature NAME` and `yo mlpipeline:feature NAME` (the same files, the record updated,
 * config.yaml edits merged); twice is a no-op; bad names and runs outside a project get one line.
 * The generated classes and tests run under `make lint test` in the end-to-end tests.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import helpers from 'yeoman-test';
import { parse as parseYaml } from 'yaml';
import { PACKAGE_ROOT } from '../lib/paths.js';
import { BIN, checkWellFormed, generate, listFiles, tempDir } from './helpers.js';

const QUIET = ['--skip-install', '--skip-git'];
const OWN = ['src/project/transformers/log_income.py', 'tests/test_feature_log_income.py'];

function bin(cwd: string, ...args: string[]) {
  return execa('node', [BIN, ...args], { cwd, stdin: 'ignore', reject: false, env: { NO_COLOR: '1' } });
}

const ours = (dir: string) => JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-mlpipeline'];
const config = (dir: string) => parseYaml(readFileSync(join(dir, 'config/config.yaml'), 'utf8')) as { features: { custom: unknown } };

/** Every file's content and mtime: equal snapshots mean nothing was touched. */
function snapshotTree(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((file) => [file, `${statSync(join(dir, file)).mtimeMs}:${readFileSync(join(dir, file), 'utf8')}`]));
}

describe('--features at creation', () => {
  it('writes the empty registry and features.custom: {} by default', async () => {
    const dir = await generate({});
    expect(listFiles(dir).filter((file) => file.includes('transformers/') || file.includes('test_feature_'))).toEqual([
      'src/project/transformers/__init__.py',
    ]);
    expect(config(dir).features.custom).toEqual({});
    expect(ours(dir).features).toBe('none');
  });

  it('writes each feature\'s class, test, registry row and config block (snapshot)', async () => {
    const dir = await generate({ features: 'log_income,ratio2', exports: 'skops,onnx' });
    checkWellFormed(dir);
    const files = listFiles(dir).filter((file) => file.includes('transformers/') || file.includes('test_feature_'));
    expect(files).toEqual([
      'src/project/transformers/__init__.py',
      'src/project/transformers/log_income.py',
      'src/project/transformers/ratio2.py',
      'tests/test_feature_log_income.py',
      'tests/test_feature_ratio2.py',
    ]);
    for (const file of ['src/project/transformers/__init__.py', ...OWN]) {
      expect(readFileSync(join(dir, file), 'utf8')).toMatchSnapshot(file);
    }
    expect(readFileSync(join(dir, 'src/project/transformers/ratio2.py'), 'utf8')).toContain('class Ratio2(TransformerMixin, BaseEstimator):');
    expect(config(dir).features.custom).toEqual({ log_income: { columns: [], params: {} }, ratio2: { columns: [], params: {} } });
    expect(ours(dir).features).toBe('log_income,ratio2');
    expect(Object.keys(ours(dir).generated.files)).toEqual(expect.arrayContaining(OWN));
  });

  it('refuses a bad name in one line, writing nothing', async () => {
    const cwd = tempDir();
    const result = await bin(cwd, 'p', '--yes', ...QUIET, '--features', 'log_income,Bad');
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('--features: "Bad" is not a valid feature name');
    expect(listFiles(cwd)).toEqual([]);
  });
});

describe('mlpipeline feature', () => {
  it('adds the feature to a generated project as creation would, merging an edited config', async () => {
    const parent = tempDir('mlp-feature-');
    expect((await bin(parent, 'p', '--yes', ...QUIET, '--author-name', 'Ada')).exitCode).toBe(0);
    const dir = join(parent, 'p');
    const configPath = join(dir, 'config/config.yaml');
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('  drop: []', '  drop: ["sepal width (cm)"]'));
    const result = await bin(dir, 'feature', 'log_income', ...QUIET);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Added the feature log_income to p: the transformer LogIncome in src/p/transformers/log_income.py');
    expect(result.stdout).toContain('Merged the new version into your edits: config/config.yaml.');
    const merged = config(dir) as { features: { custom: unknown; drop: string[] } };
    expect(merged.features.drop).toEqual(['sepal width (cm)']);
    expect(merged.features.custom).toEqual({ log_income: { columns: [], params: {} } });
    expect(ours(dir).features).toBe('log_income');
    expect(readFileSync(join(dir, 'src/p/transformers/__init__.py'), 'utf8')).toContain('"log_income": LogIncome,');

    // The user registers columns; a second feature merges around that edit.
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('      columns: []', '      columns: ["petal length (cm)"]'));
    const second = await bin(dir, 'feature', 'ratio', ...QUIET);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(config(dir).features.custom).toEqual({
      log_income: { columns: ['petal length (cm)'], params: {} },
      ratio: { columns: [], params: {} },
    });

    // Already there: says so, changes nothing, exit 0.
    const before = snapshotTree(dir);
    const again = await bin(dir, 'feature', 'log_income', ...QUIET);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe(
      'log_income is already in this project (.yo-rc.json lists it; src/p/transformers/log_income.py): nothing to do for it.',
    );
    expect(snapshotTree(dir)).toEqual(before);

    // A bad name, a keyword, a module of the project: one line, exit 2, nothing changed.
    for (const [name, words] of [
      ['Log-Income', '"Log-Income" is not a valid feature name'],
      ['lambda', '"lambda" is a Python keyword'],
      ['features', '"features" is the name of a module of this project'],
      ['p', '"p" is the name of a module of this project'],
    ]) {
      const bad = await bin(dir, 'feature', name!, ...QUIET);
      expect(bad.exitCode, name).toBe(2);
      expect(bad.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(bad.stderr).toContain(`mlpipeline: mlpipeline feature: ${words}`);
    }
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('refuses outside a project, and without a name, in one line', async () => {
    const outside = tempDir('mlp-feature-outside-');
    const result = await bin(outside, 'feature', 'log_income');
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^mlpipeline: mlpipeline feature: .* is not inside an mlpipeline project/);
    const none = await bin(outside, 'feature');
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('mlpipeline feature needs the name of the feature to add');
    expect(listFiles(outside)).toEqual([]);
  });

  it('takes no answers, and has its own --help', async () => {
    const cwd = tempDir();
    const answer = await bin(cwd, 'feature', 'log_income', '--model', 'linear');
    expect(answer.exitCode).toBe(2);
    expect(answer.stderr).toContain('mlpipeline feature keeps the stored answers, so it takes no --model');
    const help = await bin(cwd, 'feature', '--help');
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: mlpipeline feature <name>\.\.\. \[options\]/);
    const main = await bin(cwd, '--help');
    expect(main.stdout).toContain('mlpipeline feature <name>... [options]');
    expect(main.stdout).toContain('--features LIST');
  });
});

describe('yo mlpipeline:feature', () => {
  it('adds the feature to the project around the current folder, and refuses outside one', async () => {
    const parent = tempDir('mlp-yo-feature-');
    expect((await bin(parent, 'p', '--yes', ...QUIET, '--author-name', 'Ada')).exitCode).toBe(0);
    const dir = join(parent, 'p');
    const generator = join(PACKAGE_ROOT, 'dist', 'generators', 'feature', 'index.js');
    await helpers.run(generator, { namespace: 'mlpipeline:feature' }).cd(dir).withArguments(['log_income', ...QUIET]);
    expect(ours(dir).features).toBe('log_income');
    expect(ours(dir).generated.files['src/p/transformers/log_income.py']).toMatch(/^[0-9a-f]{64}$/);
    await expect(helpers.run(generator, { namespace: 'mlpipeline:feature' }).cd(tempDir()).withArguments(['log_income', ...QUIET])).rejects.toThrow(
      /^yo mlpipeline:feature: .* is not inside an mlpipeline project/,
    );
  });
});
