import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../src/graph/csr.js';
import { buildInEdgeIndex } from '../../src/graph/in-edge-index.js';

const edgeLists = fc
  .integer({ min: 1, max: 30 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 1, max: 9 })), { maxLength: 120 }),
    ),
  );

describe('buildInEdgeIndex', () => {
  it('holds the transpose of the CSR: the same in-edges per vertex, in input order', () => {
    fc.assert(
      fc.property(edgeLists, fc.boolean(), ([n, edges], shared) => {
        const sources = Int32Array.from(edges, (e) => e[0]);
        const targets = Int32Array.from(edges, (e) => e[1]);
        const weights = Float64Array.from(edges, (e) => e[2]);
        const index = buildInEdgeIndex(n, sources, targets, { weights, shared });
        const { csr } = buildCsr(n, sources, targets, { weights });
        const transposed = csr.inEdges();
        expect(Array.from(index.offsets)).toEqual(Array.from(transposed.offsets));
        expect(index.sources.buffer instanceof SharedArrayBuffer).toBe(shared);
        for (let v = 0; v < n; v++) {
          // Input order: the edges into v as they appear in the input.
          const expected = edges.flatMap((e) => (e[1] === v ? [[e[0], e[2]]] : []));
          const actual = [];
          for (let p = index.offsets[v]; p < index.offsets[v + 1]; p++) {
            actual.push([index.sources[p], index.weights![p]]);
          }
          expect(actual).toEqual(expected);
        }
        expect(Array.from(index.outDegrees)).toEqual(Array.from(csr.outDegrees()));
        for (let v = 0; v < n; v++) {
          let total = 0;
          for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) total += csr.weights![e];
          expect(index.outWeights![v]).toBe(total);
        }
      }),
    );
  });

  it('leaves weights out when none are given', () => {
    const index = buildInEdgeIndex(3, Int32Array.from([0, 1, 1]), Int32Array.from([1, 2, 0]));
    expect(Array.from(index.offsets)).toEqual([0, 1, 2, 3]);
    expect(Array.from(index.sources)).toEqual([1, 0, 1]);
    expect(index.weights).toBeUndefined();
    expect(index.outWeights).toBeUndefined();
  });
});
