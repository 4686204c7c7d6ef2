/**
 * The command-line surface, derived from the question table: the one argument scanner (the bin and the
 * Yeoman generator both use it), the run options it yields, unknown-flag suggestions, and --help.
 */
import { ADDONS, EXTRA_MODEL_NAMES } from './catalog.js';
import { UsageError } from './errors.js';
import type { RunOptions } from './run.js';
import { QUESTIONS, RUN_OPTIONS, type PartialAnswers, type Question } from './questions.js';

/**
 * Options Yeoman's base generator declares itself; accepted so that `yo` users may pass them, but they
 * change nothing here, so --help does not list them.
 */
const YEOMAN_OPTIONS = ['skip-cache', 'force-install'];
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

/**
 * A sub-command of the bin, `mlpipeline <name> ...`: its name comes first on the command line, then its
 * positionals and the flags. A plain run (no command) writes a new project or re-runs one.
 */
export interface CommandSpec {
  name: NonNullable<RunOptions['command']>;
  /** Its positionals, as --help shows them ("[directory]"); at most this many are accepted, unless `repeats`. */
  positionals: Array<{ name: string; help: string }>;
  /** The last positional may be given any number of times (`add docker ci`). */
  repeats?: boolean;
  summary: string;
  /** Paragraphs of its --help. */
  description: string[];
  /** Whether answers may be given (as flags, --answers or --ask-answered). */
  takesAnswers: boolean;
  /** The run options it takes, besides --help. */
  runOptions: string[];
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'update',
    positionals: [
      {
        name: '[directory]',
        help: 'The project to update: the mlpipeline project at or above this folder. Default: the current folder.',
      },
    ],
    summary: 'Regenerate a project from its stored answers with this version of the generator, keeping your edits.',
    description: [
      'Regenerates the project from the answers stored in its .yo-rc.json, with this version of the generator, asking ' +
        'nothing (answers new to this version take their defaults). Files you have not touched are replaced. Files you ' +
        'edited are merged three ways: the version the generator last wrote (kept in .mlpipeline/base) is the base, ' +
        'your file is yours, the new output is theirs. Changes on different lines merge cleanly; changes to the same ' +
        'lines are written between <<<<<<< yours and >>>>>>> markers, and the run ends with exit 1, listing those files. ' +
        'Files the templates no longer produce are removed if untouched and kept if edited. Writes are all or nothing.',
      'A project generated before base versions were kept cannot be merged the first time: its edited files are ' +
        'conflicts, as in a plain re-run (asked in a terminal, else the run stops). To change an answer, re-run with ' +
        'the flag instead (mlpipeline --model linear): it updates the same way.',
    ],
    takesAnswers: false,
    runOptions: ['dry-run', 'force', 'bail', 'skip-install', 'skip-git', 'yes'],
  },
  {
    name: 'add',
    positionals: [{ name: '<add-on>...', help: `One or more of ${ADDONS.join(', ')} (also comma-separated).` }],
    repeats: true,
    summary: `Add optional parts (${ADDONS.join(', ')}) to the project around the current folder.`,
    description: [],
    takesAnswers: false,
    runOptions: ['dry-run', 'force', 'bail', 'skip-install', 'skip-git', 'yes'],
  },
  {
    name: 'model',
    positionals: [{ name: '<name>...', help: `One or more of ${EXTRA_MODEL_NAMES.join(', ')} (also comma-separated).` }],
    repeats: true,
    summary: `Add a well-known estimator (${EXTRA_MODEL_NAMES.join(', ')}) to the project's models.`,
    description: [],
    takesAnswers: false,
    runOptions: ['dry-run', 'force', 'bail', 'skip-install', 'skip-git', 'yes'],
  },
  {
    name: 'feature',
    positionals: [{ name: '<name>...', help: 'One or more snake_case feature names, e.g. log_income (also comma-separated).' }],
    repeats: true,
    summary: 'Add a custom scikit-learn transformer (its class, config registration and test) to the project around the current folder.',
    description: [],
    takesAnswers: false,
    runOptions: ['dry-run', 'force', 'bail', 'skip-install', 'skip-git', 'yes'],
  },
];

export interface ParsedArgs {
  /** The sub-command named first on the command line, if any. */
  command?: CommandSpec;
  positionals: string[];
  flags: Record<string, string | boolean>;
}

/**
 * Parses `[command] [directory] [--flag value | --flag=value | --bool | --no-bool | -y]`; the last of a
 * repeated flag wins. Unknown flags, and flags the command does not take, are usage errors. A folder
 * named like a command is written ./update.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const specs = flagSpecs();
  const command = COMMANDS.find((c) => c.name === argv[0]);
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = command ? 1 : 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    // -yf: several one-letter flags at once.
    if (/^-[a-z]{2,}$/i.test(token) && [...token.slice(1)].every((c) => specs.get(c)?.takesValue === false)) {
      for (const c of token.slice(1)) flags[specs.get(c)!.flag] = true;
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
    } else if (eq >= 0) {
      const value = body.slice(eq + 1).toLowerCase();
      const on = ['true', 'yes', '1'].includes(value);
      if (!on && !['false', 'no', '0'].includes(value)) {
        throw new UsageError(`--${spec.flag} takes no value, or true/false (got "${body.slice(eq + 1)}").`);
      }
      flags[spec.flag] = name.startsWith('no-') ? !on : on;
    } else {
      flags[spec.flag] = !name.startsWith('no-');
    }
  }
  if (command) {
    checkCommandArgs(command, positionals, flags);
  } else if (positionals.length > 1) {
    const named = COMMANDS.find((c) => positionals.includes(c.name));
    throw new UsageError(
      `Expected at most one directory, got ${positionals.length}: ${positionals.join(' ')}. ` +
        (named ? `To ${named.name} a project, write mlpipeline ${named.name} first.` : 'Quote a path that contains spaces.'),
    );
  }
  return { command, positionals, flags };
}

function checkCommandArgs(command: CommandSpec, positionals: string[], flags: ParsedArgs['flags']): void {
  const usage = `mlpipeline ${command.name} ${command.positionals.map((p) => p.name).join(' ')}`.trim();
  if (!command.repeats && positionals.length > command.positionals.length) {
    throw new UsageError(`Too many arguments for ${usage}: ${positionals.join(' ')}. Quote a path that contains spaces.`);
  }
  const allowed = new Set([...command.runOptions, 'help', ...(command.takesAnswers ? QUESTIONS.map((q) => q.flag) : [])]);
  const refused = Object.keys(flags).filter((flag) => !allowed.has(flag) && !YEOMAN_OPTIONS.includes(flag));
  if (refused.length === 0) return;
  const answer = refused.find((flag) => QUESTIONS.some((q) => q.flag === flag) || ['answers', 'ask-answered'].includes(flag));
  throw new UsageError(
    answer && !command.takesAnswers
      ? `mlpipeline ${command.name} keeps the stored answers, so it takes no --${answer}: to change an answer, re-run in ` +
          `the project with it (mlpipeline --${answer} ...), which updates the same way.`
      : `mlpipeline ${command.name} takes no --${refused[0]} (see mlpipeline ${command.name} --help).`,
  );
}

/** The run options and the answers given as flags, from parsed arguments. */
export function runOptions({ command, positionals, flags }: ParsedArgs): RunOptions {
  const given: PartialAnswers = {};
  for (const q of QUESTIONS) {
    const value = flags[q.flag];
    // A column name may start or end with a space; every other answer is trimmed.
    if (typeof value === 'string') given[q.name] = q.name === 'target' ? value : value.trim();
  }
  return {
    command: command?.name,
    directory: positionals[0],
    yes: flags.yes === true,
    force: flags.force === true,
    bail: flags.bail === true,
    skipInstall: flags['skip-install'] === true,
    skipGit: flags['skip-git'] === true,
    askAnswered: flags['ask-answered'] === true,
    dryRun: flags['dry-run'] === true,
    answersFile: typeof flags.answers === 'string' ? flags.answers : undefined,
    given,
  };
}

export function unknownFlagMessage(name: string): string {
  const known = [...flagSpecs().keys()].filter((flag) => flag.length > 1 && !YEOMAN_OPTIONS.includes(flag));
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

/**
 * Names with their wrapped descriptions, as the --help of `mlpipeline add` and `mlpipeline model` list
 * them: each name indented two spaces, every description starting in the same column.
 */
export function nameList(entries: ReadonlyArray<readonly [string, string]>, columns: number): string[] {
  const left = Math.max(...entries.map(([name]) => name.length)) + 4;
  return entries.flatMap(([name, text]) =>
    wrap(text, columns - left).map((line, i) => (i === 0 ? `  ${name.padEnd(left - 2)}${line}` : `${' '.repeat(left)}${line}`)),
  );
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A two-column list wrapped to `width`: the description beside its flag, or below it if the flag is long. */
function table(rows: Array<[string, string]>, width: number): string[] {
  const left = Math.min(Math.max(...rows.map(([flag]) => flag.length)) + 2, 34, Math.floor(width * 0.4));
  const right = width - 2 - left;
  return rows.flatMap(([flag, text]) => {
    const lines = wrap(text, right);
    const pad = ' '.repeat(2 + left);
    if (flag.length + 2 > left) return [`  ${flag}`, ...lines.map((l) => pad + l)];
    return lines.map((l, i) => (i === 0 ? `  ${flag.padEnd(left)}${l}` : pad + l));
  });
}

const EXIT_CODES =
  'Exit codes: 0 done, 1 refused or failed (nothing written), or conflicts left to resolve (the files are listed), ' +
  '2 bad or missing input.';

function optionRow(o: (typeof RUN_OPTIONS)[number]): [string, string] {
  return [`${o.alias ? `-${o.alias}, ` : ''}--${o.flag}${o.valueName ? ` ${o.valueName}` : ''}`, o.help];
}

/** `<command> <sub-command> --help`: what the sub-command does, its positionals and options. */
export function commandHelpText(spec: CommandSpec, command = 'mlpipeline', width = process.stdout.columns || Number(process.env.COLUMNS) || 80): string {
  const columns = Math.max(60, Math.min(width, 120));
  const options = RUN_OPTIONS.filter((o) => spec.runOptions.includes(o.flag) || o.flag === 'help');
  return [
    `Usage: ${command} ${spec.name} ${spec.positionals.map((p) => p.name).join(' ')} [options]`.replace(/ {2,}/g, ' '),
    '',
    ...spec.description.flatMap((text, i) => [...(i ? [''] : []), ...wrap(text, columns)]),
    '',
    'Arguments:',
    ...table(spec.positionals.map((p) => [p.name, p.help]), columns),
    '',
    'Options:',
    ...table(options.map(optionRow), columns),
    '',
    ...wrap(EXIT_CODES, columns),
    '',
    'Examples:',
    `  ${command} ${spec.name} --dry-run`,
    `  ${command} ${spec.name} path/to/project --skip-install`,
  ].join('\n');
}

/** --help, wrapped to `width` columns (the terminal's, else 80). */
export function helpText(command = 'mlpipeline', width = process.stdout.columns || Number(process.env.COLUMNS) || 80): string {
  const columns = Math.max(60, Math.min(width, 120));
  // Choices too many to fit beside the flag are named in its help instead (the model question's).
  const value = (q: Question): string => {
    const choices = q.allChoices && (q.kind === 'checkbox' ? `<${q.allChoices.join(',')}|none>` : `<${q.allChoices.join('|')}>`);
    return choices && choices.length <= 50 ? choices : (q.valueName ?? 'VALUE');
  };
  const rows: Array<[string, string]> = QUESTIONS.map((q) => [`--${q.flag} ${value(q)}`, `${q.help} Default: ${q.defaultHelp}.`]);
  const runRows: Array<[string, string]> = RUN_OPTIONS.map(optionRow);
  runRows.push(['--version', 'Print the version.']);
  const paragraph = (text: string) => wrap(text, columns);
  return [
    `Usage: ${command} [directory] [options]`,
    ...COMMANDS.map((c) => `       ${command} ${c.name} ${c.positionals.map((p) => p.name).join(' ')} [options]`),
    '',
    ...paragraph(
      'Writes a complete, working Python machine-learning project: data, features, training, evaluation, ' +
        'batch prediction and a REST API, with tests.',
    ),
    '',
    'directory:',
    ...table(
      [
        [
          '[directory]',
          'Where to write the project. Default: inside a project it made before, that project (re-run: it asks ' +
            'nothing already answered); in an empty folder, that folder; else ./<project-name>.',
        ],
      ],
      columns,
    ),
    '',
    ...paragraph('Answers (each is also a prompt and a key in .yo-rc.json and in --answers files):'),
    ...table(rows, columns),
    '',
    'Run options:',
    ...table(runRows, columns),
    '',
    'Commands:',
    ...table(
      COMMANDS.map((c) => [c.name, `${c.summary} See ${command} ${c.name} --help.`]),
      columns,
    ),
    '',
    ...paragraph(EXIT_CODES),
    '',
    'Examples:',
    `  ${command} churn --yes`,
    `  ${command} house-prices --task regression --dataset csv \\`,
    '      --data-path houses.csv --target price --yes',
  ].join('\n');
}
