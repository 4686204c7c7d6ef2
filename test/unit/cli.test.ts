import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText, parseArgs, runOptions, wrap } from '../../lib/cli.js';
import { optionsMarkdown } from '../../lib/docs.js';
import { PACKAGE_ROOT } from '../../lib/paths.js';
import { QUESTIONS, RUN_OPTIONS } from '../../lib/questions.js';

describe('parseArgs', () => {
  it('reads a directory, valued flags in both spellings and booleans', () => {
    expect(parseArgs(['proj', '--task', 'regression', '--model=linear', '-y', '--skip-git'])).toEqual({
      positionals: ['proj'],
      flags: { task: 'regression', model: 'linear', yes: true, 'skip-git': true },
    });
  });
  it('suggests the closest flag for a typo', () => {
    expect(() => parseArgs(['--tsak', 'regression'])).toThrow('Unknown option --tsak. Did you mean --task?');
  });
  it('needs a value for a valued flag', () => {
    expect(() => parseArgs(['--task'])).toThrow('--task needs a value, e.g. --task classification.');
    expect(() => parseArgs(['--data-path', '--yes'])).toThrow(/--data-path needs a value/);
  });
  it('takes one directory at most', () => {
    expect(() => parseArgs(['a', 'b'])).toThrow(/at most one directory/);
  });
  it('accepts the flags Yeoman declares itself, and a repeated flag takes the last value', () => {
    expect(parseArgs(['--skip-cache', '--force-install', '--task', 'a', '--task', 'b']).flags).toEqual({
      'skip-cache': true,
      'force-install': true,
      task: 'b',
    });
  });
  it('reads -yf as -y -f, and true/false after a boolean flag', () => {
    expect(parseArgs(['-yf']).flags).toEqual({ yes: true, force: true });
    expect(parseArgs(['--skip-install=false', '--yes=true', '--no-skip-git=yes']).flags).toEqual({
      'skip-install': false,
      yes: true,
      'skip-git': false,
    });
    expect(() => parseArgs(['--yes=maybe'])).toThrow('--yes takes no value, or true/false (got "maybe").');
  });
  it('turns flags into run options and given answers', () => {
    const options = runOptions(parseArgs(['d', '--description', '-5 C', '--ask-answered', '-f', '--data-path=x.csv']));
    expect(options).toMatchObject({
      directory: 'd',
      force: true,
      askAnswered: true,
      yes: false,
      given: { description: '-5 C', dataPath: 'x.csv' },
    });
  });
});

describe('--help', () => {
  const help = helpText('mlpipeline', 80);
  /** A flag's entry: its line and the indented lines that continue it. */
  const entry = (flag: string): string => {
    const lines = help.split('\n');
    const start = lines.findIndex((l) => l.trimStart().startsWith(`--${flag} `) || l.trim() === `--${flag}`);
    const rest = lines.slice(start + 1);
    const end = rest.findIndex((l) => !/^ {6,}\S/.test(l));
    return [lines[start], ...rest.slice(0, end)].join(' ').replace(/\s+/g, ' ');
  };
  it.each(QUESTIONS.map((q) => [q.flag, q] as const))('lists --%s with its choices and default', (flag, q) => {
    const text = entry(flag);
    for (const choice of q.allChoices ?? []) expect(text).toContain(choice);
    expect(text).toContain(`Default: ${q.defaultHelp}.`);
  });
  it.each([60, 80, 100])('fits a %i-column terminal', (width) => {
    for (const line of helpText('mlpipeline', width).split('\n')) expect(line.length).toBeLessThanOrEqual(width);
  });
  it('documents the directory argument and hides the Yeoman flags that do nothing here', () => {
    expect(help).toContain('[directory]');
    expect(help).toMatch(/in an empty folder, that folder/);
    expect(help).not.toContain('--skip-cache');
    expect(help).not.toContain('--force-install');
    expect(help).toContain('--ask-answered');
  });
  it('wraps words, keeping a long word whole', () => {
    expect(wrap('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrap('abcdefgh ij', 4)).toEqual(['abcdefgh', 'ij']);
  });
  it.each(RUN_OPTIONS.map((o) => o.flag))('lists --%s', (flag) => {
    expect(help).toContain(`--${flag}`);
  });
});

describe('docs/options.md', () => {
  it('is what the question table says (run `npm run build && npm run docs:options` after changing it)', () => {
    expect(readFileSync(join(PACKAGE_ROOT, 'docs', 'options.md'), 'utf8')).toBe(optionsMarkdown());
  });
  it('has one row per question and per run option', () => {
    const doc = optionsMarkdown();
    for (const q of QUESTIONS) expect(doc).toContain(`| \`--${q.flag}\` | \`${q.name}\` |`);
    for (const o of RUN_OPTIONS) expect(doc).toContain(`\`--${o.flag}\``);
  });
});
