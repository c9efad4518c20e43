/**
 * The edge-list parser's fast path in WebAssembly (parse-pairs.wat): plain `id SEP id` lines
 * parsed about twice as fast as by the same loop in JavaScript, whose every byte read re-checks
 * the array (bench/RESULTS.md). Each thread has its own instance and memory; a call copies the
 * bytes in, a piece of at most 1 MiB at a time, and the pairs out. The memory never grows:
 * growing detaches its old buffer, and V8 then checks, for the rest of the thread's life, every
 * typed-array access for a detached buffer (the in-edge index after the read took a fifth
 * longer).
 */
import { compileBase64, type WasmMemory, webAssembly } from '../core/webassembly.js';
import { PARSE_PAIRS_WASM } from './parse-pairs-module.js';

/** The kernel's exports. */
interface PairsInstance {
  memory: WasmMemory;
  pairs(
    pos: number,
    end: number,
    separator: number,
    ignoreThird: number,
    sources: number,
    targets: number,
    limit: number,
    maxKey: number,
  ): number;
}
/** Where the bytes go in the memory (the pair count and the largest id are at 0 and 4). */
const BYTES_AT = 16;
/** The most bytes one call of the kernel parses: its memory (4 MiB) holds them and their pairs. */
const PIECE_BYTES = 1 << 20;
const NEWLINE = 0x0a;

let instance: PairsInstance | undefined;

function pairsInstance(): PairsInstance {
  if (instance === undefined) {
    instance = new webAssembly.Instance(compileBase64(PARSE_PAIRS_WASM)).exports as PairsInstance;
  }
  return instance;
}

/** The pairs' format and the arrays they go into. */
export interface PairsInto {
  /** The byte between the ids. */
  readonly separator: number;
  /** Whether a third column is skipped (else it stops the fast path). */
  readonly ignoreThird: boolean;
  readonly sources: Int32Array;
  readonly targets: Int32Array;
}

/** What {@link parsePairs} parsed. */
export interface ParsedPairs {
  /** Where the first line it did not parse starts (`end` when it parsed them all). */
  readonly next: number;
  /** Pairs written. */
  readonly pairs: number;
  /** The largest id so far. */
  readonly maxKey: number;
}

/**
 * Parses plain `id SEP id` lines of `bytes[start, end)` (`bytes[end - 1]` is a line feed) into
 * `into`'s arrays from position `count` on, at most `limit` of them, stopping at the
 * first other line (comments, other columns, long or non-canonical ids: the general parser's).
 */
export function parsePairs(
  bytes: Uint8Array,
  start: number,
  end: number,
  into: PairsInto,
  count: number,
  limit: number,
  maxKey: number,
): ParsedPairs {
  const kernel = pairsInstance();
  const memory = kernel.memory.buffer;
  let pos = start;
  let pairs = 0;
  let largest = maxKey;
  const [separator, ignoreThird] = [into.separator, into.ignoreThird ? 1 : 0];
  while (pos < end && pairs < limit) {
    // A piece of whole lines, one call of the kernel; a line longer than a piece is left to the
    // general parser.
    const pieceEnd = end - pos <= PIECE_BYTES ? end : bytes.lastIndexOf(NEWLINE, pos + PIECE_BYTES - 1) + 1;
    if (pieceEnd <= pos) break;
    const length = pieceEnd - pos;
    // A line takes at least 4 bytes ("0 0" and its line feed).
    const most = Math.min(limit - pairs, (length >>> 2) + 1);
    const sourcesAt = (BYTES_AT + length + 8) & ~7;
    const targetsAt = sourcesAt + 4 * most;
    new Uint8Array(memory, BYTES_AT, length).set(bytes.subarray(pos, pieceEnd));
    const next = kernel.pairs(
      BYTES_AT,
      BYTES_AT + length,
      separator,
      ignoreThird,
      sourcesAt,
      targetsAt,
      most,
      largest,
    );
    const [parsed, piecesLargest] = new Int32Array(memory, 0, 2);
    into.sources.set(new Int32Array(memory, sourcesAt, parsed), count + pairs);
    into.targets.set(new Int32Array(memory, targetsAt, parsed), count + pairs);
    pairs += parsed;
    largest = piecesLargest;
    const stopped = pos + next - BYTES_AT;
    if (stopped < pieceEnd) return { next: stopped, pairs, maxKey: largest };
    pos = pieceEnd;
  }
  return { next: pos, pairs, maxKey: largest };
}
