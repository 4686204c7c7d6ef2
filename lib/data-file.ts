/**
 * What the generator learns from the user's data file before writing anything: that it is a table the
 * pipeline can read (a UTF-8 CSV with a header, or a Parquet file with a valid footer), its columns (the
 * target is picked among them), its first row (the README's curl example) and whether the target has at
 * least two values. The generated project's data step re-validates the whole file at run time.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';

/** A header is read in pieces of this size, up to HEADER_LIMIT (a wide table has a long header). */
const HEAD_CHUNK = 64 * 1024;
const HEADER_LIMIT = 16 * 1024 * 1024;
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

/** Why a file cannot be opened, in words; undefined when it can. */
export function unreadable(path: string): string | undefined {
  try {
    closeSync(openSync(path, 'r'));
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? (error as Error).message);
  }
}

const columnsCache = new Map<string, string[] | undefined>();

/**
 * Column names: a CSV's header row, or a Parquet file's top-level schema (without pandas' index).
 * Undefined when the file cannot be read as such (checkDataFile says why).
 */
export function readColumns(path: string): string[] | undefined {
  if (columnsCache.has(path)) return columnsCache.get(path);
  let columns: string[] | undefined;
  try {
    const kind = dataKind(path);
    if (kind === 'csv') columns = readCsvHead(path).header;
    else if (kind === 'parquet') columns = parquetColumns(path);
  } catch {
    columns = undefined;
  }
  columnsCache.set(path, columns);
  return columns;
}

function readBytes(path: string, position: number | 'tail', length: number): { bytes: Buffer; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = position === 'tail' ? Math.max(size - length, 0) : position;
    const count = Math.max(Math.min(length, size - start), 0);
    const bytes = Buffer.alloc(count);
    readSync(fd, bytes, 0, count, start);
    return { bytes, size };
  } finally {
    closeSync(fd);
  }
}

interface CsvHead {
  /** The header record; empty for an empty file. */
  header: string[];
  /** The first data record, when it is within what was read. */
  firstRow?: string[];
  /** The header ended inside a quoted field (an unterminated quote). */
  unterminated: boolean;
  utf8: boolean;
}

/** The header (however long) and first data row of a CSV file, read in pieces as far as needed. */
function readCsvHead(path: string): CsvHead {
  const records: string[][] = [];
  const parser = new CsvParser((record) => records.push(record) < 2);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let utf8 = true;
  let offset = 0;
  for (;;) {
    const { bytes, size } = readBytes(path, offset, HEAD_CHUNK);
    const last = offset + bytes.length >= size;
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: !last });
    } catch {
      utf8 = false;
      text = bytes.toString('utf8');
    }
    parser.feed(offset === 0 ? text.replace(/^\uFEFF/, '') : text);
    offset += bytes.length;
    if (last) {
      const unterminated = parser.inQuotes;
      if (!unterminated) parser.end();
      return { header: headerOf(records[0]), firstRow: records[1], unterminated: unterminated && records.length === 0, utf8 };
    }
    if (parser.done || !utf8 || offset >= HEADER_LIMIT) {
      const unterminated = records.length === 0 && parser.inQuotes;
      return { header: headerOf(records[0]), firstRow: records[1], unterminated, utf8 };
    }
  }
}

const headerOf = (record: string[] | undefined): string[] => (!record || (record.length === 1 && record[0] === '') ? [] : record);

function parquetMetadataOf(path: string): ReturnType<typeof import('hyparquet').parquetMetadata> {
  const { bytes: tail, size } = readBytes(path, 'tail', 8);
  if (size < 12 || tail.subarray(4).toString('latin1') !== PARQUET_MAGIC) {
    throw new Error('it does not end with the Parquet marker (PAR1)');
  }
  const { bytes: head } = readBytes(path, 0, 4);
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
  const denied = unreadable(path);
  if (denied) return `"${shown}" cannot be read (${denied}): check its permissions, or copy it somewhere readable.`;
  if (dataKind(path) === 'parquet') {
    try {
      parquetMetadataOf(path);
    } catch (error) {
      return `"${shown}" is not a readable Parquet file (${(error as Error).message}); export it again, or use a CSV file.`;
    }
    const columns = readColumns(path) ?? [];
    if (columns.length < 2) return `"${shown}" has ${columns.length} column(s): expected at least a feature and a target.`;
    return true;
  }
  const { header: columns, unterminated, utf8 } = readCsvHead(path);
  if (!utf8) return `"${shown}" is not UTF-8 text (e.g. Latin-1 or UTF-16): save it as UTF-8 CSV and pass it again.`;
  if (unterminated) return `The header of "${shown}" has a quote that is never closed: fix the first line.`;
  if (columns.length === 0) return `"${shown}" is empty: expected a header row of column names, then data rows.`;
  if (columns.length < 2) {
    return `"${shown}" has a single column ("${columns[0]}"): expected comma-separated columns with a header row.`;
  }
  if (columns.every((name) => name.trim() !== '' && !Number.isNaN(Number(name)))) {
    return `The first line of "${shown}" is numbers, not column names: add a header row.`;
  }
  const unnamed = columns.findIndex((name) => name.trim() === '');
  if (unnamed >= 0) return `Column ${unnamed + 1} of "${shown}" has no name: give every column a name in the header.`;
  const duplicate = columns.find((name, i) => columns.indexOf(name) !== i);
  if (duplicate !== undefined) return `"${shown}" has two columns named "${duplicate}": give every column its own name.`;
  return true;
}

/**
 * Incremental RFC 4180 parser (quoted fields, doubled quotes, line breaks inside quotes): feed it text
 * in pieces, and it calls `onRecord` for every complete record; `end()` flushes a last record that has
 * no line break. `onRecord` returns false to stop. Unquoted runs are sliced whole, not read character by
 * character, so a large file is scanned at disk speed.
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

  /** Whether the text so far ends inside a quoted field. */
  get inQuotes(): boolean {
    return this.quoted && !this.pendingQuote;
  }

  feed(text: string): void {
    let i = 0;
    const n = text.length;
    while (i < n && !this.stopped) {
      if (this.pendingCr) {
        this.pendingCr = false;
        if (text[i] === '\n') i++;
        continue;
      }
      if (this.pendingQuote) {
        // A quote ended the previous piece: doubled (an escaped quote) or the end of the quoted field.
        this.pendingQuote = false;
        if (text[i] === '"') {
          this.field += '"';
          i++;
          continue;
        }
        this.quoted = false;
      }
      if (this.quoted) {
        const quote = text.indexOf('"', i);
        if (quote < 0) {
          this.field += text.slice(i);
          return;
        }
        this.field += text.slice(i, quote);
        if (quote + 1 === n) this.pendingQuote = true;
        else if (text[quote + 1] === '"') this.field += '"';
        else this.quoted = false;
        i = quote + (text[quote + 1] === '"' ? 2 : 1);
        continue;
      }
      SPECIAL.lastIndex = i;
      const match = SPECIAL.exec(text);
      const at = match ? match.index : n;
      this.field += text.slice(i, at);
      if (!match) return;
      const ch = match[0];
      i = at + 1;
      if (ch === '"') this.quoted = true;
      else if (ch === ',') {
        this.record.push(this.field);
        this.field = '';
      } else {
        this.pendingCr = ch === '\r';
        this.emit();
      }
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

const SPECIAL = /[",\r\n]/g;

/** Parses the first record of CSV text. */
export function parseCsvHeader(text: string): string[] {
  return headerOf(parseCsvRecords(text, 1)[0]);
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
    const columns = new Set(readColumns(path) ?? []);
    if (dataKind(path) === 'parquet') {
      await prepareDataFile(path);
      const { asyncBufferFromFile, parquetReadObjects } = parquet();
      const file = await asyncBufferFromFile(path);
      const [row] = (await parquetReadObjects({ file, rowStart: 0, rowEnd: 1 })) as Array<Record<string, unknown>>;
      if (!row) return undefined;
      const instance: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(row)) {
        if (column !== target && columns.has(column)) instance[column] = jsonSafe(value);
      }
      return instance;
    }
    const { header, firstRow } = readCsvHead(path);
    if (!firstRow || firstRow.length !== header.length) return undefined;
    const instance: Record<string, unknown> = {};
    header.forEach((column, i) => {
      if (column !== target) instance[column] = jsonValue(firstRow[i]!);
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

/** A target value as the pipeline will see it: "1" and "1.0" are one class, as pandas reads them. */
function normalized(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (text === '') return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? String(number) : text;
}

/** Up to two distinct non-empty values of the target column; see targetValues. */
class Distinct {
  readonly seen = new Set<string>();
  add(value: unknown): boolean {
    const key = normalized(value);
    if (key !== undefined) this.seen.add(key);
    return this.seen.size < 2;
  }
  get values(): string[] {
    return [...this.seen];
  }
}

/**
 * The distinct non-empty values of the target column, up to two: one value means a classifier has
 * nothing to learn (one class) and a regressor only a constant. A Parquet file answers from its
 * row-group statistics where it has them; otherwise the scan stops at the second value, so a normal file
 * is barely read.
 */
export async function targetValues(path: string, target: string): Promise<string[]> {
  const distinct = new Distinct();
  if (dataKind(path) === 'parquet') {
    await prepareDataFile(path);
    await parquetTargetValues(path, target, distinct);
    return distinct.values;
  }
  let index = -1;
  let header = true;
  const parser = new CsvParser((record) => {
    if (header) {
      header = false;
      index = record.indexOf(target);
      return index >= 0;
    }
    return distinct.add(record[index]);
  });
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
  let first = true;
  for await (const chunk of stream) {
    parser.feed(first ? (chunk as string).replace(/^\uFEFF/, '') : (chunk as string));
    first = false;
    if (parser.done) break;
  }
  stream.destroy();
  parser.end();
  return distinct.values;
}

async function parquetTargetValues(path: string, target: string, distinct: Distinct): Promise<void> {
  const metadata = parquetMetadataOf(path);
  const unscanned: Array<[number, number]> = [];
  let start = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    const chunk = group.columns.find((c) => c.meta_data?.path_in_schema[0] === target)?.meta_data;
    const stats = chunk?.statistics;
    const exact = stats?.is_min_value_exact !== false && stats?.is_max_value_exact !== false;
    const nulls = stats?.null_count === undefined ? undefined : Number(stats.null_count);
    if (stats && exact && stats.min_value !== undefined && stats.max_value !== undefined) {
      distinct.add(stats.min_value);
      if (!distinct.add(stats.max_value)) return;
    } else if (!(nulls !== undefined && nulls === rows)) {
      unscanned.push([start, start + rows]);
    }
    start += rows;
  }
  const { asyncBufferFromFile, parquetReadObjects } = parquet();
  const file = await asyncBufferFromFile(path);
  for (const [rowStart, rowEnd] of unscanned) {
    const rows = (await parquetReadObjects({ file, metadata, columns: [target], rowStart, rowEnd })) as Array<Record<string, unknown>>;
    for (const row of rows) if (!distinct.add(row[target])) return;
  }
}

/**
 * Why `target` cannot be learned from the file, in words for the user; undefined when it can: an empty
 * column, a single class (or a constant), or text where a regression needs numbers.
 */
export async function targetProblem(path: string, target: string, task: string): Promise<string | undefined> {
  const values = await targetValues(path, target);
  const name = path.split(/[\\/]/).pop();
  if (values.length === 0) return `Column "${target}" is empty in ${name}: choose the column to predict.`;
  if (values.length === 1) {
    const what = task === 'classification' ? `has one class only ("${values[0]}")` : `has a single value (${values[0]})`;
    return (
      `Column "${target}" ${what} in ${name}: a model needs at least two different values to learn. ` +
      'Choose another target column, or add rows of the other classes.'
    );
  }
  const text = values.find((value) => !Number.isFinite(Number(value)));
  if (task === 'regression' && text !== undefined) {
    return `Column "${target}" holds text ("${text}") in ${name}, but regression predicts a number: choose --task classification, or a numeric target.`;
  }
  return undefined;
}
