// `npm run bench`: every bench script in turn, one at a time (so that none slows another), each handing
// its figures over with `--json`, then one table of them all, in Markdown so that it can be quoted.
// Usage: npm run build && node bench/report.mjs [--quick] [--pip]
//   --quick  the scripts' short modes (smaller files, shorter loads): for a check, not for figures
//   --pip    time to first prediction with pip too (slow: pip resolves and downloads for minutes)
// Exits 1 when a figure misses its goal or a script fails; the table is printed either way.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const quick = process.argv.includes('--quick');
const scripts = [
  ['generate.mjs', quick ? ['5'] : []],
  ['pipeline.mjs', process.argv.includes('--pip') ? [] : ['--installer', 'uv']],
  ['serve.mjs', quick ? ['--quick'] : []],
  ['batch.mjs', quick ? ['--quick'] : []],
];

const work = mkdtempSync(join(tmpdir(), 'mlp-bench-report-'));
const sections = [];
const failed = [];
try {
  for (const [script, args] of scripts) {
    const json = join(work, `${script}.json`);
    console.error(`== node bench/${script} ${args.join(' ')}`);
    const run = spawnSync('node', [join(here, script), ...args, '--json', json], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (existsSync(json)) sections.push(JSON.parse(readFileSync(json, 'utf8')));
    else failed.push(`${script} (exit ${run.status ?? run.signal}, no figures)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const cell = (value) => (value === undefined ? '' : String(value).replaceAll('|', '\\|'));
const lines = ['| Section | What | Ours | Baseline | Ratio | Goal | Met |', '| --- | --- | --- | --- | --- | --- | --- |'];
let missed = 0;
for (const { section, figures } of sections) {
  for (const { what, ours, baseline, ratio, goal, met } of figures) {
    if (met === false) missed++;
    const shownRatio = ratio === undefined ? '' : `${ratio.toFixed(ratio < 0.1 ? 3 : 2)}x`;
    const shownMet = met === undefined ? '' : met ? 'yes' : '**no**';
    lines.push(`| ${[section, what, ours, baseline, shownRatio, goal, shownMet].map(cell).join(' | ')} |`);
  }
}
console.log(`\n${lines.join('\n')}`);
for (const line of failed) console.log(`\nno figures from ${line}`);
if (missed) console.log(`\n${missed} figure(s) miss their goal.`);
process.exitCode = missed || failed.length ? 1 : 0;
