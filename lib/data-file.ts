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
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
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
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      break;
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields.length === 1 && fields[0] === '' ? [] : fields;
}
