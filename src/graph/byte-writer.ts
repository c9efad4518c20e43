/**
 * Buffered text output written as bytes: integers are written digit by digit and strings
 * encoded straight into one reused buffer, so writing millions of lines makes no string per line.
 */
import { AtomicFile, outputError } from '../core/atomic-file.js';

const BUFFER_BYTES = 1 << 20;
/** Flush when less than this is left, so a line (up to a few long keys) always fits. */
const HEADROOM = 1 << 16;

/**
 * Where output goes: a file path (written atomically: the file appears, complete, when the
 * writer closes, and a failed write leaves what was there before) or a writable stream (with
 * back-pressure).
 */
export type OutputTarget = string | NodeJS.WritableStream;

/**
 * Writes text to a file or stream through a byte buffer. Open with {@link ByteWriter.open}; end
 * with {@link ByteWriter.close}, or {@link ByteWriter.abort} when the output is given up. A
 * writer made by {@link ByteWriter.inMemory} only fills its buffer (on any thread), for
 * {@link ByteWriter.bytes} to hand to a file's writer.
 */
export class ByteWriter {
  private buffer: Buffer;
  private position = 0;
  private readonly file: AtomicFile | undefined;
  private readonly stream: NodeJS.WritableStream | undefined;

  private constructor(
    file: AtomicFile | undefined,
    stream: NodeJS.WritableStream | undefined,
    buffer = Buffer.allocUnsafe(BUFFER_BYTES),
  ) {
    this.file = file;
    this.stream = stream;
    this.buffer = buffer;
  }

  /**
   * A writer of `target`. A file is created (as a temporary beside it) at once, so that an
   * unwritable path fails before any work, with an OutputError naming it.
   */
  static async open(target: OutputTarget): Promise<ByteWriter> {
    return typeof target === 'string'
      ? new ByteWriter(await AtomicFile.open(target), undefined)
      : new ByteWriter(undefined, target);
  }

  /**
   * A writer into memory of `capacity` bytes, which the caller must not exceed (it is never
   * flushed); its buffer is its own ArrayBuffer, so that a worker can transfer it.
   */
  static inMemory(capacity: number): ByteWriter {
    return new ByteWriter(undefined, undefined, Buffer.allocUnsafeSlow(capacity));
  }

  /** The bytes written so far (a view of the buffer, not a copy). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.position);
  }

  /** Whether the buffer should be flushed (call `await flush()` between lines when true). */
  get full(): boolean {
    return this.position > BUFFER_BYTES - HEADROOM;
  }
  /** Appends one byte (an ASCII character code). */
  byte(code: number): void {
    this.buffer[this.position++] = code;
  }

  /** Appends a non-negative integer below 2^53 without making a string. */
  integer(value: number): void {
    if (value < 10) {
      this.buffer[this.position++] = 48 + value;
      return;
    }
    const buffer = this.buffer;
    if (value <= 0x7fffffff) {
      // 31-bit values (ids, counts, keys) in integer arithmetic: no float division per digit.
      let digits = 2;
      for (let bound = 100; value >= bound && digits < 10; bound *= 10) digits++;
      let pos = this.position + digits;
      this.position = pos;
      for (let rest = value | 0; rest !== 0; ) {
        const quotient = (rest / 10) | 0;
        buffer[--pos] = 48 + rest - quotient * 10;
        rest = quotient;
      }
      return;
    }
    let digits = 0;
    for (let rest = value; rest >= 1; rest = Math.floor(rest / 10)) digits++;
    let pos = this.position + digits;
    this.position = pos;
    for (let rest = value; rest >= 1; rest = Math.floor(rest / 10)) buffer[--pos] = 48 + (rest % 10);
  }

  /** Appends any number as JavaScript prints it (shortest text that reads back to the same double). */
  number(value: number): void {
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 53 && !Object.is(value, -0)) {
      this.integer(value);
      return;
    }
    const text = Object.is(value, -0) ? '-0' : String(value);
    // A number's text is ASCII (at most 25 characters): copied byte by byte, which costs less
    // than an encoder call per value (about 5% of the CPU time of writing 650,000 scores).
    if (this.position + text.length > this.buffer.length) {
      this.text(text);
      return;
    }
    let position = this.position;
    for (let i = 0; i < text.length; i++) this.buffer[position++] = text.charCodeAt(i);
    this.position = position;
  }

  /** Appends a string, UTF-8 encoded. */
  text(value: string): void {
    if (value.length * 3 > this.buffer.length - this.position) {
      // A long string grows the buffer; the next flush writes it all.
      const grown = Buffer.allocUnsafe(this.position + value.length * 3 + BUFFER_BYTES);
      this.buffer.copy(grown, 0, 0, this.position);
      this.buffer = grown;
    }
    this.position += this.buffer.write(value, this.position, 'utf8');
  }

  /** Writes out what is buffered, waiting for the stream to drain when it asks to. */
  async flush(): Promise<void> {
    if (this.position === 0) return;
    const chunk = this.buffer.subarray(0, this.position);
    if (this.file !== undefined) {
      await this.file.write(chunk);
      this.position = 0;
      return;
    }
    // Streams keep the chunk: a fresh buffer is taken.
    this.buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    this.position = 0;
    await writeToStream(this.stream!, chunk);
  }

  /** Writes out what is buffered, then `bytes` as they are (text made elsewhere, in order). */
  async chunk(bytes: Uint8Array): Promise<void> {
    await this.flush();
    if (this.file !== undefined) await this.file.write(bytes);
    else await writeToStream(this.stream!, bytes);
  }

  /**
   * Flushes; a file is then synced and renamed into place (a stream is left open: it may be
   * stdout). A failure leaves no temporary file and the previous file as it was.
   */
  async close(): Promise<void> {
    try {
      await this.flush();
      await this.file?.commit();
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  /** Gives the output up: a file's temporary is removed and the previous file left as it was. */
  async abort(): Promise<void> {
    await this.file?.abort();
  }
}

/**
 * Writes `chunk` to a stream and resolves once it is handed on, or rejects with the stream's
 * error (a full disk behind stdout, a closed pipe) instead of waiting for a drain that never
 * comes.
 */
export function writeToStream(stream: NodeJS.WritableStream, chunk: Uint8Array | string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(outputError('the output stream', error));
    stream.once('error', failed);
    const done = () => {
      stream.off('error', failed);
      resolve();
    };
    if (stream.write(chunk)) done();
    else stream.once('drain', done);
  });
}
