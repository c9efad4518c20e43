// Expected values: networkx 2.8 pagerank at tol 1e-15 (test/fixtures/graph/make_references.py).
import { describe, expect, it } from 'vitest';
import { pageRank } from '../../../algorithms/graph/pagerank/pagerank.js';
import { ParamError } from '../../../src/core/errors.js';
import { type FixtureName, fixtureGraph, references, smallGraph } from './fixtures.js';

const tight = { tolerance: 1e-13, maxIterations: 1000 };

function expectScores(actual: Iterable<[string | number, number]>, expected: Record<string, number>): void {
  let count = 0;
  for (const [key, score] of actual) {
    expect(Math.abs(score - expected[String(key)])).toBeLessThan(1e-9);
    count++;
  }
  expect(count).toBe(Object.keys(expected).length);
}

describe.each<FixtureName>(['lesmis', 'rmat'])('pageRank on %s agrees with networkx', (name) => {
  const expected = references(name);

  it('unweighted, to 1e-9 per vertex, converged, scores sum to 1', async () => {
    const ranks = pageRank(await fixtureGraph(name), tight);
    expectScores(ranks, expected.pagerank);
    expect(ranks.converged).toBe(true);
    expect(ranks.iterations).toBeGreaterThan(10);
    expect(ranks.values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('weighted by the third column', async () => {
    expectScores(pageRank(await fixtureGraph(name), { ...tight, weighted: true }), expected.pagerankWeighted);
  });

  it('personalized on a start set', async () => {
    const { sources, scores } = expected.pagerankPersonalized;
    const graph = await fixtureGraph(name);
    const keys = sources.map((key: string) => (graph.dictionary.kind === 'number' ? Number(key) : key));
    expectScores(pageRank(graph, { ...tight, personalization: keys }), scores);
  });
});

describe('pageRank', () => {
  it('stops at maxIterations when the tolerance is 0, and reports it', async () => {
    const ranks = pageRank(await fixtureGraph('rmat'), { maxIterations: 3, tolerance: 0 });
    expect(ranks.iterations).toBe(3);
    expect(ranks.converged).toBe(false);
  });

  it('spreads sink mass evenly: a -> b gives b = a + 0.85 a-share', () => {
    // Two vertices, a -> b, b a sink. Fixed point: a = (0.15 + 0.85 b)/2, b = a + 0.85 a.
    const ranks = pageRank(smallGraph([['a', 'b']]), { tolerance: 1e-15, maxIterations: 500 });
    const a = ranks.get('a')!;
    const b = ranks.get('b')!;
    expect(a + b).toBeCloseTo(1, 14);
    expect(b).toBeCloseTo(a * 1.85, 12);
    expect(ranks.get('c')).toBeUndefined();
  });

  it('has top(n), iteration as [key, value] and an Arrow table with keys as written', async () => {
    const ranks = pageRank(await fixtureGraph('lesmis'), tight);
    const top = ranks.top(3);
    expect(top).toHaveLength(3);
    expect(top[0][1]).toBeGreaterThanOrEqual(top[1][1]);
    expect(top[1][1]).toBeGreaterThanOrEqual(top[2][1]);
    const best = [...ranks].reduce((a, b) => (b[1] > a[1] ? b : a));
    expect(top[0]).toEqual(best);
    const table = ranks.toTable();
    expect(table.numRows).toBe(ranks.size);
    expect(table.getChild('vertex')!.get(0)).toBe(ranks.dictionary.key(0));
    expect(table.getChild('score')!.get(0)).toBe(ranks.values[0]);
  });

  it('gives an empty result for an empty graph', () => {
    const ranks = pageRank(smallGraph<number>([]));
    expect(ranks.size).toBe(0);
    expect([...ranks]).toEqual([]);
  });

  it('rejects bad options with a ParamError naming them', async () => {
    const graph = await fixtureGraph('lesmis');
    expect(() => pageRank(graph, { dampingFactor: 1.5 })).toThrow(/dampingFactor/);
    expect(() => pageRank(graph, { maxIterations: 0 })).toThrow(ParamError);
    expect(() => pageRank(graph, { tolerance: -1 })).toThrow(/tolerance/);
    expect(() => pageRank(graph, { personalization: ['Nobody'] })).toThrow(/personalization.*"Nobody"/);
    expect(() => pageRank(smallGraph([[1, 2]]), { weighted: true })).toThrow(/edge weights/);
  });
});
