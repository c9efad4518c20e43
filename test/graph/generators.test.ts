import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import {
  circulantGraph,
  completeGraph,
  cycleGraph,
  echoGraph,
  emptyGraph,
  type GeneratedGraph,
  gridGraph,
  hypercubeGraph,
  pathGraph,
  RMAT_BLOCK_EDGES,
  rmatGraph,
  singletonEdgeGraph,
  starGraph,
} from '../../src/graph/generators.js';

const pairs = (g: GeneratedGraph) => Array.from(g.sources, (s, e) => `${s}-${g.targets[e]}`);

/** Every edge has its reverse, and there are no duplicates or self-loops. */
function expectSimpleUndirected(g: GeneratedGraph): void {
  const set = new Set(pairs(g));
  expect(set.size).toBe(g.sources.length);
  for (let e = 0; e < g.sources.length; e++) {
    expect(g.sources[e]).not.toBe(g.targets[e]);
    expect(set.has(`${g.targets[e]}-${g.sources[e]}`)).toBe(true);
  }
}

describe('generators', () => {
  it('make the small graphs exactly, edges ordered by source then target', () => {
    expect(pairs(completeGraph(3))).toEqual(['0-1', '0-2', '1-0', '1-2', '2-0', '2-1']);
    expect(pairs(cycleGraph(3))).toEqual(['0-1', '0-2', '1-0', '1-2', '2-0', '2-1']);
    expect(pairs(cycleGraph(2))).toEqual(['0-1', '1-0']);
    expect(pairs(pathGraph(3))).toEqual(['0-1', '1-0', '1-2', '2-1']);
    expect(pairs(starGraph(3))).toEqual(['0-1', '0-2', '1-0', '2-0']);
    expect(pairs(singletonEdgeGraph(2))).toEqual(['0-1', '1-0', '2-3', '3-2']);
    expect(pairs(gridGraph([{ size: 2 }, { size: 2 }]))).toEqual(pairs(hypercubeGraph(2)));
    expect(pairs(hypercubeGraph(2))).toEqual(['0-1', '0-2', '1-0', '1-3', '2-0', '2-3', '3-1', '3-2']);
    const empty = emptyGraph(4);
    expect(empty.dictionary.size).toBe(4);
    expect(empty.sources.length).toBe(0);
  });

  it('have the edge counts of their definitions', () => {
    expect(completeGraph(7).sources.length).toBe(7 * 6);
    expect(cycleGraph(10).sources.length).toBe(20);
    expect(pathGraph(10).sources.length).toBe(18);
    expect(starGraph(10).sources.length).toBe(18);
    // 3x4 grid: 3*3 + 2*4 = 17 undirected edges; wrapped: 3*4 + 3*4 = 24.
    expect(gridGraph([{ size: 3 }, { size: 4 }]).sources.length).toBe(34);
    expect(
      gridGraph([
        { size: 3, wrap: true },
        { size: 4, wrap: true },
      ]).sources.length,
    ).toBe(48);
    expect(hypercubeGraph(5).sources.length).toBe(5 * 32);
    expect(circulantGraph(10, [1, 5]).sources.length).toBe(10 * 3);
    for (const g of [
      completeGraph(5),
      cycleGraph(6),
      gridGraph([{ size: 3, wrap: true }, { size: 2, wrap: true }, { size: 5 }]),
      hypercubeGraph(4),
      circulantGraph(9, [2, 3]),
      echoGraph(10, 3),
      starGraph(5),
    ]) {
      expectSimpleUndirected(g);
    }
  });

  it('connect echo vertices to the vertices opposite them', () => {
    const g = echoGraph(10, 3);
    expect(pairs(g).filter((p) => p.startsWith('0-'))).toEqual(['0-4', '0-5', '0-6']);
    expect(echoGraph(9, 2).sources.length).toBe(18);
    expect(() => echoGraph(10, 4)).toThrow(ParamError);
  });

  it('validate their parameters', () => {
    expect(() => completeGraph(-1)).toThrow(ParamError);
    expect(() => cycleGraph(1)).toThrow(ParamError);
    expect(() => circulantGraph(5, [5])).toThrow(/offsets/);
    expect(() => gridGraph([])).toThrow(ParamError);
    expect(() => rmatGraph({ a: 0.6, b: 0.3, c: 0.3 })).toThrow(/at most 1/);
    expect(() => rmatGraph({ noise: 2 })).toThrow(ParamError);
  });
});

describe('rmatGraph', () => {
  it('draws edgeFactor * 2^scale edges over 2^scale vertices, the same for the same seed', () => {
    const g = rmatGraph({ scale: 12, edgeFactor: 20, seed: 5 });
    expect(g.sources.length).toBe(20 * 4096);
    expect(g.sources.length).toBeGreaterThan(RMAT_BLOCK_EDGES);
    expect(g.dictionary.size).toBe(4096);
    expect(g.sources.every((s, e) => s >= 0 && s < 4096 && g.targets[e] >= 0 && g.targets[e] < 4096)).toBe(
      true,
    );
    const again = rmatGraph({ scale: 12, edgeFactor: 20, seed: 5 });
    expect(again.sources).toEqual(g.sources);
    expect(again.targets).toEqual(g.targets);
    const other = rmatGraph({ scale: 12, edgeFactor: 20, seed: 6 });
    expect(other.sources).not.toEqual(g.sources);
  });

  it('follows the quadrant probabilities at the top bit', () => {
    const a = 0.45;
    const b = 0.25;
    const c = 0.15;
    const g = rmatGraph({ scale: 10, edgeFactor: 64, a, b, c, seed: 1 });
    const counts = [0, 0, 0, 0];
    for (let e = 0; e < g.sources.length; e++) counts[((g.sources[e] >> 9) << 1) | (g.targets[e] >> 9)]++;
    const total = g.sources.length;
    // 65536 draws: the standard error of each share is below 0.002.
    expect(counts[0] / total).toBeCloseTo(a, 2);
    expect(counts[1] / total).toBeCloseTo(b, 2);
    expect(counts[2] / total).toBeCloseTo(c, 2);
    expect(counts[3] / total).toBeCloseTo(1 - a - b - c, 2);
  });

  it('jitters the probabilities with noise, still deterministic', () => {
    const plain = rmatGraph({ scale: 8, edgeFactor: 8, seed: 2 });
    const noisy = rmatGraph({ scale: 8, edgeFactor: 8, seed: 2, noise: 0.5 });
    expect(noisy.sources).not.toEqual(plain.sources);
    expect(rmatGraph({ scale: 8, edgeFactor: 8, seed: 2, noise: 0.5 }).targets).toEqual(noisy.targets);
  });
});
