// Expected components: networkx 2.8 weakly/strongly_connected_components
// (test/fixtures/graph/make_references.py).
import { describe, expect, it } from 'vitest';
import {
  connectedComponents,
  gsaConnectedComponents,
} from '../../../algorithms/graph/connected-components.js';
import { stronglyConnectedComponents } from '../../../algorithms/graph/strongly-connected/index.js';
import type { VertexLabels } from '../../../algorithms/graph/vertex-labels.js';
import { type FixtureName, fixtureGraph, references, smallGraph } from './fixtures.js';

/** The partition as sorted lists of keys (as text), sorted. */
function partition(labels: VertexLabels<string | number>): string[][] {
  return [...labels.groups().values()].map((members) => members.map(String).sort()).sort();
}

function expectedPartition(components: string[][]): string[][] {
  return components.map((members) => [...members].sort()).sort();
}

describe.each<FixtureName>(['lesmis', 'rmat'])('components of %s agree with networkx', (name) => {
  const expected = references(name);

  it('weakly connected: same partition, labelled by the smallest-id member', async () => {
    const graph = await fixtureGraph(name);
    const labels = connectedComponents(graph);
    expect(partition(labels)).toEqual(expectedPartition(expected.weaklyConnectedComponents));
    for (let v = 0; v < labels.size; v++) {
      expect(labels.labels[v]).toBeLessThanOrEqual(v);
      expect(labels.labels[labels.labels[v]]).toBe(labels.labels[v]);
    }
    expect(labels.labelCount).toBe(expected.weaklyConnectedComponents.length);
  });

  it('the gather-sum-apply variant gives the same labels', async () => {
    const graph = await fixtureGraph(name);
    const gsa = gsaConnectedComponents(graph);
    expect(Array.from(gsa.labels)).toEqual(Array.from(connectedComponents(graph).labels));
    expect(gsa.converged).toBe(true);
    expect(gsa.iterations).toBeGreaterThan(1);
  });

  it('strongly connected: same partition', async () => {
    const labels = stronglyConnectedComponents(await fixtureGraph(name));
    expect(partition(labels)).toEqual(expectedPartition(expected.stronglyConnectedComponents));
  });
});

describe('connected components', () => {
  it('label integer keys with the smallest key of the component', () => {
    const graph = smallGraph([
      [9, 7],
      [7, 8],
      [3, 5],
      [12, 12],
    ]);
    const labels = connectedComponents(graph);
    expect([...labels]).toEqual([
      [3, 3],
      [5, 3],
      [7, 7],
      [8, 7],
      [9, 7],
      [12, 12],
    ]);
    expect(labels.get(9)).toBe(7);
    expect(Array.from(labels.toTable().getChild('component')!.toArray())).toEqual([3, 3, 7, 7, 7, 12]);
  });

  it('strongly connected splits a path but keeps a cycle', () => {
    const graph = smallGraph([
      [1, 2],
      [2, 3],
      [3, 1],
      [3, 4],
    ]);
    expect([...stronglyConnectedComponents(graph)]).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 4],
    ]);
  });
});
