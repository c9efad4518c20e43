import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCsr, type EdgeOffsets } from '../../src/graph/csr.js';
import {
  buildInEdgeIndex,
  buildInEdgeIndexOnThreads,
  type EdgeSegments,
  segmentBounds,
  sharedSegments,
} from '../../src/graph/in-edge-index.js';

const edgeLists = fc
  .integer({ min: 1, max: 30 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 1, max: 9 })), { maxLength: 120 }),
    ),
  );

/** The value at edge position `p` of segmented arrays over `offsets`. */
function at<A extends Int32Array | Float64Array>(offsets: EdgeOffsets, segments: EdgeSegments<A>, p: number) {
  const { bounds, arrays } = segments;
  for (let s = 0; s + 1 < bounds.length; s++) {
    if (p < offsets[bounds[s + 1]]) return arrays[s][p - offsets[bounds[s]]];
  }
  throw new Error(`position ${p} is in no segment`);
}

describe('buildInEdgeIndex', () => {
  it('holds the transpose of the CSR: the same in-edges per vertex, in input order, in any segments', () => {
    fc.assert(
      fc.property(
        edgeLists,
        fc.boolean(),
        fc.option(fc.integer({ min: 8, max: 200 }), { nil: undefined }),
        ([n, edges], shared, segmentBytes) => {
          const sources = Int32Array.from(edges, (e) => e[0]);
          const targets = Int32Array.from(edges, (e) => e[1]);
          const weights = Float64Array.from(edges, (e) => e[2]);
          let index: ReturnType<typeof buildInEdgeIndex>;
          try {
            index = buildInEdgeIndex(n, sources, targets, { weights, shared, segmentBytes });
          } catch (error) {
            // Only when one vertex has more in-edges than a segment holds.
            const most = Math.max(
              0,
              ...Array.from({ length: n }, (_, v) => edges.filter((e) => e[1] === v).length),
            );
            expect(shared && segmentBytes !== undefined && most * 8 > segmentBytes).toBe(true);
            expect(error).toBeInstanceOf(RangeError);
            return;
          }
          const { csr } = buildCsr(n, sources, targets, { weights });
          const transposed = csr.inEdges();
          expect(Array.from(index.offsets)).toEqual(Array.from(transposed.offsets));
          const segments = index.sources.arrays;
          expect(segments.every((array) => array.buffer instanceof SharedArrayBuffer)).toBe(shared);
          if (shared && segmentBytes !== undefined) {
            for (const array of index.weights!.arrays)
              expect(array.byteLength).toBeLessThanOrEqual(segmentBytes);
          } else expect(segments.length).toBe(1);
          for (let v = 0; v < n; v++) {
            // Input order: the edges into v as they appear in the input.
            const expected = edges.flatMap((e) => (e[1] === v ? [[e[0], e[2]]] : []));
            const actual = [];
            for (let p = index.offsets[v]; p < index.offsets[v + 1]; p++) {
              actual.push([at(index.offsets, index.sources, p), at(index.offsets, index.weights!, p)]);
            }
            expect(actual).toEqual(expected);
          }
          expect(Array.from(index.outDegrees)).toEqual(Array.from(csr.outDegrees()));
          for (let v = 0; v < n; v++) {
            let total = 0;
            for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) total += csr.weights![e];
            expect(index.outWeights![v]).toBe(total);
          }
        },
      ),
    );
  });

  it('leaves weights out when none are given', () => {
    const index = buildInEdgeIndex(3, Int32Array.from([0, 1, 1]), Int32Array.from([1, 2, 0]));
    expect(Array.from(index.offsets)).toEqual([0, 1, 2, 3]);
    expect(index.sources.arrays.map((array) => Array.from(array))).toEqual([[1, 0, 1]]);
    expect(index.weights).toBeUndefined();
    expect(index.outWeights).toBeUndefined();
  });
});

describe('buildInEdgeIndexOnThreads', () => {
  const shared = (values: number[]) => {
    const array = new Int32Array(new SharedArrayBuffer(4 * values.length));
    array.set(values);
    return array;
  };
  const plain = (index: ReturnType<typeof buildInEdgeIndex>) => ({
    offsets: Array.from(index.offsets),
    sources: index.sources.arrays.flatMap((array) => Array.from(array)),
    outDegrees: Array.from(index.outDegrees),
  });

  it('builds the index of one thread, in input order, at any parallelism, chunking and segments', async () => {
    await fc.assert(
      fc.asyncProperty(
        edgeLists,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 40 }),
        fc.option(fc.integer({ min: 8, max: 200 }), { nil: undefined }),
        async ([n, edges], parallelism, edgesPerThread, segmentBytes) => {
          const sources = shared(edges.map((e) => e[0]));
          const targets = shared(edges.map((e) => e[1]));
          let expected: ReturnType<typeof plain>;
          try {
            expected = plain(buildInEdgeIndex(n, sources, targets, { shared: true, segmentBytes }));
          } catch (error) {
            // A vertex with more in-edges than a segment holds, on any number of threads.
            expect(String(error)).toMatch(/more than \d+ edges/);
            const threads = { parallelism, edgesPerThread, segmentBytes };
            await expect(buildInEdgeIndexOnThreads(n, sources, targets, threads)).rejects.toThrow(
              /more than/,
            );
            return;
          }
          const index = await buildInEdgeIndexOnThreads(n, sources, targets, {
            parallelism,
            edgesPerThread,
            segmentBytes,
          });
          expect(plain(index)).toEqual(expected);
          for (let s = 0; s < index.sources.arrays.length; s++) {
            const array = index.sources.arrays[s];
            expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
            expect(array).toHaveLength(
              index.offsets[index.sources.bounds[s + 1]] - index.offsets[index.sources.bounds[s]],
            );
            if (segmentBytes !== undefined) expect(array.byteLength).toBeLessThanOrEqual(segmentBytes);
          }
          expect(index.weights).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('indexes plain arrays on this thread, and builds segments on threads', async () => {
    const sources = [0, 1, 2, 2, 3, 0, 1];
    const targets = [1, 2, 0, 1, 1, 3, 3];
    const expected = plain(buildInEdgeIndex(4, Int32Array.from(sources), Int32Array.from(targets)));
    const fromPlain = await buildInEdgeIndexOnThreads(4, Int32Array.from(sources), Int32Array.from(targets), {
      parallelism: 2,
      edgesPerThread: 1,
    });
    expect(plain(fromPlain)).toEqual(expected);
    expect(fromPlain.sources.arrays[0].buffer).toBeInstanceOf(SharedArrayBuffer);
    const segmented = await buildInEdgeIndexOnThreads(4, shared(sources), shared(targets), {
      parallelism: 2,
      edgesPerThread: 1,
      segmentBytes: 12,
    });
    expect(segmented.sources.arrays.length).toBeGreaterThan(1);
    expect(plain(segmented)).toEqual(expected);
  });
});

describe('segmentBounds and sharedSegments', () => {
  it('cut at vertex bounds into segments of at most maxEdges, with the same values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(6), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 6, max: 50 }),
        (degrees, maxEdges) => {
          const offsets = new Int32Array(degrees.length + 1);
          degrees.forEach((d, v) => {
            offsets[v + 1] = offsets[v] + d;
          });
          const bounds = segmentBounds(offsets, maxEdges);
          expect(bounds[0]).toBe(0);
          expect(bounds[bounds.length - 1]).toBe(degrees.length);
          for (let s = 0; s + 1 < bounds.length; s++) {
            expect(offsets[bounds[s + 1]] - offsets[bounds[s]]).toBeLessThanOrEqual(maxEdges);
          }
          const values = Int32Array.from({ length: offsets[degrees.length] }, (_, p) => p * 7);
          const whole = { bounds: Int32Array.of(0, degrees.length), arrays: [values] };
          const split = sharedSegments(offsets, whole, maxEdges);
          for (let p = 0; p < values.length; p++) expect(at(offsets, split, p)).toBe(p * 7);
          // Already shared and small enough: the same arrays.
          expect(sharedSegments(offsets, split, maxEdges)).toBe(split);
          // And back into other segments.
          const again = sharedSegments(offsets, split, Math.max(6, maxEdges - 3));
          for (let p = 0; p < values.length; p++) expect(at(offsets, again, p)).toBe(p * 7);
        },
      ),
    );
  });

  it('refuses a vertex with more edges than a segment holds', () => {
    expect(() => segmentBounds(Int32Array.of(0, 2, 12), 5)).toThrow(RangeError);
  });
});
