// Expected values: networkx 2.8 triangles, clustering, average_clustering, transitivity and
// triadic_census (test/fixtures/graph/make_references.py).
import { describe, expect, it } from 'vitest';
import { clusteringCoefficients } from '../../../algorithms/graph/clustering-coefficient.js';
import { triadicCensus } from '../../../algorithms/graph/triadic-census.js';
import { countTriangles, TRIANGLE_CHUNKS, triangles } from '../../../algorithms/graph/triangles.js';
import { type FixtureName, fixtureGraph, references, smallGraph } from './fixtures.js';

describe.each<FixtureName>(['lesmis', 'rmat'])('triangle measures of %s agree with networkx', (name) => {
  const expected = references(name);

  it('triangle count and triangles per vertex; listing has each triangle once', async () => {
    const found = triangles(await fixtureGraph(name), { list: true });
    expect(found.count).toBe(expected.triangleCount);
    for (const [key, count] of found.perVertex) expect(count).toBe(expected.triangles[String(key)]);
    const listed = found.keys().map((triple) => triple.map(String).sort().join('\t'));
    expect(listed).toHaveLength(expected.triangleCount);
    expect(new Set(listed).size).toBe(expected.triangleCount);
  });

  it('the parallel count (oriented index, core driver) at parallelism 1, 2 and 3', async () => {
    const graph = await fixtureGraph(name);
    for (const parallelism of [1, 2, 3]) {
      const updates: number[] = [];
      const progress = {
        enabled: true,
        update: (done: number) => void updates.push(done),
        finish: () => void updates.push(-1),
      };
      expect(await countTriangles(graph, { parallelism, progress })).toBe(expected.triangleCount);
      // Progress never goes back, and ends at every chunk done.
      expect(updates.at(-1)).toBe(-1);
      expect(updates.at(-2)).toBe(TRIANGLE_CHUNKS);
      for (let i = 1; i < updates.length - 1; i++) expect(updates[i]).toBeGreaterThanOrEqual(updates[i - 1]);
    }
  });

  it('local, average and global clustering coefficients', async () => {
    const clustering = clusteringCoefficients(await fixtureGraph(name));
    for (const [key, value] of clustering.local)
      expect(value).toBeCloseTo(expected.localClustering[String(key)], 12);
    expect(clustering.average).toBeCloseTo(expected.averageClustering, 12);
    expect(clustering.global).toBeCloseTo(expected.globalClustering, 12);
  });

  it('triadic census', async () => {
    expect(triadicCensus(await fixtureGraph(name))).toEqual(expected.triadicCensus);
  });
});

describe('triangles', () => {
  it('ignore direction, self-loops and parallel edges', () => {
    const graph = smallGraph([
      [1, 2],
      [2, 1],
      [2, 3],
      [3, 1],
      [3, 3],
      [1, 2],
      [3, 4],
    ]);
    const found = triangles(graph, { list: true });
    expect(found.count).toBe(1);
    expect(found.keys()).toEqual([[1, 2, 3]]);
    expect(Array.from(found.perVertex.values)).toEqual([1, 1, 1, 0]);
  });

  it('are counted in parallel on graphs smaller than the chunks, and on none', async () => {
    const graph = smallGraph([
      [1, 2],
      [2, 3],
      [3, 1],
      [3, 4],
      [4, 1],
    ]);
    expect(await countTriangles(graph, { parallelism: 2 })).toBe(2);
    expect(await countTriangles(smallGraph([]), { parallelism: 2 })).toBe(0);
  });

  it('refuse to list what was only counted', () => {
    expect(() => triangles(smallGraph([[1, 2]])).keys()).toThrow(/list: true/);
  });

  it('census of a single mutual edge among three vertices', () => {
    const census = triadicCensus(
      smallGraph(
        [
          [1, 2],
          [2, 1],
        ],
        [3],
      ),
    );
    expect(census['102']).toBe(1);
    expect(Object.values(census).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
