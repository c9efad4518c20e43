/**
 * The bytes of an unfinished line carried from one chunk of a file to the next, so that only
 * lines split across chunks are copied while the rest is parsed where it lies.
 */
export class CarryBytes {
  /** The carried bytes are `bytes[0, length)`. */
  bytes = Buffer.allocUnsafe(1 << 16);
  length = 0;

  /** Appends `from[start, end)`, growing as needed. */
  append(from: Uint8Array, start: number, end: number): void {
    const needed = this.length + end - start + 1;
    if (needed > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, needed));
      this.bytes.copy(bigger, 0, 0, this.length);
      this.bytes = bigger;
    }
    this.bytes.set(from.subarray(start, end), this.length);
    this.length += end - start;
    // A byte that ends any number after the carried ones (the room for it was kept above): a
    // parser that looks one byte past a last line without a line end must not read stale digits.
    this.bytes[this.length] = 0;
  }

  /** Drops the first `count` bytes. */
  dropFront(count: number): void {
    this.bytes.copyWithin(0, count, this.length);
    this.length -= count;
  }
}
