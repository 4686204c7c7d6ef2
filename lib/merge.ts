/**
 * The three-way merge of a file the user edited: base = what the generator wrote last, ours = the file
 * on disk, theirs = what the generator writes now. Line by line, with node-diff3 (the diff3 algorithm
 * of GNU diffutils), so changes on different lines merge and changes to the same lines are conflicts,
 * written between git-style markers. Only text merges: a file with a NUL byte, invalid UTF-8 or over
 * MAX_MERGE_BYTES is left to the user (a conflict, as without a base).
 */

/** Larger files are not merged: the line diff's cost grows with the square of their length. */
export const MAX_MERGE_BYTES = 1024 * 1024;

/** The marker lines, as git writes them; `ours` and `theirs` say which side is which. */
export const MARKERS = { ours: '<<<<<<<', separator: '=======', theirs: '>>>>>>>' } as const;

export interface MergeLabels {
  ours: string;
  theirs: string;
}

export interface Merged {
  content: Buffer;
  /** Conflicting regions (0: a clean merge). */
  conflicts: number;
}

/** Whether `content` can take part in a line merge: UTF-8 text without NUL bytes, not too large. */
export function isMergeable(content: Buffer): boolean {
  if (content.length > MAX_MERGE_BYTES || content.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}

/** Whether the text holds a whole conflict block left by an earlier merge (not yet resolved). */
export function hasConflictMarkers(text: string): boolean {
  return new RegExp(`^${MARKERS.ours} [^\\n]*\\n[\\s\\S]*?^${MARKERS.separator}\\r?\\n[\\s\\S]*?^${MARKERS.theirs}`, 'm').test(text);
}

/** Lines with their line ends kept, so that a merge gives back the exact bytes of unchanged lines. */
function lines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** True when every line end is CRLF (and there is at least one). */
function usesCrlf(text: string): boolean {
  const lf = text.split('\n').length - 1;
  return lf > 0 && text.split('\r\n').length - 1 === lf;
}

/** A block of lines between markers: its last line ends with a line end, so the marker starts a line. */
function block(contents: string[], eol: string): string {
  const text = contents.join('');
  return text === '' || text.endsWith('\n') ? text : text + eol;
}

/**
 * Merges ours and theirs from base. Ours in CRLF over an LF base (an editor on Windows) is merged on
 * LF and given back in CRLF, so that the line ends alone are not a conflict. Changes on adjacent
 * lines conflict, as in git: that is also what keeps a line merge of pretty-printed JSON (a notebook)
 * valid, since a comma changes on the line next to the item added or removed.
 */
export async function merge3(base: Buffer, ours: Buffer, theirs: Buffer, labels: MergeLabels): Promise<Merged> {
  // Loaded only when a file is merged: a new project, or an update of untouched files, does without it.
  const { diff3Merge } = await import('node-diff3');
  let oursText = ours.toString('utf8');
  const baseText = base.toString('utf8');
  const theirsText = theirs.toString('utf8');
  const crlf = usesCrlf(oursText) && !baseText.includes('\r\n');
  if (crlf) oursText = oursText.replace(/\r\n/g, '\n');
  const eol = '\n';
  let conflicts = 0;
  let text = '';
  for (const region of diff3Merge(lines(oursText), lines(baseText), lines(theirsText), { excludeFalseConflicts: true })) {
    if (region.ok) {
      text += region.ok.join('');
      continue;
    }
    conflicts += 1;
    const { a, b } = region.conflict!;
    text = block([text], eol);
    text +=
      `${MARKERS.ours} ${labels.ours}${eol}${block(a, eol)}${MARKERS.separator}${eol}` +
      `${block(b, eol)}${MARKERS.theirs} ${labels.theirs}${eol}`;
  }
  if (crlf) text = text.replace(/\n/g, '\r\n');
  return { content: Buffer.from(text, 'utf8'), conflicts };
}
