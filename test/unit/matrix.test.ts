import { describe, expect, it } from 'vitest';
import { ADDONS, datasetsFor, MODEL_NAMES, TASKS, type Task } from '../../lib/catalog.js';
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
  type Constraint,
  type Factor,
  type Row,
} from '../matrix.js';

/**
 * The proof, independent of the generator's own bookkeeping: for every two factors and every two of
 * their values, some row holds both, or no full row holding both escapes every constraint (checked
 * by enumerating every full row that holds them).
 */
function checkAllPairs(rows: readonly Row[], factors: readonly Factor[], constraints: readonly Constraint[]): void {
  for (const row of rows) {
    expect(Object.keys(row).sort()).toEqual(factors.map((f) => f.name).sort());
    for (const factor of factors) expect(factor.values).toContain(row[factor.name]);
    expect(broken(row, constraints), describeRow(row)).toBeUndefined();
  }
  factors.forEach((first, i) => {
    for (const second of factors.slice(i + 1)) {
      for (const a of first.values) {
        for (const b of second.values) {
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
  const matrix = allPairs(FACTORS, CONSTRAINTS);

  it('derives its factors from the question table and the catalog', () => {
    const values = (name: string) => FACTORS.find((f) => f.name === name)?.values;
    expect(values('task')).toEqual(TASKS);
    expect(values('model')).toEqual(MODEL_NAMES);
    expect(values('installer')).toEqual(INSTALLERS);
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

  it('covers every pair of values of every two factors that a row may hold, and no row breaks a constraint', () => {
    const { rows } = matrix;
    checkAllPairs(rows, FACTORS, CONSTRAINTS);
    expect(uncoveredPairs(rows, FACTORS, CONSTRAINTS)).toEqual([]);
    // No fewer rows than the two largest factors' values multiplied.
    const sizes = FACTORS.map((f) => f.values.length).sort((a, b) => b - a);
    expect(rows.length).toBeGreaterThanOrEqual(sizes[0]! * sizes[1]!);
    // Far fewer than every combination.
    expect(rows.length).toBeLessThan(sizes[0]! * sizes[1]! * 2);
  });

  it('leaves out the pairs a constraint forbids, and only those', () => {
    const pmml = `${EXPORT_PREFIX}pmml`;
    const { rows } = matrix;
    expect(rows.some((row) => row[pmml] === ON && row.data !== 'sample')).toBe(false);
    expect(rows.some((row) => row[pmml] === ON && row.data === 'sample')).toBe(true);
    const forbidden = requiredPairs(FACTORS, []).length - requiredPairs(FACTORS, CONSTRAINTS).length;
    expect(forbidden).toBe(2); // pmml on with csv, pmml on with parquet
  });

  it('grows by itself when the tables do: a new installer, model or add-on is paired with everything', () => {
    const grown = FACTORS.map((f) =>
      f.name === 'installer' ? { ...f, values: [...f.values, 'conda'] } : f.name === 'model' ? { ...f, values: [...f.values, 'xgboost'] } : f,
    );
    const factors = [...grown, { name: `${ADDON_PREFIX}new`, values: [OFF, ON] }];
    const { rows } = allPairs(factors, CONSTRAINTS);
    checkAllPairs(rows, factors, CONSTRAINTS);
    expect(rows.filter((row) => row.installer === 'conda').map((row) => row.model).sort()).toEqual(
      expect.arrayContaining(['xgboost', ...MODEL_NAMES].sort()),
    );
  });

  it('counts seed rows (proven elsewhere) as covered, and refuses one that breaks a constraint', () => {
    const plain = matrix.rows;
    const seeds = plain.slice(0, 4);
    const { seeds: kept, rows } = allPairs(FACTORS, CONSTRAINTS, seeds);
    expect(kept).toEqual(seeds);
    checkAllPairs([...seeds, ...rows], FACTORS, CONSTRAINTS);
    expect(uncoveredPairs(rows, FACTORS, CONSTRAINTS).length).toBeGreaterThan(0);
    const bad = { ...plain[0]!, data: 'csv', [`${EXPORT_PREFIX}pmml`]: ON };
    expect(() => allPairs(FACTORS, CONSTRAINTS, [bad])).toThrow(/breaks a constraint/);
  });

  it('is deterministic', () => {
    expect(allPairs(FACTORS, CONSTRAINTS)).toEqual(matrix);
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
