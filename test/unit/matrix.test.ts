import { describe, expect, it } from 'vitest';
import { ADDONS, datasetsFor, EXTRA_MODEL_NAMES, MODEL_NAMES, TASKS, type Task } from '../../lib/catalog.js';
import { EXPORT_FORMATS, INSTALLERS, PYTHON_VERSIONS, QUESTION_BY_FLAG } from '../../lib/questions.js';
import {
  ADDON_PREFIX,
  allPairs,
  broken,
  completable,
  CONSTRAINTS,
  DATA_KINDS,
  describeRow,
  EXPORT_PREFIX,
  FACTORS,
  flagsFor,
  members,
  OFF,
  ON,
  requiredPairs,
  uncoveredPairs,
  INDEPENDENT,
  matrixRows,
  MODEL_ADDONS,
  needed,
  paired,
  RUN_INSTALLERS,
  STATIC_INSTALLERS,
  withInstaller,
  type Constraint,
  type Factor,
  type Independence,
  type Row,
} from '../matrix.js';

/**
 * The proof, independent of the generator's own bookkeeping: for every two factors and every two of
 * their values, some row holds both, or no full row holding both escapes every constraint (checked
 * by enumerating every full row that holds them).
 */
function checkAllPairs(
  rows: readonly Row[],
  factors: readonly Factor[],
  constraints: readonly Constraint[],
  independent: readonly Independence[] = [],
): void {
  for (const row of rows) {
    expect(Object.keys(row).sort()).toEqual(factors.map((f) => f.name).sort());
    for (const factor of factors) expect(factor.values).toContain(row[factor.name]);
    expect(broken(row, constraints), describeRow(row)).toBeUndefined();
  }
  factors.forEach((first, i) => {
    for (const second of factors.slice(i + 1)) {
      for (const a of first.values) {
        for (const b of second.values) {
          if (!needed(first.name, a, second.name, b, independent)) continue;
          if (rows.some((row) => row[first.name] === a && row[second.name] === b)) continue;
          const others = factors.filter((f) => f !== first && f !== second);
          // A row broken once part of it is set stays broken, whatever the rest: that branch ends there.
          const valid = (row: Row, k: number): boolean =>
            !broken(row, constraints) &&
            (k === others.length || others[k]!.values.some((value) => valid({ ...row, [others[k]!.name]: value }, k + 1)));
          expect(valid({ [first.name]: a, [second.name]: b }, 0), `${first.name}=${a} with ${second.name}=${b} is in no row`).toBe(false);
        }
      }
    }
  });
}

describe('the option matrix', () => {
  const matrix = allPairs(FACTORS, CONSTRAINTS, [], INDEPENDENT);

  it('derives its factors from the question table and the catalog', () => {
    const values = (name: string) => FACTORS.find((f) => f.name === name)?.values;
    expect(values('task')).toEqual(TASKS);
    expect(values('model')).toEqual(MODEL_NAMES);
    expect(values('installer')).toEqual(RUN_INSTALLERS);
    expect([...RUN_INSTALLERS, ...STATIC_INSTALLERS].sort()).toEqual([...INSTALLERS].sort());
    expect(values('python')).toEqual(PYTHON_VERSIONS);
    expect(DATA_KINDS).toEqual(['sample', 'csv', 'parquet']);
    for (const format of EXPORT_FORMATS) expect(values(`${EXPORT_PREFIX}${format}`)).toEqual([OFF, ON]);
    for (const addon of ADDONS) expect(values(`${ADDON_PREFIX}${addon}`)).toEqual([OFF, ON]);
  });

  it('declares constraints on factors and values that exist', () => {
    for (const constraint of CONSTRAINTS) {
      expect(Object.keys(constraint.never).length, constraint.why).toBeGreaterThanOrEqual(2);
      for (const [name, values] of Object.entries(constraint.never)) {
        const factor = FACTORS.find((f) => f.name === name);
        expect(factor, `${name} in "${constraint.why}"`).toBeDefined();
        for (const value of values) expect(factor!.values, constraint.why).toContain(value);
      }
    }
  });

  it('declares independences between factors that exist, each with its reason', () => {
    for (const { factor, of, why } of INDEPENDENT) {
      expect(why.length, factor).toBeGreaterThan(40);
      for (const name of [factor, ...of]) expect(FACTORS.map((f) => f.name), name).toContain(name);
    }
    expect(needed('model', 'svm', 'installer', 'pip')).toBe(false);
    expect(needed('installer', 'pip', 'model', 'svm')).toBe(false);
    expect(needed('model', 'svm', `${EXPORT_PREFIX}onnx`, ON)).toBe(false);
    expect(needed('model', 'svm', `${ADDON_PREFIX}docs`, ON)).toBe(true);
    expect(needed(`${ADDON_PREFIX}docs`, OFF, 'model', 'svm')).toBe(false);
    expect(needed('installer', 'pip', 'python', '3.10')).toBe(true);
    expect(needed('task', 'regression', `${EXPORT_PREFIX}onnx`, OFF)).toBe(true);
  });

  it('covers every required pair of values of every two paired factors, and no row breaks a constraint', () => {
    const { rows } = matrix;
    checkAllPairs(rows, FACTORS, CONSTRAINTS, INDEPENDENT);
    expect(uncoveredPairs(rows, FACTORS, CONSTRAINTS, INDEPENDENT)).toEqual([]);
    expect(matrixRows()).toEqual(rows);
    // No fewer rows than the values of any two paired factors multiplied; not many more than the largest.
    const wholly = (a: Factor, b: Factor) => a.values.every((x) => b.values.every((y) => needed(a.name, x, b.name, y)));
    const products = FACTORS.flatMap((a, i) => FACTORS.slice(i + 1).filter((b) => wholly(a, b)).map((b) => a.values.length * b.values.length));
    const floor = Math.max(...products);
    expect(rows.length).toBeGreaterThanOrEqual(floor);
    expect(rows.length).toBeLessThanOrEqual(floor + 6);
  });

  it('needs no pair of independent factors, and covers fewer rows than the matrix without independences', () => {
    const full = allPairs(FACTORS, CONSTRAINTS);
    checkAllPairs(full.rows, FACTORS, CONSTRAINTS);
    expect(matrix.rows.length).toBeLessThan(full.rows.length);
    const required = requiredPairs(FACTORS, CONSTRAINTS, INDEPENDENT);
    expect(required.some((p) => !needed(p.first, p.firstValue, p.second, p.secondValue))).toBe(false);
    const factor = (name: string) => FACTORS.find((f) => f.name === name)!;
    expect(paired(factor('model'), factor('installer'))).toBe(false);
    expect(paired(factor('model'), factor(`${ADDON_PREFIX}mlflow`))).toBe(true);
    expect(required.length).toBeLessThan(requiredPairs(FACTORS, CONSTRAINTS).length);
  });

  it('leaves out the pairs a constraint forbids, and only those', () => {
    const pmml = `${EXPORT_PREFIX}pmml`;
    const { rows } = matrix;
    expect(rows.some((row) => row[pmml] === ON && row.data !== 'sample')).toBe(false);
    expect(rows.some((row) => row[pmml] === ON && row.data === 'sample')).toBe(true);
    const forbidden = requiredPairs(FACTORS, [], INDEPENDENT).length - requiredPairs(FACTORS, CONSTRAINTS, INDEPENDENT).length;
    expect(forbidden).toBe(2); // pmml on with csv, pmml on with parquet
  });

  it('grows by itself when the tables do: a new installer, model or add-on meets every factor it is paired with', () => {
    const grown = FACTORS.map((f) =>
      f.name === 'installer' ? { ...f, values: [...f.values, 'pdm'] } : f.name === 'model' ? { ...f, values: [...f.values, 'xgboost'] } : f,
    );
    const factors = [...grown, { name: `${ADDON_PREFIX}new`, values: [OFF, ON] }];
    const { rows } = allPairs(factors, CONSTRAINTS, [], INDEPENDENT);
    checkAllPairs(rows, factors, CONSTRAINTS, INDEPENDENT);
    expect(rows.filter((row) => row.installer === 'pdm').map((row) => row.python).sort()).toEqual(
      expect.arrayContaining([...PYTHON_VERSIONS].sort()),
    );
    for (const addon of MODEL_ADDONS) {
      expect(rows.some((row) => row.model === 'xgboost' && row[`${ADDON_PREFIX}${addon}`] === ON), addon).toBe(true);
    }
    expect(new Set(rows.filter((row) => row[`${ADDON_PREFIX}new`] === ON).map((row) => row.python))).toEqual(new Set(PYTHON_VERSIONS));
  });

  it('counts seed rows (proven elsewhere) as covered, and refuses one that breaks a constraint', () => {
    const plain = matrix.rows;
    const seeds = plain.slice(0, 4);
    const { seeds: kept, rows } = allPairs(FACTORS, CONSTRAINTS, seeds, INDEPENDENT);
    expect(kept).toEqual(seeds);
    checkAllPairs([...seeds, ...rows], FACTORS, CONSTRAINTS, INDEPENDENT);
    expect(uncoveredPairs(rows, FACTORS, CONSTRAINTS, INDEPENDENT).length).toBeGreaterThan(0);
    const bad = { ...plain[0]!, data: 'csv', [`${EXPORT_PREFIX}pmml`]: ON };
    expect(() => allPairs(FACTORS, CONSTRAINTS, [bad])).toThrow(/breaks a constraint/);
  });

  it('is deterministic', () => {
    expect(allPairs(FACTORS, CONSTRAINTS, [], INDEPENDENT)).toEqual(matrix);
  });

  it('makes a small covering array for a textbook case, honouring a constraint between two factors', () => {
    const factors: Factor[] = ['a', 'b', 'c', 'd'].map((name) => ({ name, values: ['0', '1', '2'] }));
    const { rows } = allPairs(factors, []);
    checkAllPairs(rows, factors, []);
    expect(rows.length).toBeLessThanOrEqual(11); // 3^4: the optimum is 9
    const never: Constraint = { never: { a: ['0'], b: ['0', '1'] }, why: 'a=0 only with b=2' };
    const constrained = allPairs(factors, [never]).rows;
    checkAllPairs(constrained, factors, [never]);
    expect(constrained.filter((row) => row.a === '0').every((row) => row.b === '2')).toBe(true);
  });

  it('judges partial rows: a constraint breaks only once all its factors are set', () => {
    const never: Constraint = { never: { a: ['0'], b: ['0'] }, why: 'test' };
    expect(broken({ a: '0' }, [never])).toBeUndefined();
    expect(broken({ a: '0', b: '0' }, [never])).toBe(never);
    const factors: Factor[] = [{ name: 'a', values: ['0'] }, { name: 'b', values: ['0', '1'] }];
    expect(completable({ a: '0' }, factors, [never])).toBe(true);
    expect(completable({ a: '0' }, [factors[0]!, { name: 'b', values: ['0'] }], [never])).toBe(false);
  });

  it('turns each row into generator flags: every question flag known, own data by format, samples in turn', () => {
    const own = { files: { csv: '/d/c.csv', parquet: '/d/c.parquet' }, target: { classification: 'churned', regression: 'spend' } };
    const { rows } = matrix;
    const samples = new Map<string, Set<string>>();
    rows.forEach((row, index) => {
      const flags = flagsFor(rows, index, own);
      const value = (flag: string) => flags[flags.indexOf(`--${flag}`) + 1];
      for (const flag of flags.filter((f) => f.startsWith('--'))) expect(QUESTION_BY_FLAG.has(flag.slice(2)), flag).toBe(true);
      expect([value('task'), value('model'), value('installer'), value('python-version')]).toEqual([row.task, row.model, row.installer, row.python]);
      expect(value('extra-models')).toBe(EXTRA_MODEL_NAMES.join(','));
      for (const installer of STATIC_INSTALLERS) {
        const twin = withInstaller(flags, installer);
        expect(twin).toHaveLength(flags.length);
        expect(twin[twin.indexOf('--installer') + 1]).toBe(installer);
        expect(twin.filter((flag, i) => flag !== flags[i])).toEqual([installer]);
      }
      expect(value('exports')).toBe(members(row, EXPORT_PREFIX).join(',') || 'none');
      expect(value('add')).toBe(members(row, ADDON_PREFIX).join(',') || 'none');
      if (row.data === 'sample') {
        expect(datasetsFor(row.task as Task)).toContain(value('dataset'));
        samples.set(row.task!, (samples.get(row.task!) ?? new Set()).add(value('dataset')!));
      } else {
        expect([value('dataset'), value('data-path'), value('target')]).toEqual(['csv', own.files[row.data as 'csv'], own.target[row.task as Task]]);
      }
    });
    // Each task's bundled samples are taken in turn: as many distinct ones as its sample rows allow.
    for (const task of TASKS) {
      const sampleRows = rows.filter((row) => row.task === task && row.data === 'sample').length;
      const bundled = datasetsFor(task).length - 1;
      expect(samples.get(task)?.size ?? 0).toBe(Math.min(sampleRows, bundled));
    }
  });

  it('names a row in one line', () => {
    const row: Row = Object.fromEntries(FACTORS.map((f) => [f.name, f.values[0]!]));
    row[`${EXPORT_PREFIX}onnx`] = ON;
    expect(members(row, EXPORT_PREFIX)).toEqual(['onnx']);
    expect(describeRow(row)).toBe(`${TASKS[0]} sample ${MODEL_NAMES[0]} ${INSTALLERS[0]} ${PYTHON_VERSIONS[0]} exports=onnx add=none`);
  });
});
