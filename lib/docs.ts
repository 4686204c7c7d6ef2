/** docs/options.md, derived from the question table (a test fails when the file and the table disagree). */
import { datasetsFor, TASKS } from './catalog.js';
import { QUESTIONS, RUN_OPTIONS } from './questions.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** Each select question's choices with what they mean (per task where the meaning depends on it). */
function choiceSections(): string[] {
  return QUESTIONS.filter((q) => q.describe && q.allChoices).flatMap((q) => {
    const perTask = q.name === 'model';
    const rows = q.allChoices!.map((choice) =>
      perTask
        ? [`- \`${choice}\``, ...TASKS.map((task) => `  - ${task}: ${q.describe!(choice, { task })}`)].join('\n')
        : `- \`${choice}\`: ${q.describe!(choice, {})}`,
    );
    return [`### \`--${q.flag}\``, '', ...rows, ''];
  });
}

const quoted = (names: string[]): string =>
  names.map((n) => `\`${n}\``).join(', ').replace(/, ([^,]*)$/, ' and $1');

export function optionsMarkdown(): string {
  const answerRows = QUESTIONS.map((q) => {
    const listed = q.allChoices?.map((c) => `\`${c}\``).join(', ');
    const values = !listed
      ? `\`${q.valueName ?? 'VALUE'}\``
      : q.kind === 'checkbox'
        ? `any of ${listed}, comma-separated; or \`${q.defaultHelp}\``
        : listed;
    const asked = q.flagOnly ? 'never (flag, or its command)' : q.advanced ? 'after "Customize?"' : q.when ? 'when it applies' : q.optional ? 'always (no terminal: the default)' : 'always';
    return `| \`--${q.flag}\` | \`${q.name}\` | ${values} | ${cell(q.defaultHelp)} | ${asked} | ${cell(q.help)} |`;
  });
  const runRows = RUN_OPTIONS.map(
    (o) =>
      `| ${o.alias ? `\`-${o.alias}\`, ` : ''}\`--${o.flag}\`${o.valueName ? ` \`${o.valueName}\`` : ''} | ${cell(o.help)} |`,
  );
  return [
    '# Options reference',
    '',
    '<!-- Generated from lib/questions.ts by `npm run docs:options`; do not edit by hand. -->',
    '',
    'Every answer is at once a prompt, a command-line flag, a key in an `--answers` file and a key stored in',
    'the generated project\'s `.yo-rc.json` (under `generator-mlpipeline`). Answers are taken, in order of',
    'precedence, from the flag, the `--answers` file, `.yo-rc.json` (re-runs), the prompt, and the default.',
    'Without a terminal and without `--yes`, a missing answer stops the run with exit code 2 and names the',
    'flag to pass; a value outside the allowed ones stops it with exit code 2 and names the allowed values.',
    '',
    '## Where the project is written',
    '',
    '`mlpipeline [directory] [options]`. The directory is where the project is written. Without one:',
    '',
    '- inside a project the generator made before (or any folder below it), that project is regenerated, and',
    '  nothing already answered is asked again;',
    '- in an empty folder (or one holding only `.git`), the project is written right there, and the project',
    '  name defaults to the folder\'s name (`mkdir churn && cd churn && mlpipeline`);',
    '- anywhere else, it is written to `./<project-name>`.',
    '',
    '## Answers',
    '',
    '| Flag | Key | Values | Default | Asked | Meaning |',
    '| --- | --- | --- | --- | --- | --- |',
    ...answerRows,
    '',
    `With \`--task classification\` the datasets are ${quoted(datasetsFor('classification'))}; with`,
    `\`--task regression\`, ${quoted(datasetsFor('regression'))}. The bundled datasets ship with scikit-learn: nothing is`,
    'downloaded.',
    '',
    '## What the choices mean',
    '',
    ...choiceSections(),
    '',
    '## Run options',
    '',
    'These steer one run and are never stored.',
    '',
    '| Flag | Meaning |',
    '| --- | --- |',
    ...runRows,
    '| `--version` | Print the version (`mlpipeline` only). |',
    '',
    '## Answers file',
    '',
    '```json',
    '{ "projectName": "house-prices", "task": "regression", "dataset": "csv",',
    '  "dataPath": "houses.csv", "target": "price", "model": "hist_gradient_boosting" }',
    '```',
    '',
    'Keys may also be written as flags (`"data-path"`). Relative paths are relative to the directory the',
    'generator runs in. Flags given on the command line win over the file.',
    '',
  ].join('\n');
}
