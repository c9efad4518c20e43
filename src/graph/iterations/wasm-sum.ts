/**
 * The typed path's sum combiner (unweighted) as a WebAssembly kernel (gather-sum.wat), over
 * arrays in one WebAssembly memory: an "arena" per segment of the in-edge index.
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
import { int32Array } from '../../core/shared-memory.js';
import { compileBase64, type WasmMemory, webAssembly } from '../../core/webassembly.js';
import type { EdgeOffsets } from '../csr.js';
import type { EdgeSegments } from '../in-edge-index.js';
import { GATHER_SUM_WASM } from './gather-sum-module.js';

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
  return new webAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/**
 * The most in-edges one segment's arena can hold in an index over `vertexCount` vertices
 * (whatever its share of the vertices); 0 when not even the messages fit.
 */
export function arenaEdgeLimit(vertexCount: number): number {
  return Math.max(0, Math.floor((MAX_ARENA_BYTES - layout(vertexCount, vertexCount).sources) / 4));
}

/**
 * A zero-filled shared Int32Array for the in-edge sources of one segment (`vertices` of the
 * index's `vertexCount`, `edges` in-edges), allocated in the arena its sums will run in, so
 * that {@link sumArenas} need not copy it; a plain shared array when the arena would exceed a
 * WebAssembly memory.
 */
export function sourcesInArena(vertexCount: number, vertices: number, edges: number): Int32Array {
  if (arenaBytes(vertexCount, vertices, edges) > MAX_ARENA_BYTES) return int32Array(edges, true);
  const memory = newArena(vertexCount, vertices, edges);
  arenaOfBuffer.set(memory.buffer, memory);
  return new Int32Array(memory.buffer, layout(vertexCount, vertices).sources, edges);
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
    const allocated = arenaOfBuffer.get(segment.buffer);
    const inPlace = allocated !== undefined && segment.byteOffset === at.sources;
    const memory = inPlace ? allocated : newArena(vertexCount, vertices, segment.length);
    const relative = new Int32Array(memory.buffer, at.offsets, vertices + 1);
    const base = offsets[first];
    for (let i = 0; i <= vertices; i++) relative[i] = offsets[first + i] - base;
    if (!inPlace) new Int32Array(memory.buffer, at.sources, segment.length).set(segment);
    return { memory, first, vertices, ...at };
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
    compiled ??= compileBase64(GATHER_SUM_WASM);
    kernel = (new webAssembly.Instance(compiled, { eddy: { memory } }).exports as { sum: SumKernel }).sum;
    kernels.set(memory, kernel);
  }
  return kernel;
}
