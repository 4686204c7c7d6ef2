/**
 * Checks run inside an installed generated project by the end-to-end test: the lists that exist on both
 * sides (TypeScript catalog and Python registries) agree, and every name the installed dependency tree
 * provides is one the generator refuses as a project or module name; the Spark tests ran, or said why not.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { BUNDLED_DATASETS, METRICS, MODELS, TASKS } from '../lib/catalog.js';
import { INSTALLED_DISTRIBUTIONS, INSTALLED_IMPORT_NAMES } from '../lib/python-deps.js';

function python(project: string, code: string): unknown {
  return JSON.parse(execFileSync(join(project, '.venv/bin/python'), ['-c', code], { cwd: project, encoding: 'utf8' }));
}

/** The Python registries name the same datasets, models (same estimators) and metrics as lib/catalog.ts. */
export function checkCatalogs(project: string, moduleName: string): void {
  const registries = python(
    project,
    [
      'import json',
      `from ${moduleName}.samples import BUNDLED_DATASETS`,
      `from ${moduleName}.estimators import REGISTRY`,
      `from ${moduleName}.metrics import METRICS`,
      'models = {task: {name: cls.__name__ for name, cls in by_name.items()} for task, by_name in REGISTRY.items()}',
      'print(json.dumps({"datasets": BUNDLED_DATASETS, "models": models, "metrics": METRICS}))',
    ].join('\n'),
  ) as { datasets: Record<string, string>; models: Record<string, Record<string, string>>; metrics: typeof METRICS };
  expect(registries.datasets).toEqual(Object.fromEntries(Object.entries(BUNDLED_DATASETS).map(([name, d]) => [name, d.task])));
  for (const task of TASKS) {
    const estimators = Object.fromEntries(Object.entries(MODELS).map(([name, m]) => [name, m.estimator[task]]));
    expect(registries.models[task], `models for ${task}`).toEqual(estimators);
  }
  expect(registries.metrics).toEqual(METRICS);
}

/** Every distribution and import name installed in the project's venv is in lib/python-deps.ts. */
export function checkDependencyNames(project: string, projectName: string, moduleName: string): void {
  const installed = python(
    project,
    [
      'import importlib.metadata as md, json, re',
      'dists = sorted({re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower() for d in md.distributions()})',
      'imports = sorted(k for k in md.packages_distributions() if k.isidentifier() and not k.startswith("__editable__"))',
      'print(json.dumps({"distributions": dists, "imports": imports}))',
    ].join('\n'),
  ) as { distributions: string[]; imports: string[] };
  const own = new Set([projectName, projectName.replace(/[-_.]+/g, '-'), moduleName]);
  const missing = [
    ...installed.distributions.filter((name) => !own.has(name) && !INSTALLED_DISTRIBUTIONS.has(name)),
    ...installed.imports.filter((name) => !own.has(name) && !INSTALLED_IMPORT_NAMES.has(name)),
  ];
  expect(missing, 'names installed but not in lib/python-deps.ts: run `npm run build && npm run deps:python`').toEqual([]);
}

/**
 * `make test`'s output: with the spark extra installed, the Spark tests ran and passed; without it,
 * they were skipped, saying how to install it.
 */
export function checkSparkTests(output: string, installed: boolean): void {
  if (installed) {
    expect(output, 'the Spark tests ran').toMatch(/tests\/test_spark\.py \.{10,}\s/);
    expect(output).not.toMatch(/SKIPPED[^\n]*test_spark/);
  } else {
    expect(output).toMatch(/SKIPPED \[\d+\] tests\/test_spark\.py:\d+: pyspark is not installed: `make install EXTRAS=spark` runs these tests/);
  }
}
