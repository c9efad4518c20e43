import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { tableFromIPC } from 'apache-arrow';
import { checkArrowIpcBytes } from '../core/arrow-ipc-check.js';
import { arrow } from '../core/arrow-module.js';
import { parseCsv } from '../core/csv.js';
import { InputError } from '../core/errors.js';
import { gunzipIfCompressed, inputKind, streamedChunks } from '../core/input-bytes.js';
import { createFrame, type Frame, type FrameColumn, frameFromArrow } from './frame.js';
import { type NumericCsv, parseNumericCsv, readNumericCsvFile } from './numeric-csv.js';

/** File name endings read as Arrow IPC (file or stream format); everything else is CSV. */
export const ARROW_EXTENSIONS = ['.arrow', '.feather', '.ipc', '.arrows'] as const;

/** Whether a path names an Arrow IPC file by its ending. */
export function isArrowPath(path: string): boolean {
  return (ARROW_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/**
 * Reads tabular ML input: Arrow IPC when the name ends in .arrow/.feather/.ipc/.arrows, CSV with
 * a header line otherwise. `-` reads CSV from `stdin` when one is given. Gzip is decompressed
 * (known by a `.gz` ending, which the format's ending precedes, or by its first bytes; on stdin
 * too), and a named pipe, `<(...)` or `/dev/stdin` is read as a stream.
 */
export async function readTabularFile(path: string, stdin?: NodeJS.ReadableStream): Promise<Frame> {
  if (path === '-' && stdin !== undefined) {
    const chunks = gunzipIfCompressed(stdin as AsyncIterable<Uint8Array>, '<stdin>');
    return frameFromCsvBytes(await readAll(chunks), '<stdin>');
  }
  const kind = inputKind(path);
  if (kind !== 'regular') {
    const bytes = await readAll(streamedChunks(path, path, 1 << 20));
    return isArrowPath(path.replace(/\.gz$/i, ''))
      ? frameFromArrowBytes(bytes, path)
      : frameFromCsvBytes(bytes, path);
  }
  if (isArrowPath(path)) return frameFromArrowBytes(await readFile(path), path);
  const numeric = await readNumericCsvFile(path);
  if (numeric !== undefined) return frameFromNumericCsv(numeric, path);
  return frameFromCsvText(new TextDecoder().decode(await readFile(path)), path);
}

function frameFromArrowBytes(bytes: Uint8Array, path: string): Frame {
  checkArrowIpcBytes(bytes, path);
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = arrow().tableFromIPC(bytes);
  } catch (error) {
    throw new InputError(`not an Arrow IPC file: ${(error as Error).message}`, { file: path });
  }
  return frameFromArrow(table, path);
}

/** CSV bytes as a frame: the all-numeric fast path when it applies, the general reader otherwise. */
export function frameFromCsvBytes(bytes: Uint8Array, source: string): Frame {
  const numeric = parseNumericCsv(bytes);
  if (numeric === undefined) return frameFromCsvText(new TextDecoder().decode(bytes), source);
  return frameFromNumericCsv(numeric, source);
}

/** A frame over an all-numeric CSV already parsed. */
export function frameFromNumericCsv(numeric: NumericCsv, source: string): Frame {
  // Built directly rather than by createFrame, whose length checks would read every column:
  // the columns are made from the matrix only when something reads one (the estimators read
  // the matrix). The parser has checked that every row has every column.
  const columns: FrameColumn[] = numeric.names.map((_, j) => ({
    kind: 'number',
    get values() {
      return numeric.columns[j];
    },
  }));
  return {
    names: numeric.names,
    columns,
    rowCount: numeric.matrix.rows,
    source,
    lines: numeric.lines,
    rowMajor: numeric.matrix,
  };
}

/** Parses CSV text with a header into a frame; rows keep their line numbers for error messages. */
export function frameFromCsvText(text: string, source: string): Frame {
  const csv = parseCsv(text, { source });
  if (csv.names.length === 0) throw new InputError('empty file', { file: source, expected: 'a header line' });
  return createFrame(csv.names, csv.columns, { source, lines: csv.lines, rowCount: csv.rowCount });
}

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
