/**
 * The lines of an input path, from bytes: a regular file read in chunks, anything else (a pipe,
 * `/dev/stdin`) streamed, gzip decompressed (input-bytes.ts). For line-oriented text formats
 * (UCI bag-of-words, one document per line).
 */
import { fileChunks } from './file-chunks.js';
import { inputKind, streamedChunks } from './input-bytes.js';
import { forEachLineRun } from './line-runs.js';

const NEWLINE = 10;
const RETURN = 13;
const CHUNK_BYTES = 1 << 20;

function chunksOf(path: string): AsyncIterable<Uint8Array> {
  return inputKind(path) === 'regular' ? fileChunks(path) : streamedChunks(path, path, CHUNK_BYTES);
}

/**
 * Calls `line(bytes, start, end, number)` for every line of `path` (numbers from 1; the line
 * end, `\n` or `\r\n`, excluded). `bytes` is valid only during the call.
 */
export async function forEachLine(
  path: string,
  line: (bytes: Uint8Array, start: number, end: number, number: number) => void,
): Promise<void> {
  let number = 0;
  await forEachLineRun(chunksOf(path), (bytes, from, to) => {
    for (let start = from; start < to; ) {
      let end = bytes.indexOf(NEWLINE, start);
      if (end < 0 || end >= to) end = to;
      line(bytes, start, end > start && bytes[end - 1] === RETURN ? end - 1 : end, ++number);
      start = end + 1;
    }
    return true;
  });
}

/** Every line of `path` as UTF-8 text (`-` reads stdin). */
export async function readTextLines(path: string): Promise<string[]> {
  const lines: string[] = [];
  await forEachLine(path === '-' ? '/dev/stdin' : path, (bytes, start, end) => {
    lines.push(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8'));
  });
  return lines;
}
