import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalArgs, helpText, parseArgs, unknownFlags } from '../../lib/cli.js';
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
  it('finds unknown flags for the yo path, taking the token after a valued flag as its value', () => {
    expect(unknownFlags(['dir', '--task', 'x', '--colour=red', '-y'])).toEqual(['colour']);
    expect(unknownFlags(['--description', '-5 C', '--yes'])).toEqual([]);
  });
  it('rewrites arguments as --flag=value, last value winning', () => {
    expect(canonicalArgs(parseArgs(['d', '--description', '-5 C', '--task', 'a', '--task', 'b', '-y']))).toEqual([
      'd',
      '--description=-5 C',
      '--task=b',
      '--yes',
    ]);
  });
});

describe('--help', () => {
  const help = helpText();
  it.each(QUESTIONS.map((q) => [q.flag, q] as const))('lists --%s with its choices and default', (_flag, q) => {
    const line = help.split('\n').find((l) => l.trimStart().startsWith(`--${q.flag} `));
    expect(line).toBeDefined();
    for (const choice of q.allChoices ?? []) expect(line).toContain(choice);
    expect(line).toContain(`Default: ${q.defaultHelp}.`);
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
