// Times generating the default project (no install, no git) with the mlpipeline CLI against a bare
// yeoman-environment run writing the same files (bench/bare-generate.mjs), side by side, each as a
// fresh Node process as a user would run it. Prints medians and the ratio; the goal is <= 0.5x: the
// bin loads only what a run needs, where any Yeoman run loads yeoman-environment and yeoman-generator.
// Usage: npm run build && node bench/generate.mjs [runs=15] [--json FILE]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { jsonOption, ms, writeFigures } from './figures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { json, rest } = jsonOption(process.argv.slice(2));
const runs = Number(rest[0] ?? 15);
const bin = join(root, 'dist/bin/mlpipeline.js');
const bare = join(root, 'bench/bare-generate.mjs');
const work = mkdtempSync(join(tmpdir(), 'mlp-bench-'));

// Generate once to learn exactly which files the default project has, with which context.
const { storedAnswers } = await import(join(root, 'dist/lib/answers.js'));
const { templateContext } = await import(join(root, 'dist/lib/context.js'));
const { planFiles } = await import(join(root, 'dist/lib/files.js'));
const { TEMPLATES_DIR } = await import(join(root, 'dist/lib/paths.js'));
const reference = join(work, 'reference');
execFileSync('node', [bin, reference, '--yes', '--skip-install', '--skip-git'], { stdio: 'ignore' });
const { generated, ...answers } = JSON.parse(
  (await import('node:fs')).readFileSync(join(reference, '.yo-rc.json'), 'utf8'),
)['generator-mlpipeline'];
const context = templateContext(answers);
const planPath = join(work, 'plan.json');
writeFileSync(
  planPath,
  JSON.stringify({ templatesDir: TEMPLATES_DIR, context: { ...context, stored: storedAnswers(answers) }, files: planFiles(context) }),
);

function time(args) {
  const dir = join(work, `run-${Math.random().toString(36).slice(2)}`);
  const start = performance.now();
  execFileSync('node', [...args, dir], { stdio: 'ignore' });
  const elapsed = performance.now() - start;
  const count = readdirSync(dir, { recursive: true }).length;
  rmSync(dir, { recursive: true, force: true });
  return { elapsed, count };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours = [];
const baseline = [];
let counts;
time([bin, '--yes', '--skip-install', '--skip-git']); // warm the file system cache
time([bare, planPath]);
for (let i = 0; i < runs; i++) {
  // Alternate so that machine noise hits both sides alike.
  const a = time([bare, planPath]);
  const b = time([bin, '--yes', '--skip-install', '--skip-git']);
  baseline.push(a.elapsed);
  ours.push(b.elapsed);
  counts = [a.count, b.count];
}
rmSync(work, { recursive: true, force: true });
const ratio = median(ours) / median(baseline);
console.log(`runs: ${runs}; entries written: mlpipeline ${counts[1]}, bare ${counts[0]}`);
console.log(`bare yeoman-environment: median ${median(baseline).toFixed(0)} ms`);
console.log(`mlpipeline --yes:        median ${median(ours).toFixed(0)} ms`);
console.log(`ratio: ${ratio.toFixed(3)}x (goal <= 0.5x)`);
const met = ratio <= 0.5;
writeFigures(json, 'Generation', [
  {
    what: `default project, no install (median of ${runs}), vs. bare yeoman-environment writing the same files`,
    ours: ms(median(ours)),
    baseline: ms(median(baseline)),
    ratio,
    goal: '<= 0.5x',
    met,
  },
]);
process.exitCode = met ? 0 : 1;
