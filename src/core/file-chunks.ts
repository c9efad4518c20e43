/**
 * Reading a file in chunks through one reused buffer. A fresh buffer per chunk (what a read
 * stream does) touches new memory for every megabyte read, and first touches are what large
 * reads pay most for on virtual machines that return freed memory to their host.
 */
import { open } from 'node:fs/promises';

/** Options of {@link fileChunks}. */
export interface FileChunkOptions {
  /** First byte to read (default 0). */
  start?: number;
  /** Byte after the last one to read (default: the end of the file). */
  end?: number;
  /** Bytes per chunk (default 1 MiB). */
  chunkBytes?: number;
  /** A new buffer for every chunk, for consumers that keep chunks (default false: one reused buffer). */
  fresh?: boolean;
}

/**
 * The bytes of `path` from `start` to `end`, chunk by chunk. Unless `fresh`, every chunk is a
 * view of the same buffer: it is valid until the next one is asked for, so a consumer must be
 * done with it (or copy what it keeps) before it moves on.
 */
export async function* fileChunks(path: string, options: FileChunkOptions = {}): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const chunkBytes = options.chunkBytes ?? 1 << 20;
    let buffer = Buffer.allocUnsafe(chunkBytes);
    let position = options.start ?? 0;
    const end = options.end ?? Number.POSITIVE_INFINITY;
    while (position < end) {
      if (options.fresh && position > (options.start ?? 0)) buffer = Buffer.allocUnsafe(chunkBytes);
      const length = Math.min(buffer.length, end - position);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
