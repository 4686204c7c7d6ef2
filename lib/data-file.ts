import { closeSync, openSync, readSync } from 'node:fs';

const HEADER_BYTES = 64 * 1024;
const cache = new Map<string, string[] | undefined>();

/**
 * Column names of a CSV file's header row, or undefined when they cannot be known here (a Parquet
 * file, an unreadable file). Only the first 64 KiB are read: enough for any header, cheap for a large
 * file. The generated project's data step re-validates the full file at run time.
 */
export function readColumns(path: string): string[] | undefined {
  if (cache.has(path)) return cache.get(path);
  let columns: string[] | undefined;
  if (path.toLowerCase().endsWith('.csv')) {
    try {
      columns = parseCsvHeader(readHead(path));
    } catch {
      columns = undefined;
    }
  }
  cache.set(path, columns);
  return columns;
}

function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const read = readSync(fd, buffer, 0, HEADER_BYTES, 0);
    return buffer.subarray(0, read).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

/** Parses the first record of RFC 4180 CSV text (quoted fields, doubled quotes, newlines in quotes). */
export function parseCsvHeader(text: string): string[] {
  const [header = []] = parseCsvRecords(text, 1);
  return header.length === 1 && header[0] === '' ? [] : header;
}

/**
 * Parses up to `limit` records of RFC 4180 CSV text (quoted fields, doubled quotes, newlines in
 * quotes). The last record may lack its line break; pass `complete: false` when the text is only the
 * head of a file, so that a record cut off there is left out.
 */
export function parseCsvRecords(text: string, limit: number, complete = true): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length && records.length < limit; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += ch;
    }
  }
  const pending = field !== '' || record.length > 0;
  if (records.length < limit && pending && (complete || records.length === 0)) records.push([...record, field]);
  return records;
}

/**
 * The first data row of a CSV file as a JSON object without the target: numbers as numbers,
 * true/false as booleans, empty cells as null. Used for the generated README's curl example, so
 * that it runs as printed. Undefined for a Parquet file or a CSV without a data row.
 */
export function exampleInstance(path: string, target: string): Record<string, unknown> | undefined {
  if (!path.toLowerCase().endsWith('.csv')) return undefined;
  let records: string[][];
  try {
    const head = readHead(path);
    records = parseCsvRecords(head, 2, Buffer.byteLength(head) < HEADER_BYTES);
  } catch {
    return undefined;
  }
  const [header, row] = records;
  if (!header || !row || row.length !== header.length) return undefined;
  const instance: Record<string, unknown> = {};
  header.forEach((column, i) => {
    if (column !== target) instance[column] = jsonValue(row[i]!);
  });
  return instance;
}

function jsonValue(cell: string): unknown {
  const trimmed = cell.trim();
  if (trimmed === '') return null;
  if (/^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : cell;
}
