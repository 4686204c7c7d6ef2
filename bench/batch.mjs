// Batch scoring of a generated project: its `predict` command against the minimal script a user
// would write first (bench/batch_baseline.py: read_csv, the saved pipeline's predict_proba,
// to_csv), on the same CSV files, with the project's own interpreter. It generates, installs and
// trains the default project (iris, random forest), writes a 1,000,000-row and a 100,000-row input
// (iris rows drawn at random with a little noise, and a pass-through id column), then runs both
// sides alternately, each in a fresh process, and prints median wall time, CPU time and peak
// resident memory, with the ratios and the goals for 1,000,000 rows:
//   wall <= 1.3x the script; peak memory <= the script's; peak memory <= 1.5x the CLI's own at
//   100,000 rows.
// CPU time is printed beside wall time because a shared machine inflates wall time, not CPU.
// Usage: npm run build && node bench/batch.mjs [--quick] [--rounds N] [--json FILE]
//   --json: the figures for `npm run bench` (bench/report.mjs);
//   --quick: 100,000 and 10,000 rows;  --rounds: runs of each side per size (default 3).
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFigures } from './figures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes('--quick');
const rounds = Number(option('--rounds') ?? 3);
const jsonFile = option('--json');
const [large, small] = quick ? [100_000, 10_000] : [1_000_000, 100_000];
const GOALS = { wall: 1.3, peak: 1.0, growth: 1.5 };

const work = mkdtempSync(join(tmpdir(), 'mlp-bench-batch-'));
const project = join(work, 'bench-batch');
const module = 'bench_batch';
const python = join(project, '.venv/bin/python');
// The steps' own INFO logs are left out; their warnings and errors still show.
const quiet = { ...process.env, LOG_LEVEL: 'WARNING' };
const sh = (cmd, argv, cwd) => execFileSync(cmd, argv, { cwd, env: quiet, stdio: ['ignore', 'ignore', 'inherit'] });

/**
 * Runs a command as the child of a small Python process, which reports the command's wall time, and
 * from getrusage(RUSAGE_CHILDREN) its CPU time and peak resident memory (ru_maxrss: KiB on Linux,
 * bytes on macOS).
 */
const MEASURE = `
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = usage.ru_maxrss / (1 << 20 if sys.platform == "darwin" else 1 << 10)
print(json.dumps({"code": done.returncode, "stderr": done.stderr[-2000:], "wall": wall,
                  "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": peak}))
`;

function measure(argv) {
  const out = execFileSync(python, ['-c', MEASURE, ...argv], { cwd: project, env: process.env, encoding: 'utf8' });
  const result = JSON.parse(out);
  if (result.code !== 0) throw new Error(`${argv.join(' ')} exited with ${result.code}:\n${result.stderr}`);
  return result;
}

/** A deterministic random number generator (mulberry32), so every run scores the same rows. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `rows` iris rows drawn at random, each feature moved by noise (sd 0.05), and an id column first. */
function writeInput(path, rows, iris) {
  const random = generator(rows);
  const noise = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) * 0.05;
  const fd = openSync(path, 'w');
  writeSync(fd, `id,${iris.features.join(',')}\n`);
  for (let start = 0; start < rows; start += 50_000) {
    const lines = [];
    for (let id = start; id < Math.min(rows, start + 50_000); id++) {
      const row = iris.rows[Math.floor(random() * iris.rows.length)];
      lines.push(`${id},${row.map((value) => Math.max(0.1, value + noise()).toFixed(2)).join(',')}\n`);
    }
    writeSync(fd, lines.join(''));
  }
  closeSync(fd);
}

function readIris() {
  const [header, ...lines] = readFileSync(join(project, 'data/raw/iris.csv'), 'utf8').trim().split('\n');
  const names = header.split(',');
  const keep = names.map((name, i) => (name === 'target' ? -1 : i)).filter((i) => i >= 0);
  return {
    features: keep.map((i) => names[i]),
    rows: lines.map((line) => line.split(',')).map((cells) => keep.map((i) => Number(cells[i]))),
  };
}

/**
 * Whether two outputs hold the same prediction columns, row for row. The other columns differ in
 * spelling only: the CLI writes the input's text back as it was (4.60), the script its numbers (4.6).
 */
function samePredictions(a, b, inputColumns) {
  const tails = (path) => readFileSync(path, 'utf8').trim().split('\n').map((line) => line.split(',').slice(inputColumns).join(','));
  const [x, y] = [tails(a), tails(b)];
  return x.length === y.length && x.every((line, i) => line === y[i]);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = (a, b) => a / b;

try {
  console.log(`generating, installing and training the default project in ${project}`);
  sh('node', [join(root, 'dist/bin/mlpipeline.js'), project, '--yes', '--skip-install', '--skip-git'], work);
  sh('make', ['install'], project);
  sh('make', ['all'], project);
  const version = JSON.parse(readFileSync(join(project, 'models/latest.json'), 'utf8')).version;
  const model = join(project, 'models', version, 'model.joblib');

  const iris = readIris();
  const inputs = {};
  for (const rows of [large, small]) {
    inputs[rows] = join(work, `input-${rows}.csv`);
    writeInput(inputs[rows], rows, iris);
  }
  const sides = {
    cli: (rows) => [join(project, `.venv/bin/${module}`), 'predict', '-i', inputs[rows], '-o', join(work, `cli-${rows}.csv`)],
    script: (rows) => [python, join(root, 'bench/batch_baseline.py'), model, inputs[rows], join(work, `script-${rows}.csv`)],
  };
  for (const side of Object.values(sides)) measure(side(small)); // warm caches and bytecode

  const runs = { cli: { [large]: [], [small]: [] }, script: { [large]: [], [small]: [] } };
  for (let round = 0; round < rounds; round++) {
    for (const rows of [large, small]) {
      // Alternate the order, so that machine noise hits both sides alike.
      const order = round % 2 === 0 ? ['cli', 'script'] : ['script', 'cli'];
      for (const side of order) {
        const result = measure(sides[side](rows));
        runs[side][rows].push(result);
        console.log(`  round ${round + 1}  ${rows.toLocaleString('en-US').padStart(9)} rows  ${side.padEnd(6)} wall ${result.wall.toFixed(2)} s  cpu ${result.cpu.toFixed(2)} s  peak ${result.peak_mb.toFixed(0)} MB`);
      }
    }
  }

  const figures = {};
  for (const side of ['cli', 'script']) {
    figures[side] = {};
    for (const rows of [large, small]) {
      const list = runs[side][rows];
      figures[side][rows] = {
        wall_s: median(list.map((r) => r.wall)),
        cpu_s: median(list.map((r) => r.cpu)),
        peak_mb: median(list.map((r) => r.peak_mb)),
        runs: list.map(({ wall, cpu, peak_mb }) => ({ wall_s: wall, cpu_s: cpu, peak_mb })),
      };
    }
  }
  const same = samePredictions(join(work, `cli-${large}.csv`), join(work, `script-${large}.csv`), 1 + iris.features.length);
  const ratios = {};
  for (const rows of [large, small]) {
    ratios[rows] = {
      wall: ratio(figures.cli[rows].wall_s, figures.script[rows].wall_s),
      cpu: ratio(figures.cli[rows].cpu_s, figures.script[rows].cpu_s),
      peak: ratio(figures.cli[rows].peak_mb, figures.script[rows].peak_mb),
    };
  }
  const growth = ratio(figures.cli[large].peak_mb, figures.cli[small].peak_mb);
  const goals = {
    wall: ratios[large].wall <= GOALS.wall,
    peak: ratios[large].peak <= GOALS.peak,
    growth: growth <= GOALS.growth,
  };

  const n = (rows) => rows.toLocaleString('en-US');
  console.log(`\nmedians of ${rounds} run(s); input ${n(large)} rows = ${(statSync(inputs[large]).size / 1e6).toFixed(1)} MB`);
  console.log(`  ${'rows'.padStart(9)}  ${'side'.padEnd(24)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)} ${'peak RSS'.padStart(10)}`);
  for (const rows of [large, small]) {
    for (const [side, label] of [['cli', `${module} predict`], ['script', 'minimal script']]) {
      const f = figures[side][rows];
      console.log(`  ${n(rows).padStart(9)}  ${label.padEnd(24)} ${`${f.wall_s.toFixed(2)} s`.padStart(8)} ${`${f.cpu_s.toFixed(2)} s`.padStart(8)} ${`${f.peak_mb.toFixed(0)} MB`.padStart(10)}`);
    }
  }
  const mark = (ok) => (ok ? 'ok' : 'MISSED');
  console.log('\nCLI / script');
  for (const rows of [large, small]) {
    const r = ratios[rows];
    console.log(`  ${n(rows).padStart(9)} rows: wall ${r.wall.toFixed(2)}x, cpu ${r.cpu.toFixed(2)}x, peak RSS ${r.peak.toFixed(2)}x`);
  }
  console.log(`goals at ${n(large)} rows:`);
  console.log(`  wall <= ${GOALS.wall}x the script:            ${ratios[large].wall.toFixed(2)}x  ${mark(goals.wall)}`);
  console.log(`  peak RSS <= the script's:              ${ratios[large].peak.toFixed(2)}x  ${mark(goals.peak)}`);
  console.log(`  peak RSS <= ${GOALS.growth}x the CLI's at ${n(small)}: ${growth.toFixed(2)}x  ${mark(goals.growth)}`);
  console.log(`the same predictions on both sides: ${same ? 'yes' : 'NO'}`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const side = (f) => `${f.wall_s.toFixed(1)} s (CPU ${f.cpu_s.toFixed(1)} s), peak ${f.peak_mb.toFixed(0)} MB`;
  writeFigures(jsonFile, 'Batch scoring', [
    {
      what: `${n(large)}-row CSV: wall, the generated predict vs. a minimal script (read_csv, predict_proba, to_csv)`,
      ours: side(figures.cli[large]),
      baseline: side(figures.script[large]),
      ratio: ratios[large].wall,
      goal: `<= ${GOALS.wall}x, same predictions`,
      met: goals.wall && same,
    },
    {
      what: `${n(large)}-row CSV: peak memory, predict vs. the script`,
      ours: `${figures.cli[large].peak_mb.toFixed(0)} MB`,
      baseline: `${figures.script[large].peak_mb.toFixed(0)} MB`,
      ratio: ratios[large].peak,
      goal: `<= ${GOALS.peak}x`,
      met: goals.peak,
    },
    {
      what: `peak memory of predict: ${n(large)} rows vs. ${n(small)} rows`,
      ours: `${figures.cli[large].peak_mb.toFixed(0)} MB`,
      baseline: `${figures.cli[small].peak_mb.toFixed(0)} MB`,
      ratio: growth,
      goal: `<= ${GOALS.growth}x`,
      met: goals.growth,
    },
  ]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
