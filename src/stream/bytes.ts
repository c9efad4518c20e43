/**
 * Byte input for line-oriented sources: a file read from a byte offset, or any stream of
 * chunks, cut into runs of complete lines without decoding them to strings.
 */
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { fileChunks } from '../core/file-chunks.js';

/** A file path, or a stream of bytes with a name for error messages (stdin: `{ stream: process.stdin, name: '<stdin>' }`). */
export type ByteInput = string | { stream: AsyncIterable<Uint8Array | string>; name?: string };

/** The name of an input in error messages. */
export function inputName(input: ByteInput): string {
  return typeof input === 'string' ? input : (input.name ?? '<stream>');
}

/**
 * What identifies an input for checkpoint fingerprints: a file's absolute path, size and
 * modification time (a stream is named only: it cannot be resumed anyway).
 */
export async function byteInputIdentity(input: ByteInput): Promise<string> {
  if (typeof input !== 'string') return inputName(input);
  const info = await stat(input).catch(() => {
    throw new InputError('cannot read the input', { file: input, expected: 'a readable file' });
  });
  return `${resolve(input)}, ${info.size} bytes, modified ${new Date(info.mtimeMs).toISOString()}`;
}

const CHUNK = 1 << 20;

/**
 * The bytes of `input` from byte `offset` on. Only files can start past 0: a stream cannot be
 * replayed, so resuming from one is an error rather than a silent re-read.
 */
export async function* readBytes(input: ByteInput, offset = 0): AsyncIterable<Buffer> {
  if (typeof input !== 'string') {
    if (offset > 0) {
      throw new InputError('cannot resume from a stream that cannot be replayed', {
        file: inputName(input),
        expected: 'a file to resume from a checkpoint',
      });
    }
    for await (const chunk of input.stream)
      yield typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    return;
  }
  // A fresh buffer per read: the consumer may still hold the previous one.
  yield* fileChunks(input, { start: offset, chunkBytes: CHUNK, fresh: true });
}

/** A run of complete lines: bytes [0, length) of `bytes`, starting at byte `offset` of the input. */
export interface LineRun {
  bytes: Buffer;
  /** Byte offset of bytes[0] in the input. */
  offset: number;
}

/** Where a run may end: just past the last line break (default), or -1 when there is none yet. */
export type RunBoundary = (bytes: Buffer) => number;

const lastLineBreak: RunBoundary = (bytes) => bytes.lastIndexOf(10);

/**
 * The length of a UTF-8 byte order mark at the very start of the input (3), or 0: editors on
 * Windows write one, and a reader skips it as the CSV reader does.
 */
export function byteOrderMarkLength(run: LineRun): number {
  const { bytes } = run;
  return run.offset === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * The input from byte `offset` cut into runs that end at a line break (the last line of the
 * input may lack one). `boundary` finds where a run may end; CSV passes one that skips line
 * breaks inside quotes. A run's bytes are valid until the next run is asked for: files are
 * read into one reused buffer, with the unfinished last line moved to its front.
 */
export async function* lineRuns(
  input: ByteInput,
  offset = 0,
  boundary: RunBoundary = lastLineBreak,
): AsyncIterable<LineRun> {
  if (typeof input !== 'string') {
    yield* streamLineRuns(readBytes(input, offset), offset, boundary);
    return;
  }
  const handle = await open(input, 'r');
  try {
    let buffer = Buffer.allocUnsafe(CHUNK);
    let carried = 0;
    let start = offset;
    for (;;) {
      if (carried === buffer.length) {
        // One line longer than the buffer: make room for it.
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, carried);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried, start + carried);
      const filled = carried + bytesRead;
      if (bytesRead === 0) {
        if (carried > 0) yield { bytes: buffer.subarray(0, carried), offset: start };
        return;
      }
      const end = boundary(buffer.subarray(0, filled)) + 1;
      if (end === 0) {
        carried = filled;
        continue;
      }
      yield { bytes: buffer.subarray(0, end), offset: start };
      buffer.copyWithin(0, end, filled);
      carried = filled - end;
      start += end;
    }
  } finally {
    await handle.close();
  }
}

async function* streamLineRuns(
  chunks: AsyncIterable<Buffer>,
  offset: number,
  boundary: RunBoundary,
): AsyncIterable<LineRun> {
  let carry: Buffer | undefined;
  let start = offset;
  for await (const chunk of chunks) {
    const bytes: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const end = boundary(bytes) + 1;
    if (end === 0) {
      carry = bytes;
      continue;
    }
    yield { bytes: bytes.subarray(0, end), offset: start };
    start += end;
    carry = end < bytes.length ? Buffer.from(bytes.subarray(end)) : undefined;
  }
  if (carry && carry.length > 0) yield { bytes: carry, offset: start };
}
