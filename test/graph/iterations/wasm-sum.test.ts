import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in JavaScript, without declarations
import { compileGatherSum } from '../../../scripts/wat.mjs';
import {
  buildInEdgeIndex,
  buildInEdgeIndexOnThreads,
  segmentBounds,
} from '../../../src/graph/in-edge-index.js';
import { GATHER_SUM_WASM } from '../../../src/graph/iterations/gather-sum-module.js';
import {
  loadMessages,
  sourcesInArena,
  sumArenas,
  sumInArena,
} from '../../../src/graph/iterations/wasm-sum.js';

/** The sum combiner as one thread of JavaScript adds it: the reference bits. */
function sumsInJavaScript(offsets: Int32Array, sources: Int32Array, messages: Float64Array): Float64Array {
  const sums = new Float64Array(offsets.length - 1);
  for (let v = 0; v < sums.length; v++) {
    let sum = 0;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) sum += messages[sources[e]];
    sums[v] = sum;
  }
  return sums;
}

const graphs = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 300 }),
    // Messages of very different magnitudes, so that any other order of additions changes bits.
    messages: fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { minLength: n, maxLength: n }),
    maxEdges: fc.integer({ min: 40, max: 400 }),
    cuts: fc.array(fc.nat(n), { maxLength: 6 }),
  }),
);

describe('the WebAssembly sum combiner', () => {
  it('gives the bits of the JavaScript sum for any segments and any vertex ranges', () => {
    fc.assert(
      fc.property(graphs, ({ n, edges, messages, maxEdges, cuts }) => {
        const sources = Int32Array.from(edges, (e) => e[0]);
        const targets = Int32Array.from(edges, (e) => e[1]);
        const index = buildInEdgeIndex(n, sources, targets);
        const offsets = index.offsets as Int32Array;
        const expected = sumsInJavaScript(offsets, index.sources.arrays[0], Float64Array.from(messages));
        // Cut the index into segments of at most maxEdges (when the graph has a vertex with more
        // in-edges than that, one segment), and the vertices into ranges at `cuts`.
        let largest = 1;
        for (let v = 0; v < n; v++) largest = Math.max(largest, offsets[v + 1] - offsets[v]);
        const bounds = segmentBounds(offsets, Math.max(maxEdges, largest));
        const segments = {
          bounds,
          arrays: Array.from({ length: bounds.length - 1 }, (_, s) =>
            index.sources.arrays[0].slice(offsets[bounds[s]], offsets[bounds[s + 1]]),
          ),
        };
        const arenas = sumArenas(offsets, segments, n)!;
        expect(arenas).toHaveLength(bounds.length - 1);
        loadMessages(arenas, Float64Array.from(messages));
        const next = new Float64Array(n).fill(Number.NaN);
        const ranges = [...new Set([0, ...cuts, n, ...bounds])].sort((a, b) => a - b);
        for (let r = 0; r + 1 < ranges.length; r++) {
          const s = bounds.findLastIndex((bound) => bound <= ranges[r]);
          sumInArena(arenas[s], next, ranges[r], ranges[r + 1]);
        }
        for (let v = 0; v < n; v++) expect(Object.is(next[v], expected[v])).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('sums over the sources where the threaded index built them, without a copy', async () => {
    const n = 3000;
    const m = 200_000;
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const sources = new Int32Array(new SharedArrayBuffer(4 * m));
    const targets = new Int32Array(new SharedArrayBuffer(4 * m));
    for (let e = 0; e < m; e++) [sources[e], targets[e]] = [random(), random()];
    const index = await buildInEdgeIndexOnThreads(n, sources, targets, {
      parallelism: 2,
      edgesPerThread: 1000,
    });
    const arenas = sumArenas(index.offsets, index.sources, n)!;
    expect(arenas).toHaveLength(1);
    expect(arenas[0].memory.buffer).toBe(index.sources.arrays[0].buffer);
    const messages = Float64Array.from({ length: n }, (_, v) => 1 / (v + 3));
    loadMessages(arenas, messages);
    const next = new Float64Array(n);
    sumInArena(arenas[0], next, 0, n);
    expect(next).toEqual(sumsInJavaScript(index.offsets as Int32Array, index.sources.arrays[0], messages));
  });

  it('runs the module compiled from gather-sum.wat as committed', async () => {
    const source = readFileSync(
      new URL('../../../src/graph/iterations/gather-sum.wat', import.meta.url),
      'utf8',
    );
    expect((await compileGatherSum(source)).toString('base64')).toBe(GATHER_SUM_WASM);
  });

  it('declines segments no WebAssembly memory can hold, and allocates their sources outside one', () => {
    const vertexCount = 2 ** 29;
    // (Sizes are checked before the offsets are read.)
    const offsets = new Int32Array(2);
    expect(
      sumArenas(offsets, { bounds: Int32Array.of(0, vertexCount), arrays: [new Int32Array(0)] }, vertexCount),
    ).toBe(undefined);
    const sources = sourcesInArena(vertexCount, vertexCount, 16);
    expect(sources).toHaveLength(16);
    expect(sources.buffer.byteLength).toBe(64);
  });
});
