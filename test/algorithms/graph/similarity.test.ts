// Expected values: networkx 2.8 jaccard_coefficient and adamic_adar_index over the pairs with
// a shared neighbour, at the minimum scores stored in the references
// (test/fixtures/graph/make_references.py).
import { describe, expect, it } from 'vitest';
import { adamicAdar, jaccardIndex, type PairScores } from '../../../algorithms/graph/similarity.js';
import { type FixtureName, fixtureGraph, references, smallGraph } from './fixtures.js';

function byPair(scores: PairScores<string | number>): Map<string, number> {
  const pairs = new Map<string, number>();
  for (const [a, b, score] of scores) {
    const [first, second] = [String(a), String(b)].sort();
    pairs.set(`${first}\t${second}`, score);
  }
  return pairs;
}

describe.each<FixtureName>(['lesmis', 'rmat'])('similarity on %s agrees with networkx', (name) => {
  it.each([
    ['jaccard', jaccardIndex],
    ['adamicAdar', adamicAdar],
  ] as const)('%s with the minimum-score filter', async (measure, run) => {
    const { minimumScore, scores } = references(name)[measure];
    const actual = byPair(run(await fixtureGraph(name), { minimumScore }));
    expect(actual.size).toBe(Object.keys(scores).length);
    for (const [pair, score] of Object.entries<number>(scores))
      expect(actual.get(pair)).toBeCloseTo(score, 12);
  });
});

describe('similarity', () => {
  it('scores only pairs with a shared neighbour, first id below second', () => {
    const graph = smallGraph([
      [1, 2],
      [1, 3],
      [4, 3],
      [5, 6],
    ]);
    expect([...jaccardIndex(graph)]).toEqual([
      [1, 4, 1 / 2],
      [2, 3, 1 / 2],
    ]);
    expect([...adamicAdar(graph)]).toEqual([
      [1, 4, 1 / Math.log(2)],
      [2, 3, 1 / Math.log(2)],
    ]);
    expect(jaccardIndex(graph, { minimumScore: 0.6 }).size).toBe(0);
    expect(jaccardIndex(graph).toTable().numRows).toBe(2);
  });
});
