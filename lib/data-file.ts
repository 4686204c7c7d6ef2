/**
 * What the generator learns from the user's data file before writing anything: that it is a table the
 * pipeline can read (a CSV with a header, or a Parquet file with a valid footer), its columns (the target
 * is picked among them), its first row (the README's curl example) and whether the target has at least
 * two values. The generated project's data step re-validates the whole file at run time.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';

const HEADER_BYTES = 64 * 1024;
const PARQUET_MAGIC = 'PAR1';
/** Columns pandas writes for a saved index; read_parquet turns them back into the index. */
const PANDAS_INDEX = /^__index_level_\d+__$/;

export type DataKind = 'csv' | 'parquet';

export function dataKind(path: string): DataKind | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.parquet')) return 'parquet';
  return undefined;
}

const columnsCache = new Map<string, string[] | undefined>();

/**
 * Column names: a CSV's header row, or a Parquet file's top-level schema. Undefined when the file cannot
 * be read as such (checkDataFile says why). Only the head of a CSV and the footer of a Parquet file are read.
 */
export function readColumns(path: string): string[] | undefined {
  if (columnsCache.has(path)) return columnsCache.get(path);
  let columns: string[] | undefined;
  try {
    const kind = dataKind(path);
    if (kind === 'csv') columns = parseCsvHeader(readHead(path).text);
    else if (kind === 'parquet') columns = parquetColumns(path);
  } catch {
    columns = undefined;
  }
  columnsCache.set(path, columns);
  return columns;
}

function readBytes(path: string, position: 'head' | 'tail', length: number): { bytes: Buffer; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const count = Math.min(length, size);
    const bytes = Buffer.alloc(count);
    readSync(fd, bytes, 0, count, position === 'head' ? 0 : size - count);
    return { bytes, size };
  } finally {
    closeSync(fd);
  }
}

/** The first 64 KiB as text (without a byte-order mark), and whether that is the whole file. */
function readHead(path: string): { text: string; whole: boolean; utf8: boolean } {
  const { bytes, size } = readBytes(path, 'head', HEADER_BYTES);
  let utf8 = true;
  try {
    // A multi-byte character cut at the 64 KiB boundary is not an encoding error.
    new TextDecoder('utf-8', { fatal: true }).decode(size > bytes.length ? bytes.subarray(0, -4) : bytes);
  } catch {
    utf8 = false;
  }
  return { text: bytes.toString('utf8').replace(/^\uFEFF/, ''), whole: size <= bytes.length, utf8 };
}

function parquetMetadataOf(path: string): ReturnType<typeof import('hyparquet').parquetMetadata> {
  const { bytes: tail, size } = readBytes(path, 'tail', 8);
  if (size < 12 || tail.subarray(4).toString('latin1') !== PARQUET_MAGIC) {
    throw new Error('it does not end with the Parquet marker (PAR1)');
  }
  const { bytes: head } = readBytes(path, 'head', 4);
  if (head.toString('latin1') !== PARQUET_MAGIC) throw new Error('it does not start with the Parquet marker (PAR1)');
  const footerLength = tail.readUInt32LE(0);
  if (footerLength > size - 12) throw new Error('its footer length is larger than the file');
  const { bytes: footer } = readBytes(path, 'tail', footerLength + 8);
  return parquet().parquetMetadata(new Uint8Array(footer));
}

/** Columns pandas stored as the index (read_parquet restores them as the index, not as columns). */
function pandasIndexColumns(metadata: ReturnType<typeof parquetMetadataOf>): string[] {
  const entry = metadata.key_value_metadata?.find((kv) => kv.key === 'pandas');
  try {
    const index = (JSON.parse(entry?.value ?? '{}') as { index_columns?: unknown[] }).index_columns ?? [];
    return index.filter((column): column is string => typeof column === 'string');
  } catch {
    return [];
  }
}

function parquetColumns(path: string): string[] {
  const metadata = parquetMetadataOf(path);
  const index = new Set(pandasIndexColumns(metadata));
  return parquet()
    .parquetSchema(metadata)
    .children.map((child) => child.element.name)
    .filter((name) => !PANDAS_INDEX.test(name) && !index.has(name));
}

/** hyparquet, loaded only for Parquet files (most runs never need it). */
let hyparquet: typeof import('hyparquet') | undefined;
function parquet(): typeof import('hyparquet') {
  if (!hyparquet) throw new Error('hyparquet not loaded');
  return hyparquet;
}

/** Loads the Parquet reader when `path` is a Parquet file; call before the sync functions above. */
export async function prepareDataFile(path: string): Promise<void> {
  if (dataKind(path) === 'parquet' && !hyparquet) hyparquet = await import('hyparquet');
}

/**
 * Why the file cannot be the project's data, or true. `shown` is how the user wrote the path. The file
 * is known to exist and to end in .csv or .parquet.
 */
export function checkDataFile(path: string, shown: string): true | string {
  const kind = dataKind(path);
  if (kind === 'parquet') {
    try {
      parquetMetadataOf(path);
    } catch (error) {
      return `"${shown}" is not a readable Parquet file (${(error as Error).message}); export it again, or use a CSV file.`;
    }
    const columns = readColumns(path) ?? [];
    if (columns.length < 2) return `"${shown}" has ${columns.length} column(s): expected at least a feature and a target.`;
    return true;
  }
  const { text, utf8 } = readHead(path);
  if (!utf8) {
    return `"${shown}" is not UTF-8 text (e.g. Latin-1 or UTF-16): save it as UTF-8 CSV and pass it again.`;
  }
  const columns = parseCsvHeader(text);
  if (columns.length === 0) return `"${shown}" is empty: expected a header row of column names, then data rows.`;
  if (columns.length < 2) {
    return `"${shown}" has a single column ("${columns[0]}"): expected comma-separated columns with a header row.`;
  }
  if (columns.every((name) => name.trim() !== '' && !Number.isNaN(Number(name)))) {
    return `The first line of "${shown}" is numbers, not column names: add a header row.`;
  }
  const duplicate = columns.find((name, i) => columns.indexOf(name) !== i);
  if (duplicate !== undefined) return `"${shown}" has two columns named "${duplicate}": give every column its own name.`;
  return true;
}

/** Parses the first record of RFC 4180 CSV text. */
export function parseCsvHeader(text: string): string[] {
  const [header = []] = parseCsvRecords(text, 1);
  return header.length === 1 && header[0] === '' ? [] : header;
}

/**
 * Incremental RFC 4180 parser (quoted fields, doubled quotes, line breaks inside quotes): feed it text
 * in pieces, and it calls `onRecord` for every complete record; `end()` flushes a last record that has
 * no line break. `onRecord` returns false to stop.
 */
export class CsvParser {
  private record: string[] = [];
  private field = '';
  private quoted = false;
  private pendingCr = false;
  private pendingQuote = false;
  private stopped = false;

  constructor(private readonly onRecord: (record: string[]) => boolean | void) {}

  get done(): boolean {
    return this.stopped;
  }

  feed(text: string): void {
    for (let i = 0; i < text.length && !this.stopped; i++) {
      const ch = text[i];
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === '\n') continue;
      }
      if (this.pendingQuote) {
        // A quote ended the previous piece: doubled (an escaped quote) or the end of the quoted field.
        this.pendingQuote = false;
        if (ch === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
      }
      if (this.quoted) {
        if (ch !== '"') this.field += ch;
        else if (i + 1 === text.length) this.pendingQuote = true;
        else if (text[i + 1] === '"') {
          this.field += '"';
          i++;
        } else this.quoted = false;
      } else if (ch === '"') this.quoted = true;
      else if (ch === ',') {
        this.record.push(this.field);
        this.field = '';
      } else if (ch === '\n' || ch === '\r') {
        this.pendingCr = ch === '\r';
        this.emit();
      } else this.field += ch;
    }
  }

  end(): void {
    this.pendingQuote = false;
    if (!this.stopped && (this.field !== '' || this.record.length > 0)) this.emit();
  }

  private emit(): void {
    this.record.push(this.field);
    const record = this.record;
    this.record = [];
    this.field = '';
    if (this.onRecord(record) === false) this.stopped = true;
  }
}

/**
 * Parses up to `limit` records of CSV text. Pass `complete: false` when the text is only the head of a
 * file, so that a record cut off there is left out.
 */
export function parseCsvRecords(text: string, limit: number, complete = true): string[][] {
  const records: string[][] = [];
  const parser = new CsvParser((record) => records.push(record) < limit);
  parser.feed(text);
  if (complete || records.length === 0) parser.end();
  return records.slice(0, limit);
}

/**
 * The first data row as a JSON object without the target: numbers as numbers, true/false as booleans,
 * empty cells as null. The README's curl example sends it, so that it runs as printed.
 */
export async function exampleInstance(path: string, target: string): Promise<Record<string, unknown> | undefined> {
  try {
    if (dataKind(path) === 'parquet') {
      await prepareDataFile(path);
      const [row] = await parquetRows(path, undefined, 1);
      if (!row) return undefined;
      const instance: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(row)) {
        if (column !== target && !PANDAS_INDEX.test(column)) instance[column] = jsonSafe(value);
      }
      return instance;
    }
    const head = readHead(path);
    const [header, row] = parseCsvRecords(head.text, 2, head.whole);
    if (!header || !row || row.length !== header.length) return undefined;
    const instance: Record<string, unknown> = {};
    header.forEach((column, i) => {
      if (column !== target) instance[column] = jsonValue(row[i]!);
    });
    return instance;
  } catch {
    return undefined;
  }
}

function jsonValue(cell: string): unknown {
  const trimmed = cell.trim();
  if (trimmed === '') return null;
  if (/^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : cell;
}

function jsonSafe(value: unknown): unknown {
  if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

async function parquetRows(path: string, columns: string[] | undefined, rows: number): Promise<Array<Record<string, unknown>>> {
  const { asyncBufferFromFile, parquetReadObjects } = parquet();
  const file = await asyncBufferFromFile(path);
  return (await parquetReadObjects({ file, columns, rowStart: 0, rowEnd: rows })) as Array<Record<string, unknown>>;
}

/** How many distinct non-empty target values are needed before the scan stops. */
const ENOUGH_VALUES = 2;

/**
 * The distinct non-empty values of the target column, up to two: one value means a classifier has
 * nothing to learn (one class) and a regressor only a constant. The scan stops at the second value,
 * so a normal file is barely read.
 */
export async function targetValues(path: string, target: string): Promise<string[]> {
  const seen = new Set<string>();
  const add = (value: unknown): boolean => {
    if (value !== null && value !== undefined && String(value).trim() !== '') seen.add(String(value).trim());
    return seen.size < ENOUGH_VALUES;
  };
  if (dataKind(path) === 'parquet') {
    await prepareDataFile(path);
    const { asyncBufferFromFile, parquetRead } = parquet();
    const file = await asyncBufferFromFile(path);
    await parquetRead({
      file,
      columns: [target],
      rowFormat: 'object',
      onComplete: (rows: unknown[]) => {
        for (const row of rows) if (!add((row as Record<string, unknown>)[target])) break;
      },
    });
    return [...seen];
  }
  let index = -1;
  let header = true;
  const parser = new CsvParser((record) => {
    if (header) {
      header = false;
      index = record.indexOf(target);
      return index >= 0;
    }
    return add(record[index]);
  });
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  let first = true;
  for await (const chunk of stream) {
    parser.feed(first ? (chunk as string).replace(/^\uFEFF/, '') : (chunk as string));
    first = false;
    if (parser.done) break;
  }
  stream.destroy();
  parser.end();
  return [...seen];
}
