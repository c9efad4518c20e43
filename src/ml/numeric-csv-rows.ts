/**
 * The inner loop of the all-numeric CSV reader (numeric-csv.ts): bytes to doubles, for one
 * range of whole lines. It imports only the chunked file reader, its line runs and the decimal parser, so a worker thread that
 * parses part of a file loads little else.
 */
import { scanDecimal } from '../core/decimal.js';
import { fileChunks } from '../core/file-chunks.js';
import { forEachLineRun } from '../core/line-runs.js';

const NEWLINE = 10;
const RETURN = 13;

/** Where parsed lines go: at most `cells` numbers, `width` to a line, into `data[firstCell ..]`, row-major. */
export interface RowsTarget {
  delimiter: number;
  width: number;
  data: Float64Array;
  firstCell: number;
  cells: number;
}

/**
 * Parses the lines in `bytes[start, end)` (whole lines of `width` plain decimal numbers split
 * by `delimiter`, each ending in `\n` or `\r\n`, the last one also at the end of the bytes)
 * into `data[firstCell ..]`, row-major, and returns how many numbers it wrote. Returns -1 as
 * soon as something else turns up (text, an empty cell, a space, a ragged line, a non-finite
 * number), or when the range holds more than `cells` numbers. Every value is the double
 * `Number()` gives for its text.
 */
export function parseNumericRows(bytes: Uint8Array, start: number, end: number, target: RowsTarget): number {
  const { delimiter, width, data, firstCell, cells } = target;
  let i = start;
  let cell = firstCell;
  const lastCell = firstCell + cells;
  let column = 0;
  while (i < end && cell < lastCell) {
    i = scanDecimal(bytes, i, end, data, cell);
    // No number here; a non-finite value is not a plain number either.
    if (i < 0 || !Number.isFinite(data[cell])) return -1;
    let c = i < end ? bytes[i] : -1;
    cell++;
    // After a number: the delimiter inside a line, the line end after its last cell.
    if (++column < width) {
      if (c !== delimiter) return -1;
      i++;
    } else {
      if (c === RETURN) c = bytes[++i];
      if (c !== NEWLINE && i < end) return -1;
      i++;
      column = 0;
    }
  }
  return i >= end ? cell - firstCell : -1;
}

/** Line ends in `bytes[start, end)`, counted with Buffer's native search. */
export function countLineEnds(bytes: Buffer, start: number, end: number): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE, start); at >= 0 && at < end; at = bytes.indexOf(NEWLINE, at + 1))
    count++;
  return count;
}

/**
 * {@link parseNumericRows} over bytes `[start, end)` of a file (whole lines), read chunk by
 * chunk through one reused buffer: a whole-file buffer would be fresh memory the size of the
 * file, which is slow to touch. Only a line split across chunks is copied.
 */
export async function parseNumericFileRange(
  path: string,
  start: number,
  end: number,
  target: RowsTarget,
): Promise<boolean> {
  const lastCell = target.firstCell + target.cells;
  let cell = target.firstCell;
  const rows = (bytes: Uint8Array, from: number, to: number): boolean => {
    const written = parseNumericRows(bytes, from, to, { ...target, firstCell: cell, cells: lastCell - cell });
    cell += written;
    return written >= 0;
  };
  return (await forEachLineRun(fileChunks(path, { start, end }), rows)) && cell === lastCell;
}
