/**
 * The typed path's sum combiner (unweighted) as a WebAssembly kernel, over arrays in one
 * WebAssembly memory: an "arena" per segment of the in-edge index.
 *
 * Why: in V8's optimised JavaScript the sum loop re-checks the map of each typed array and
 * reloads its data pointer at every in-edge (the loop's interrupt check lets anything happen
 * between two edges): about four times the instructions per edge of compiled code. The same
 * loop in WebAssembly takes half the time (bench/RESULTS.md). It adds the messages in the same
 * order as the JavaScript loop (left to right, one vertex's in-edges in index order), so the
 * sums are the same bits.
 *
 * An arena holds, from byte 0: a copy of every vertex's message (8 bytes each, refreshed before
 * each superstep), the segment's sums (8 bytes a vertex, copied to `next` by the chunk), the
 * segment's offsets relative to its first edge (int32) and its in-edge sources (int32). Arenas
 * are shared memories, so that every thread instantiates the kernel over the same arrays.
 */
import type { EdgeOffsets } from '../csr.js';
import type { EdgeSegments } from '../in-edge-index.js';

/** What this module uses of the WebAssembly API (@types/node 20 declares none of it). */
interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The most a WebAssembly memory can hold here (65,536 pages of 64 KiB). */
const MAX_ARENA_BYTES = 2 ** 32;
const PAGE_BYTES = 65536;

/** One segment's arena: the memory and where each array starts in it (bytes). */
export interface SumArena {
  readonly memory: WasmMemory;
  /** The segment's first vertex: the arena's vertex `i` is vertex `first + i`. */
  readonly first: number;
  /** Vertices in the segment. */
  readonly vertices: number;
  readonly messages: number;
  readonly sums: number;
  readonly offsets: number;
  readonly sources: number;
}

/** Where an arena's arrays start (bytes), for `vertexCount` messages and a segment of `vertices`. */
function layout(vertexCount: number, vertices: number) {
  const sums = 8 * vertexCount;
  const offsets = sums + 8 * vertices;
  return { messages: 0, sums, offsets, sources: offsets + 4 * (vertices + 1) };
}

/** Bytes an arena takes for `vertexCount` messages and a segment of `vertices` and `edges`. */
function arenaBytes(vertexCount: number, vertices: number, edges: number): number {
  return layout(vertexCount, vertices).sources + 4 * edges;
}

// Source arrays allocated in an arena (sourcesInArena): their buffer's memory.
const arenaOfBuffer = new WeakMap<ArrayBufferLike, WasmMemory>();

function newArena(vertexCount: number, vertices: number, edges: number): WasmMemory {
  const pages = Math.ceil(arenaBytes(vertexCount, vertices, edges) / PAGE_BYTES);
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
}

/**
 * A zero-filled shared Int32Array for the in-edge sources of an index over `vertexCount`
 * vertices with `edges` edges (one segment), allocated in the arena its sums will run in, so
 * that {@link sumArenas} need not copy it; a plain shared array when the arena would exceed a
 * WebAssembly memory.
 */
export function sourcesInArena(vertexCount: number, edges: number): Int32Array {
  if (arenaBytes(vertexCount, vertexCount, edges) > MAX_ARENA_BYTES) {
    return new Int32Array(new SharedArrayBuffer(4 * edges));
  }
  const memory = newArena(vertexCount, vertexCount, edges);
  arenaOfBuffer.set(memory.buffer, memory);
  return new Int32Array(memory.buffer, layout(vertexCount, vertexCount).sources, edges);
}

/**
 * The arenas of an in-edge index's segments, each with the segment's offsets (relative to its
 * first edge) and its sources, copied in unless the sources were allocated there
 * ({@link sourcesInArena}); undefined when a segment's arena would exceed a WebAssembly memory
 * (the caller sums in JavaScript).
 */
export function sumArenas(
  offsets: EdgeOffsets,
  sources: EdgeSegments<Int32Array>,
  vertexCount: number,
): SumArena[] | undefined {
  const { bounds, arrays } = sources;
  for (let s = 0; s < arrays.length; s++) {
    if (arenaBytes(vertexCount, bounds[s + 1] - bounds[s], arrays[s].length) > MAX_ARENA_BYTES)
      return undefined;
  }
  return arrays.map((segment, s) => {
    const first = bounds[s];
    const vertices = bounds[s + 1] - first;
    const at = layout(vertexCount, vertices);
    let memory = arenaOfBuffer.get(segment.buffer);
    const inPlace = memory !== undefined && segment.byteOffset === at.sources;
    if (!inPlace) memory = newArena(vertexCount, vertices, segment.length);
    const relative = new Int32Array(memory!.buffer, at.offsets, vertices + 1);
    const base = offsets[first];
    for (let i = 0; i <= vertices; i++) relative[i] = offsets[first + i] - base;
    if (!inPlace) new Int32Array(memory!.buffer, at.sources, segment.length).set(segment);
    return { memory: memory!, first, vertices, ...at };
  });
}

/** Copies every vertex's message into each arena, before a superstep sums them. */
export function loadMessages(arenas: readonly SumArena[], messages: Float64Array): void {
  for (const arena of arenas)
    new Float64Array(arena.memory.buffer, arena.messages, messages.length).set(messages);
}

/**
 * Sums the in-edge messages of vertices `from .. to - 1` (all in `arena`'s segment) into
 * `next`, as the JavaScript sum combiner does.
 */
export function sumInArena(arena: SumArena, next: Float64Array, from: number, to: number): void {
  const start = from - arena.first;
  kernelOf(arena.memory)(arena.offsets, arena.sources, arena.messages, arena.sums, start, to - arena.first);
  next.set(new Float64Array(arena.memory.buffer, arena.sums + 8 * start, to - from), from);
}

type SumKernel = (
  offsets: number,
  sources: number,
  messages: number,
  sums: number,
  start: number,
  end: number,
) => void;

let compiled: object | undefined;
// An arena that crosses to a worker arrives there as a new Memory object in each phase, so this
// thread instantiates the kernel once a phase per arena (microseconds), not once per chunk.
const kernels = new WeakMap<WasmMemory, SumKernel>();

function kernelOf(memory: WasmMemory): SumKernel {
  let kernel = kernels.get(memory);
  if (kernel === undefined) {
    compiled ??= new wasm.Module(sumModuleBytes());
    kernel = new wasm.Instance(compiled, { eddy: { memory } }).exports.sum as SumKernel;
    kernels.set(memory, kernel);
  }
  return kernel;
}

// The module, encoded by hand (a few dozen instructions; no assembler dependency). In text form:
//
// (func (export "sum") (param $offsets $sources $messages $sums $start $end i32)
//   (local $v $e $last i32) (local $sum f64)
//   v = start; e = offsets[v]
//   while v < end:
//     last = offsets[v + 1]; sum = 0
//     while e + 3 < last: sum = sum + m[s[e]] + m[s[e + 1]] + m[s[e + 2]] + m[s[e + 3]]; e += 4
//     while e < last: sum = sum + m[s[e]]; e += 1
//     sums[v] = sum; v += 1)
// where offsets, s and sums are the arrays at those byte addresses, m the messages.

const I32 = 0x7f;
const F64 = 0x7c;
const OP = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  i32Load: 0x28,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Shl: 0x74,
  f64Add: 0xa0,
  empty: 0x40,
} as const;
const [OFFSETS, SOURCES, MESSAGES, SUMS, START, END, V, E, LAST, SUM] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

const get = (local: number) => [OP.get, local];
const set = (local: number) => [OP.set, local];
const constant = (value: number) => [OP.i32Const, value];
/** `array + index * (1 << shift)`. */
const address = (array: number, index: number, shift: number) => [
  ...get(array),
  ...get(index),
  ...constant(shift),
  OP.i32Shl,
  OP.i32Add,
];
/** Pushes message `m[s[e + k]]` (k in 0..3). */
const message = (k: number) => [
  ...get(MESSAGES),
  ...address(SOURCES, E, 2),
  OP.i32Load,
  2,
  4 * k,
  ...constant(3),
  OP.i32Shl,
  OP.i32Add,
  OP.f64Load,
  3,
  0,
];
/** `local += step`. */
const advance = (local: number, step: number) => [...get(local), ...constant(step), OP.i32Add, ...set(local)];
/** A loop that leaves when `[...condition]` is true. */
const whileNot = (condition: number[], body: number[]) => [
  OP.block,
  OP.empty,
  OP.loop,
  OP.empty,
  ...condition,
  OP.brIf,
  1,
  ...body,
  OP.br,
  0,
  OP.end,
  OP.end,
];

function sumBody(): number[] {
  return [
    ...get(START),
    ...set(V),
    ...address(OFFSETS, START, 2),
    OP.i32Load,
    2,
    0,
    ...set(E),
    ...whileNot(
      [...get(V), ...get(END), OP.i32GeU],
      [
        ...address(OFFSETS, V, 2),
        OP.i32Load,
        2,
        4,
        ...set(LAST),
        OP.f64Const,
        ...[0, 0, 0, 0, 0, 0, 0, 0],
        ...set(SUM),
        ...whileNot(
          [...get(E), ...constant(3), OP.i32Add, ...get(LAST), OP.i32GeU],
          [
            ...get(SUM),
            ...message(0),
            OP.f64Add,
            ...message(1),
            OP.f64Add,
            ...message(2),
            OP.f64Add,
            ...message(3),
            OP.f64Add,
            ...set(SUM),
            ...advance(E, 4),
          ],
        ),
        ...whileNot(
          [...get(E), ...get(LAST), OP.i32GeU],
          [...get(SUM), ...message(0), OP.f64Add, ...set(SUM), ...advance(E, 1)],
        ),
        ...address(SUMS, V, 3),
        ...get(SUM),
        OP.f64Store,
        3,
        0,
        ...advance(V, 1),
      ],
    ),
    OP.end,
  ];
}

/** Unsigned LEB128, as the binary format writes sizes and counts. */
function leb(value: number): number[] {
  const bytes: number[] = [];
  do {
    const low = value % 128;
    value = Math.floor(value / 128);
    bytes.push(value > 0 ? low | 0x80 : low);
  } while (value > 0);
  return bytes;
}

const name = (text: string) => [...leb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];

function sumModuleBytes(): Uint8Array {
  const body = [...leb(2), ...leb(3), I32, ...leb(1), F64, ...sumBody()];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // Type 0: six i32 parameters, no result.
    ...section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]),
    // Import eddy.memory: shared (flags 3), 0 to 65,536 pages.
    ...section(2, [1, ...name('eddy'), ...name('memory'), 0x02, 0x03, 0, ...leb(65536)]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('sum'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}
