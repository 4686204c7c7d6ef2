/**
 * Command-line surface derived from the question table: flag parsing for early, precise errors, and the
 * --help text. Yeoman parses the same flags again inside the generator (so `yo mlpipeline` behaves the
 * same); this module only decides what is known, what is missing a value, and what to suggest.
 */
import { UsageError } from './errors.js';
import { QUESTIONS, RUN_OPTIONS } from './questions.js';

/** Options Yeoman's base generator declares itself; accepted so that `yo` users can pass them. */
const YEOMAN_OPTIONS = ['skip-cache', 'force-install', 'ask-answered'];
const BIN_OPTIONS = ['version'];

interface FlagSpec {
  flag: string;
  takesValue: boolean;
}

function flagSpecs(): Map<string, FlagSpec> {
  const specs = new Map<string, FlagSpec>();
  for (const q of QUESTIONS) specs.set(q.flag, { flag: q.flag, takesValue: true });
  for (const o of RUN_OPTIONS) {
    specs.set(o.flag, { flag: o.flag, takesValue: o.kind === 'string' });
    if (o.alias) specs.set(o.alias, { flag: o.flag, takesValue: o.kind === 'string' });
  }
  for (const flag of [...YEOMAN_OPTIONS, ...BIN_OPTIONS]) specs.set(flag, { flag, takesValue: false });
  return specs;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

/** Parses `[directory] [--flag value | --flag=value | --bool | -y]`; unknown flags are usage errors. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const specs = flagSpecs();
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    const body = token.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = specs.get(name) ?? (name.startsWith('no-') ? specs.get(name.slice(3)) : undefined);
    if (!spec) throw new UsageError(unknownFlagMessage(name));
    if (spec.takesValue) {
      const value = eq >= 0 ? body.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) {
        throw new UsageError(`--${spec.flag} needs a value, e.g. --${spec.flag} ${exampleValue(spec.flag)}.`);
      }
      flags[spec.flag] = value;
    } else {
      flags[spec.flag] = !name.startsWith('no-');
    }
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `Expected at most one directory, got ${positionals.length}: ${positionals.join(' ')}. ` +
        'Quote a path that contains spaces.',
    );
  }
  return { positionals, flags };
}

/**
 * Flags in `argv` that no question or option knows; for the Yeoman (`yo`) path, which ignores them.
 * The token after a valued flag is its value, even when it starts with "-".
 */
export function unknownFlags(argv: readonly string[]): string[] {
  const specs = flagSpecs();
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    if (!token.startsWith('-') || token === '-') continue;
    const [name, value] = token.replace(/^--?/, '').split(/=(.*)/s) as [string, string | undefined];
    const spec = specs.get(name) ?? (name.startsWith('no-') ? specs.get(name.slice(3)) : undefined);
    if (!spec) unknown.push(name);
    else if (spec.takesValue && value === undefined) i++;
  }
  return unknown;
}

/**
 * The same arguments in the one form every parser reads alike: `--flag=value`. (Yeoman's parser,
 * minimist, would take a value such as "-5 C" after `--description` for a flag of its own.)
 */
export function canonicalArgs({ positionals, flags }: ParsedArgs): string[] {
  return [
    ...positionals,
    ...Object.entries(flags).map(([flag, value]) =>
      typeof value === 'string' ? `--${flag}=${value}` : value ? `--${flag}` : `--no-${flag}`,
    ),
  ];
}

export function unknownFlagMessage(name: string): string {
  const known = [...flagSpecs().keys()].filter((flag) => flag.length > 1);
  const closest = known
    .map((flag) => ({ flag, distance: editDistance(name, flag) }))
    .sort((a, b) => a.distance - b.distance)[0];
  const hint = closest && closest.distance <= 3 ? ` Did you mean --${closest.flag}?` : '';
  return `Unknown option --${name}.${hint} Run mlpipeline --help for the list.`;
}

function exampleValue(flag: string): string {
  const question = QUESTIONS.find((q) => q.flag === flag);
  return question?.allChoices?.[0] ?? question?.valueName ?? 'VALUE';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** One line per question for --help: flag, value, help, choices, default. */
export function helpText(command = 'mlpipeline'): string {
  const rows: Array<[string, string]> = [];
  for (const q of QUESTIONS) {
    const value = q.allChoices ? `<${q.allChoices.join('|')}>` : (q.valueName ?? 'VALUE');
    rows.push([`--${q.flag} ${value}`, `${q.help} Default: ${q.defaultHelp}.`]);
  }
  const runRows: Array<[string, string]> = RUN_OPTIONS.map((o) => [
    `${o.alias ? `-${o.alias}, ` : ''}--${o.flag}${o.valueName ? ` ${o.valueName}` : ''}`,
    o.help,
  ]);
  runRows.push(['--version', 'Print the version.']);
  const width = Math.max(...[...rows, ...runRows].map(([left]) => left.length)) + 2;
  const format = ([left, right]: [string, string]): string => `  ${left.padEnd(width)}${right}`;
  return [
    `Usage: ${command} [directory] [options]`,
    '',
    'Writes a complete, working Python machine-learning project: data, features, training, evaluation,',
    'batch prediction and a REST API, with tests. Without a directory, it writes to ./<project-name>;',
    'inside a project it made before, it regenerates in place and asks nothing already answered.',
    '',
    'Answers (each is also a prompt and a key in .yo-rc.json and in --answers files):',
    ...rows.map(format),
    '',
    'Run options:',
    ...runRows.map(format),
    '',
    'Exit codes: 0 done, 1 refused or failed (nothing lost), 2 bad or missing input.',
    '',
    'Examples:',
    `  ${command} churn --yes`,
    `  ${command} house-prices --task regression --dataset csv --data-path houses.csv --target price --yes`,
  ].join('\n');
}
