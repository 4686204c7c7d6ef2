import { describe, expect, it } from 'vitest';
import { initialsOf, moduleNameFor, validateEmail, validateModuleName, validateProjectName } from '../../lib/names.js';

describe('project names', () => {
  it.each(['my-project', 'churn', 'house-prices-2024', 'a', 'x1', 'data.pipeline', 'snake_case'])('accepts %s', (name) => {
    expect(validateProjectName(name)).toBe(true);
  });
  it.each([
    ['', /required/],
    ['My-Project', /lowercase/],
    ['-lead', /starting and ending/],
    ['trail-', /starting and ending/],
    ['has space', /not a valid project name/],
    ['a/b', /not a valid project name/],
    ['../up', /not a valid project name/],
    ['pandas', /a package the project installs/],
    ['scikit-learn', /a package the project installs/],
    ['scikit.learn', /a package the project installs/],
    ['fastapi', /a package the project installs/],
    ['rich', /a package the project installs/],
    ['x'.repeat(65), /too long \(65 characters; 64 at most\)/],
  ])('rejects %j', (name, message) => {
    expect(validateProjectName(name)).toMatch(message);
  });
});

describe('module names', () => {
  it.each([
    ['my-project', 'my_project'],
    ['churn', 'churn'],
    ['data.pipeline', 'data_pipeline'],
    ['2024-sales', 'ml_2024_sales'],
    ['test', 'test_pipeline'],
    ['json', 'json_pipeline'],
    ['sklearn', 'sklearn_pipeline'],
    ['class', 'class_pipeline'],
    ['rich', 'rich_pipeline'],
    ['9'.repeat(64), `ml_${'9'.repeat(61)}`],
  ])('derives %s -> %s', (project, module) => {
    expect(moduleNameFor(project)).toBe(module);
    expect(validateModuleName(module)).toBe(true);
  });
  it.each(['churn_model', 'mlp', '_private', 'x2'])('accepts %s', (name) => {
    expect(validateModuleName(name)).toBe(true);
  });
  it.each([
    ['', /required/],
    ['Churn', /lowercase/],
    ['2fast', /not starting with a digit/],
    ['my-module', /not a valid Python module name/],
    ['class', /keyword/],
    ['import', /keyword/],
    ['json', /standard library/],
    ['logging', /standard library/],
    ['test', /common package/],
    ['sklearn', /import name of a package the project installs/],
    ['pandas', /import name of a package the project installs/],
    ['rich', /import name of a package the project installs/],
    ['typing_extensions', /import name of a package the project installs/],
    ['dateutil', /import name of a package the project installs/],
    ['tests', /common package/],
    ['m'.repeat(300), /too long \(300 characters; 64 at most\)/],
  ])('rejects %j', (name, message) => {
    expect(validateModuleName(name)).toMatch(message);
  });
});

describe('other answers', () => {
  it('checks e-mail addresses, allowing none', () => {
    expect(validateEmail('')).toBe(true);
    expect(validateEmail('ada@example.com')).toBe(true);
    expect(validateEmail('ada')).toMatch(/not an e-mail/);
  });
  it.each([
    ['Ada Lovelace', 'al'],
    ['Jean-Luc Picard', 'jlp'],
    ['Émile Zola', 'ez'],
    ['', 'xx'],
    ['42', 'xx'],
  ])('initials of %j are %s', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });
});
