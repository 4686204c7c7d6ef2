import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleInstance, parseCsvHeader, parseCsvRecords, readColumns } from '../../lib/data-file.js';
import { tempDir } from '../helpers.js';

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
  it('gives the first row as a typed JSON instance without the target', () => {
    const path = join(tempDir(), 'data.csv');
    writeFileSync(path, "id,age,plan,member,city,churned\nC1,42,\"basic, old\",true,,yes\nC2,1,x,false,Lyon,no\n");
    expect(readColumns(path)).toEqual(['id', 'age', 'plan', 'member', 'city', 'churned']);
    expect(exampleInstance(path, 'churned')).toEqual({ id: 'C1', age: 42, plan: 'basic, old', member: true, city: null });
    expect(exampleInstance(path.replace('.csv', '.parquet'), 'churned')).toBeUndefined();
  });
});
