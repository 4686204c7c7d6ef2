import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateContext } from '../../lib/context.js';
import { allTemplates, outputPath, planFiles } from '../../lib/files.js';
import { TEMPLATES_DIR } from '../../lib/paths.js';
import type { Answers } from '../../lib/questions.js';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [relative(TEMPLATES_DIR, join(dir, entry.name))],
  );
}

const base: Answers = {
  projectName: 'p',
  task: 'classification',
  dataset: 'iris',
  model: 'random_forest',
  addons: 'none',
  extraModels: 'none',
  exports: 'none',
  description: 'd',
  moduleName: 'churn',
  authorName: 'Ada Lovelace',
  authorEmail: '',
  license: 'MIT',
  pythonVersion: '3.11',
  installer: 'pip',
  features: 'none',
};

describe('file manifest', () => {
  it('names every template, and only templates that exist', () => {
    expect([...allTemplates()].sort()).toEqual(walk(TEMPLATES_DIR).sort());
  });
  it('derives output paths', () => {
    const ctx = { moduleName: 'churn', initials: 'al' };
    expect(outputPath('src/_module_/train.py', ctx)).toBe('src/churn/train.py');
    expect(outputPath('dot_gitignore', ctx)).toBe('.gitignore');
    expect(outputPath('data/raw/dot_gitkeep', ctx)).toBe('data/raw/.gitkeep');
    expect(outputPath('notebooks/1.0-_initials_-x.ipynb.ejs', ctx)).toBe('notebooks/1.0-al-x.ipynb');
  });
  it('writes one LICENSE for a license, none for none', () => {
    const licenses = (license: Answers['license']) =>
      planFiles(templateContext({ ...base, license })).filter((f) => f.to === 'LICENSE');
    expect(licenses('MIT')).toHaveLength(1);
    expect(licenses('Apache-2.0')[0]?.kind).toBe('copy');
    expect(licenses('none')).toHaveLength(0);
  });
  it('copies the user data file into data/raw unchanged', () => {
    const files = planFiles(templateContext({ ...base, dataset: 'csv', dataPath: '/home/u/sales.csv', target: 'y' }));
    expect(files.at(-1)).toEqual({ from: '/home/u/sales.csv', to: 'data/raw/sales.csv', kind: 'user-file' });
  });
});
