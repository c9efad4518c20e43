/**
 * The text lines of a vertex table made a range of rows at a time, on any thread: the kernel
 * that lets several threads format the lines of {@link writeVertexTable} (number to text is
 * most of its time) while the calling thread writes the finished ranges in row order.
 */
import type { NumericArray } from '../core/arrow.js';
import { shared } from '../core/shared-memory.js';
import { runChunks, type Threads, threadCount } from '../core/threads/driver.js';
import { withTransfer } from '../core/threads/transfer.js';
import { ByteWriter } from './byte-writer.js';

/** Rows of one chunk: about half a megabyte of PageRank lines, a few milliseconds of work. */
const CHUNK_ROWS = 1 << 14;
/**
 * Chunks formatted at once: the text held in memory while it is written is that many chunks,
 * twice. Each window ends in a wait for the slowest thread, which costs most on a loaded machine.
 */
const WINDOW_CHUNKS = 32;
/** Tables of fewer rows are formatted by the calling thread: a parallel run would cost more. */
export const PARALLEL_LINES_MINIMUM_ROWS = 1 << 17;

// Workers load this module from the same tree: .js in dist, .ts under tsx.
const linesKernel = {
  module: new URL(`./vertex-lines${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  exportName: 'formatVertexLines',
};

/** The most bytes a number takes as text (`-2.2250738585072014e-308` is 24), and a separator. */
const FIELD_BYTES = 26;

/** Typed arrays of numbers (no BigInt arrays): the columns this kernel formats. */
export type NumberColumn = Exclude<NumericArray, BigInt64Array>;

/**
 * Formats the lines of vertices `start .. end - 1` of chunk `chunk`, where chunk `c` covers
 * `first + c * rowsPerChunk` up to `rowsPerChunk` rows before `end`: each line the key, then
 * each column's value, separated by `separator` (a character code), ended by a newline, every
 * number as JavaScript prints it. Exported for the driver's workers.
 */
export function formatVertexLines(
  keys: Float64Array,
  columns: readonly NumberColumn[],
  separator: number,
  first: number,
  end: number,
  rowsPerChunk: number,
  chunk: number,
): Uint8Array {
  const start = first + chunk * rowsPerChunk;
  const stop = Math.min(end, start + rowsPerChunk);
  const writer = ByteWriter.inMemory(Math.max(0, stop - start) * FIELD_BYTES * (columns.length + 1));
  for (let id = start; id < stop; id++) {
    writer.number(keys[id]);
    for (let c = 0; c < columns.length; c++) {
      writer.byte(separator);
      writer.number(columns[c][id]);
    }
    writer.byte(10);
  }
  const bytes = writer.bytes();
  return withTransfer(bytes, [bytes.buffer as ArrayBuffer]);
}

/** The columns as number columns, or undefined when one holds anything else (BigInts, strings, nulls). */
export function numberColumns(columns: readonly unknown[]): NumberColumn[] | undefined {
  const numeric = columns.every(
    (column) =>
      ArrayBuffer.isView(column) && !(column instanceof BigInt64Array || column instanceof BigUint64Array),
  );
  return numeric ? (columns as NumberColumn[]) : undefined;
}

/**
 * Whether {@link writeVertexLines} would use more than this thread for `rows` rows of
 * `columns`: only when a column holds a fraction (integers are a short digit loop, cheaper
 * than the copies and waits of a parallel run; fractions go through String()).
 */
export function linesInParallel(rows: number, columns: readonly NumberColumn[], threads: Threads): boolean {
  return (
    rows >= PARALLEL_LINES_MINIMUM_ROWS &&
    columns.some(holdsFraction) &&
    threadCount(threads, Math.ceil(rows / CHUNK_ROWS)) > 1
  );
}

function holdsFraction(column: NumberColumn): boolean {
  if (!(column instanceof Float64Array || column instanceof Float32Array)) return false;
  for (let i = 0; i < column.length; i++) {
    if (!Number.isInteger(column[i])) return true;
  }
  return false;
}

/**
 * Writes one line per vertex, by id, to `writer`: formatted a window of chunks at a time by
 * `threads`, each window written in row order while the next one is formatted, so the bytes
 * are the same at every parallelism.
 */
export async function writeVertexLines(
  writer: ByteWriter,
  keys: Float64Array,
  columns: readonly NumberColumn[],
  separator: number,
  threads: Threads,
): Promise<void> {
  const rows = keys.length;
  const args = [shared(keys), columns.map(shared), separator];
  const format = (first: number) => {
    const chunks = Math.min(WINDOW_CHUNKS, Math.ceil((rows - first) / CHUNK_ROWS));
    return runChunks<Uint8Array>(linesKernel, [...args, first, rows, CHUNK_ROWS], chunks, threads);
  };
  let next: Promise<Uint8Array[]> | undefined = format(0);
  try {
    for (let first = 0; next !== undefined; first += WINDOW_CHUNKS * CHUNK_ROWS) {
      const window: Uint8Array[] = await next;
      const after = first + WINDOW_CHUNKS * CHUNK_ROWS;
      next = after < rows ? format(after) : undefined;
      for (const bytes of window) await writer.chunk(bytes);
    }
  } finally {
    // A failed write leaves the next window running: its outcome is not wanted, only awaited.
    await next?.catch(() => undefined);
  }
}
