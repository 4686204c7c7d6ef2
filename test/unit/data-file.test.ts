import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkDataFile,
  CsvParser,
  exampleInstance,
  parseCsvHeader,
  parseCsvRecords,
  prepareDataFile,
  readColumns,
  targetValues,
} from '../../lib/data-file.js';
import { tempDir } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

describe('CSV reading', () => {
  it('parses quoted fields, doubled quotes, newlines in quotes and CRLF', () => {
    expect(parseCsvRecords('a,"b, c","d ""e"""\r\n1,"x\ny",3\r\n', 5)).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['1', 'x\ny', '3'],
    ]);
    expect(parseCsvHeader('only\n')).toEqual(['only']);
    expect(parseCsvHeader('')).toEqual([]);
  });
  it('leaves out a record cut off by the end of a partial read', () => {
    expect(parseCsvRecords('a,b\n1,2\n3,', 5, false)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsvRecords('a,b\n1,2\n3,4', 5)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });
  it('parses the same records whatever the chunks it is fed', () => {
    const text = 'a,"b\r\nc",d\r\n"x""y",2,\r\n3,4,5';
    const whole = parseCsvRecords(text, 10);
    for (let cut = 1; cut < text.length; cut++) {
      const records: string[][] = [];
      const parser = new CsvParser((record) => {
        records.push(record);
      });
      parser.feed(text.slice(0, cut));
      parser.feed(text.slice(cut));
      parser.end();
      expect(records, `cut at ${cut}`).toEqual(whole);
    }
  });
  it('gives the first row as a typed JSON instance without the target', async () => {
    const path = join(tempDir(), 'data.csv');
    writeFileSync(path, "id,age,plan,member,city,churned\nC1,42,\"basic, old\",true,,yes\nC2,1,x,false,Lyon,no\n");
    expect(readColumns(path)).toEqual(['id', 'age', 'plan', 'member', 'city', 'churned']);
    expect(await exampleInstance(path, 'churned')).toEqual({ id: 'C1', age: 42, plan: 'basic, old', member: true, city: null });
  });
  it('refuses text that is not UTF-8, naming the fix', () => {
    const path = join(tempDir(), 'latin1.csv');
    writeFileSync(path, Buffer.from('nom,ville\nZo\xeb,Orl\xe9ans\n', 'latin1'));
    expect(checkDataFile(path, 'latin1.csv')).toMatch(/not UTF-8 text .* save it as UTF-8/);
  });
  it('finds one class, and stops early when there are two', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'one.csv'), `x,y\n${'1,a\n'.repeat(1000)}2,\n`);
    expect(await targetValues(join(dir, 'one.csv'), 'y')).toEqual(['a']);
    writeFileSync(join(dir, 'two.csv'), `x,y\n1,a\n2,b\n${'3,c\n'.repeat(100000)}`);
    expect(await targetValues(join(dir, 'two.csv'), 'y')).toEqual(['a', 'b']);
  });
});

describe('Parquet reading', () => {
  it('reads the columns, the first row and the target values', async () => {
    const path = join(FIXTURES, 'customers.parquet');
    await prepareDataFile(path);
    expect(checkDataFile(path, 'customers.parquet')).toBe(true);
    expect(readColumns(path)).toEqual(['customer_id', 'age', 'plan', 'member', 'churned']);
    expect(await exampleInstance(path, 'churned')).toEqual({ customer_id: 'C1', age: 42, plan: 'basic', member: true });
    expect((await targetValues(path, 'churned')).sort()).toEqual(['no', 'yes']);
    expect(await targetValues(join(FIXTURES, 'one-class.parquet'), 'churned')).toEqual(['no']);
  });
  it('leaves out a column pandas saved as the index', async () => {
    const path = join(FIXTURES, 'indexed.parquet');
    await prepareDataFile(path);
    expect(readColumns(path)).toEqual(['age', 'plan', 'member', 'churned']);
  });
  it('refuses a corrupt or truncated file', async () => {
    const dir = tempDir();
    const truncated = join(dir, 'truncated.parquet');
    const bytes = readFileSync(join(FIXTURES, 'customers.parquet'));
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    await prepareDataFile(truncated);
    expect(checkDataFile(truncated, 'truncated.parquet')).toMatch(/not a readable Parquet file/);
    const csvInDisguise = join(dir, 'fake.parquet');
    writeFileSync(csvInDisguise, 'a,b\n1,2\n');
    expect(checkDataFile(csvInDisguise, 'fake.parquet')).toMatch(/not a readable Parquet file \(it does not end with the Parquet marker/);
    const garbledFooter = join(dir, 'garbled.parquet');
    copyFileSync(join(FIXTURES, 'customers.parquet'), garbledFooter);
    const garbled = readFileSync(garbledFooter);
    garbled.fill(7, garbled.length - 300, garbled.length - 8);
    writeFileSync(garbledFooter, garbled);
    expect(checkDataFile(garbledFooter, 'garbled.parquet')).toMatch(/not a readable Parquet file/);
  });
});
