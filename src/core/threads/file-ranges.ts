/**
 * Cutting a file into ranges of whole lines, for readers that parse one file on several
 * threads (edge lists, numeric CSV): every range but the first starts just after a line end,
 * so each thread parses whole lines and the ranges, appended in order, are the file.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { fileChunks } from '../file-chunks.js';

const NEWLINE = 10;

/** Options of {@link lineRanges}. */
export interface LineRangeOptions {
  /** Where the first range starts (default 0: a header can be left out this way). */
  start?: number;
  /** Where the last range ends (default: the size of the file). */
  end: number;
  /**
   * How much larger than the others the first range is (default 1). A reader whose calling
   * thread parses the first range while workers start gives it more.
   */
  firstWeight?: number;
}

/**
 * `parts + 1` offsets cutting bytes `start .. end` of `path` into `parts` ranges, each about
 * the same size (the first `firstWeight` times that), each after the first starting at the
 * first line that starts at or after its cut. Ranges may be empty (a line longer than a range).
 */
export function lineRanges(path: string, parts: number, options: LineRangeOptions): number[] {
  const start = options.start ?? 0;
  const { end } = options;
  const weight = options.firstWeight ?? 1;
  const share = (end - start) / (weight + parts - 1);
  const bounds = [start];
  for (let p = 1; p < parts; p++) {
    // From the byte before the cut, so that a line starting exactly at the cut starts there.
    let position = Math.max(bounds[p - 1], start + Math.floor(share * (weight + p - 1)) - 1);
    let bound = end;
    while (position < end) {
      const window = readSlice(path, position, Math.min(1 << 16, end - position));
      const newline = window.indexOf(NEWLINE);
      if (newline >= 0) {
        bound = position + newline + 1;
        break;
      }
      if (window.length === 0) break;
      position += window.length;
    }
    bounds.push(bound);
  }
  bounds.push(end);
  return bounds;
}

/** Up to `length` bytes of `path` from `position` (fewer at the end of the file). */
export function readSlice(path: string, position: number, length: number): Buffer {
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    const read = readSync(descriptor, buffer, 0, length, position);
    return buffer.subarray(0, read);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The number of line ends in range `chunk` of `path` (bytes `bounds[chunk] .. bounds[chunk + 1]`):
 * a driver kernel, so that the ranges of a file are counted at once.
 */
export async function lineEndsInRange(
  path: string,
  bounds: readonly number[],
  chunk: number,
): Promise<number> {
  let count = 0;
  for await (const bytes of fileChunks(path, { start: bounds[chunk], end: bounds[chunk + 1] })) {
    for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  }
  return count;
}
