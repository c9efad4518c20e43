/**
 * Whole lines from a file's chunks: each chunk's run of complete lines is handed over where it
 * lies, and only a line split across chunks is copied (into {@link CarryBytes}) before it is.
 */
import { CarryBytes } from './carry-bytes.js';

const NEWLINE = 10;

/**
 * Calls `visit(bytes, from, to)` for runs of whole lines, in order: each run ends just after a
 * line end, except a last line without one. Stops early, resolving false, when `visit` returns
 * false; resolves true otherwise. `bytes` is valid only during the call.
 */
export async function forEachLineRun(
  chunks: AsyncIterable<Uint8Array>,
  visit: (bytes: Uint8Array, from: number, to: number) => boolean,
): Promise<boolean> {
  const carry = new CarryBytes();
  for await (const chunk of chunks) {
    let from = 0;
    if (carry.length > 0) {
      const lineEnd = chunk.indexOf(NEWLINE);
      if (lineEnd < 0) {
        carry.append(chunk, 0, chunk.length);
        continue;
      }
      carry.append(chunk, 0, lineEnd + 1);
      if (!visit(carry.bytes, 0, carry.length)) return false;
      carry.length = 0;
      from = lineEnd + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= from && !visit(chunk, from, last + 1)) return false;
    carry.append(chunk, Math.max(from, last + 1), chunk.length);
  }
  // A last line without a line end.
  return carry.length === 0 || visit(carry.bytes, 0, carry.length);
}
