/**
 * Buffered text output written as bytes: integers are written digit by digit and strings
 * encoded straight into one reused buffer, so writing millions of lines makes no string per line.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const BUFFER_BYTES = 1 << 20;
/** Flush when less than this is left, so a line (up to a few long keys) always fits. */
const HEADROOM = 1 << 16;

/** Where output goes: a file path (written synchronously) or a writable stream (with back-pressure). */
export type OutputTarget = string | NodeJS.WritableStream;

/** Writes text to a file or stream through a byte buffer. Call {@link ByteWriter.close} at the end. */
export class ByteWriter {
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private position = 0;
  private readonly fd: number | undefined;
  private readonly stream: NodeJS.WritableStream | undefined;

  constructor(target: OutputTarget) {
    if (typeof target === 'string') this.fd = openSync(target, 'w');
    else this.stream = target;
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
    let digits = 0;
    for (let rest = value; rest >= 1; rest = Math.floor(rest / 10)) digits++;
    let pos = this.position + digits;
    this.position = pos;
    for (let rest = value; rest >= 1; rest = Math.floor(rest / 10)) this.buffer[--pos] = 48 + (rest % 10);
  }

  /** Appends any number as JavaScript prints it (shortest text that reads back to the same double). */
  number(value: number): void {
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 53 && !Object.is(value, -0))
      this.integer(value);
    else this.text(Object.is(value, -0) ? '-0' : String(value));
  }

  /** Appends a string, UTF-8 encoded. */
  text(value: string): void {
    if (value.length * 3 > this.buffer.length - this.position) {
      this.flushSync();
      if (value.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(value.length * 3);
    }
    this.position += this.buffer.write(value, this.position, 'utf8');
  }

  /** Writes out what is buffered, waiting for the stream to drain when it asks to. */
  async flush(): Promise<void> {
    const stream = this.stream;
    if (stream === undefined || this.position === 0) {
      this.flushSync();
      return;
    }
    const chunk = this.buffer.subarray(0, this.position);
    this.buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    this.position = 0;
    if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  }

  /** Flushes and closes a file (a stream is left open: it may be stdout). */
  async close(): Promise<void> {
    await this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
  }

  private flushSync(): void {
    if (this.position === 0) return;
    if (this.fd !== undefined) {
      let written = 0;
      while (written < this.position)
        written += writeSync(this.fd, this.buffer, written, this.position - written);
      this.position = 0;
    } else {
      // Streams copy: the buffer is handed over and a fresh one taken.
      this.stream!.write(this.buffer.subarray(0, this.position));
      this.buffer = Buffer.allocUnsafe(BUFFER_BYTES);
      this.position = 0;
    }
  }
}
