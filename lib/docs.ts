/** docs/options.md, derived from the question table (a test fails when the file and the table disagree). */
import { QUESTIONS, RUN_OPTIONS } from './questions.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function optionsMarkdown(): string {
  const answerRows = QUESTIONS.map((q) => {
    const values = q.allChoices ? q.allChoices.map((c) => `\`${c}\``).join(', ') : `\`${q.valueName ?? 'VALUE'}\``;
    const asked = q.advanced ? 'after "Customize?"' : q.when ? 'when it applies' : 'always';
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
    '## Answers',
    '',
    '| Flag | Key | Values | Default | Asked | Meaning |',
    '| --- | --- | --- | --- | --- | --- |',
    ...answerRows,
    '',
    'With `--task classification` the datasets are `iris`, `wine`, `breast_cancer` and `csv`; with',
    '`--task regression`, `diabetes` and `csv`. The bundled datasets ship with scikit-learn: nothing is',
    'downloaded.',
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
