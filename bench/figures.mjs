// What the bench scripts share: their command line's `--json FILE`, through which each hands its figures
// to `npm run bench` (bench/report.mjs), and the shape of those figures.
//
// A figure is one row of the report: { what, ours, baseline, ratio, goal, met }, where `ours` and
// `baseline` are display strings with units ("275 ms"), `ratio` is ours / baseline when both were
// measured in the same run, `goal` says what the ratio (or the figure) must be, and `met` whether it is
// (undefined where there is no goal).
import { writeFileSync } from 'node:fs';

/** The `--json FILE` argument, and the other arguments without it. */
export function jsonOption(argv) {
  const at = argv.indexOf('--json');
  if (at < 0) return { json: undefined, rest: argv };
  if (!argv[at + 1]) throw new Error('--json needs a file name');
  return { json: argv[at + 1], rest: argv.filter((_, i) => i !== at && i !== at + 1) };
}

/** Writes `figures` for the report when `--json FILE` was given. */
export function writeFigures(file, section, figures) {
  if (file) writeFileSync(file, `${JSON.stringify({ section, figures }, null, 2)}\n`);
}

export const ms = (value) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
export const seconds = (value) => `${value.toFixed(1)} s`;
