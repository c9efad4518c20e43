// Expected labels: direct Python ports of Gelly's LabelPropagation and CommunityDetection in
// test/fixtures/graph/make_references.py (networkx has neither with Gelly's rules).
import { describe, expect, it } from 'vitest';
import { communityDetection } from '../../../algorithms/graph/community-detection.js';
import { labelPropagation } from '../../../algorithms/graph/label-propagation.js';
import { type FixtureName, fixtureGraph, references, smallGraph } from './fixtures.js';

describe.each<FixtureName>(['lesmis', 'rmat'])('communities of %s agree with the Gelly ports', (name) => {
  const expected = references(name);

  it('label propagation', async () => {
    const { maxIterations, iterations, labels } = expected.labelPropagation;
    const result = labelPropagation(await fixtureGraph(name), { maxIterations });
    expect(result.iterations).toBe(iterations);
    for (const [key, label] of result) expect(String(label)).toBe(labels[String(key)]);
  });

  it('community detection', async () => {
    const { maxIterations, delta, iterations, labels } = expected.communityDetection;
    const result = communityDetection(await fixtureGraph(name), { maxIterations, delta });
    expect(result.iterations).toBe(iterations);
    for (const [key, label] of result) expect(String(label)).toBe(labels[String(key)]);
  });
});

describe('label propagation', () => {
  it('adopts the most frequent in-label, ties to the greater, its own label joining ties at 1', () => {
    const graph = smallGraph([
      [1, 4],
      [1, 4],
      [2, 4],
      [1, 5],
      [9, 5],
      [2, 6],
      [3, 6],
    ]);
    const result = labelPropagation(graph);
    expect(result.get(4)).toBe(1); // 1 came twice
    expect(result.get(5)).toBe(9); // 1 and 9 once each: the greater
    expect(result.get(6)).toBe(6); // 2 and 3 once each, its own 6 is greater
    expect(result.get(1)).toBe(1); // nothing received
    expect(result.converged).toBe(true);
  });

  it('counts, as Gelly’s port does, the superstep that finds labels and senders unchanged', () => {
    // On the path 1 -> 2 -> 3 the senders die out: {1, 2, 3}, {2, 3}, {3}, then none; the
    // scatter-gather model stops when no vertex receives (superstep 3), the port one later.
    const path = smallGraph([
      [1, 2],
      [2, 3],
    ]);
    expect(labelPropagation(path, { maxIterations: 10 })).toMatchObject({ iterations: 4, converged: true });
    expect(labelPropagation(path, { maxIterations: 4 })).toMatchObject({ iterations: 4, converged: true });
    expect(labelPropagation(path, { maxIterations: 3 })).toMatchObject({ iterations: 3, converged: false });
    expect([...labelPropagation(path).values]).toEqual([1, 2, 3]);
    const isolated = smallGraph<number>([], [5, 6]);
    expect(labelPropagation(isolated)).toMatchObject({ iterations: 2, converged: true });
  });
});
