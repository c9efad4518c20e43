/**
 * Where the bytes of an input path come from. A regular file is read at positions (in chunks,
 * or in ranges by several threads); anything else (a named pipe, `<(...)`, `/dev/stdin`, a
 * device) cannot seek and is streamed; a gzip file, known by its `.gz` name or its magic
 * bytes, is streamed through zlib.
 */
import { createReadStream, statSync } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from './errors.js';
import { readSlice } from './threads/file-ranges.js';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** How {@link inputKind} says a path must be read. */
export type InputKind = 'regular' | 'stream' | 'gzip';

/**
 * `'regular'`: a plain regular file, readable at positions; `'gzip'`: a regular file that is
 * gzip-compressed (by name or by its first bytes); `'stream'`: anything that cannot seek.
 */
export function inputKind(path: string): InputKind {
  if (!statSync(path).isFile()) return 'stream';
  if (path.endsWith('.gz') || startsWithGzipMagic(readSlice(path, 0, 2))) return 'gzip';
  return 'regular';
}

function startsWithGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/**
 * The bytes of a path that is not read at positions ({@link inputKind} `'stream'` or
 * `'gzip'`), decompressed when it is gzip (a stream too, by its first bytes). Every chunk is
 * a fresh buffer. A corrupt gzip input is an {@link InputError} naming `file`.
 */
export function streamedChunks(path: string, file: string, chunkBytes: number): AsyncIterable<Uint8Array> {
  return gunzipIfCompressed(
    createReadStream(path, { highWaterMark: chunkBytes }),
    file,
    path.endsWith('.gz'),
  );
}

/**
 * The chunks of `input` as they are, or decompressed when `compressed` or when they start with
 * the gzip magic bytes. The chunks must not be reused buffers (zlib may hold on to them).
 */
export async function* gunzipIfCompressed(
  input: AsyncIterable<Uint8Array>,
  file: string,
  compressed = false,
): AsyncGenerator<Uint8Array> {
  const iterator = input[Symbol.asyncIterator]();
  // Enough bytes to see the magic number (a pipe may deliver one byte at a time).
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    yield* head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  };
  if (!compressed && !startsWithGzipMagic(Buffer.concat(head))) {
    yield* rest();
    return;
  }
  const gunzip = pipeline(Readable.from(rest(), { objectMode: false }), createGunzip(), () => {});
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code?.startsWith('Z_')) {
      throw new InputError(`cannot decompress gzip input (${(error as Error).message})`, { file });
    }
    throw error;
  }
}
