import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { buildCsr, Csr } from '../../src/graph/csr.js';

describe('buildCsr', () => {
  const sources = Int32Array.from([2, 0, 1, 0, 2, 2]);
  const targets = Int32Array.from([0, 1, 2, 2, 1, 2]);
  const weights = Float64Array.from([1, 2, 3, 4, 5, 6]);

  it('groups edges by source and keeps input order within a source', () => {
    const { csr, edgeOrder } = buildCsr(3, sources, targets, { weights, keepEdgeOrder: true });
    expect(Array.from(csr.offsets)).toEqual([0, 2, 3, 6]);
    expect(Array.from(csr.targets)).toEqual([1, 2, 2, 0, 1, 2]);
    expect(Array.from(csr.weights!)).toEqual([2, 4, 3, 1, 5, 6]);
    expect(Array.from(edgeOrder!)).toEqual([1, 3, 2, 0, 4, 5]);
    expect(Array.from(csr.neighbors(2))).toEqual([0, 1, 2]);
    expect(Array.from(csr.outDegrees())).toEqual([2, 1, 3]);
    expect(Array.from(csr.inDegrees())).toEqual([1, 2, 3]);
    expect(Array.from(csr.sources())).toEqual([0, 0, 1, 2, 2, 2]);
  });

  it('builds the in-edge index lazily, ordered by source, pointing back at out-edge positions', () => {
    const { csr } = buildCsr(3, sources, targets, { weights });
    expect(csr.hasInEdges).toBe(false);
    const inEdges = csr.inEdges();
    expect(csr.hasInEdges).toBe(true);
    expect(Array.from(inEdges.offsets)).toEqual([0, 1, 3, 6]);
    expect(Array.from(inEdges.sources)).toEqual([2, 0, 2, 0, 1, 2]);
    for (let slot = 0; slot < inEdges.sources.length; slot++) {
      const position = inEdges.edgePositions[slot];
      expect(csr.sources()[position]).toBe(inEdges.sources[slot]);
    }
    expect(csr.weights![inEdges.edgePositions[2]]).toBe(5);
    expect(csr.inEdges()).toBe(inEdges);
  });

  it('handles vertices without edges and the empty graph', () => {
    const { csr } = buildCsr(4, Int32Array.from([3]), Int32Array.from([0]));
    expect(Array.from(csr.offsets)).toEqual([0, 0, 0, 0, 1]);
    const empty = buildCsr(0, new Int32Array(0), new Int32Array(0)).csr;
    expect(empty.vertexCount).toBe(0);
    expect(empty.edgeCount).toBe(0);
  });

  it('rejects ids out of range and mismatched lengths', () => {
    expect(() => buildCsr(2, Int32Array.from([0]), Int32Array.from([2]))).toThrow(ParamError);
    expect(() => buildCsr(2, Int32Array.from([-1]), Int32Array.from([0]))).toThrow(/vertex ids from 0 to 1/);
    expect(() => buildCsr(2, Int32Array.from([0, 1]), Int32Array.from([0]))).toThrow(ParamError);
    expect(() => new Csr(Int32Array.from([0, 2]), Int32Array.from([0]))).toThrow(ParamError);
  });
});
