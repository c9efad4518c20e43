// Expected values: principal eigenvectors of A·Aᵀ and Aᵀ·A by scipy's eigsh
// (test/fixtures/graph/make_references.py).
import { afterAll, describe, expect, it } from 'vitest';
import { hits } from '../../../algorithms/graph/hits/index.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { buildCsr } from '../../../src/graph/csr.js';
import { rmatGraph } from '../../../src/graph/generators.js';
import { VertexDictionary } from '../../../src/graph/vertex-dictionary.js';
import { type FixtureName, fixtureGraph, references } from './fixtures.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

describe.each<FixtureName>(['lesmis', 'rmat'])('HITS on %s agrees with the eigenvectors', (name) => {
  it('hubs and authorities to 1e-6, L2-normalised', async () => {
    const expected = references(name).hits;
    const result = hits(await fixtureGraph(name), { tolerance: 1e-14, maxIterations: 10_000 });
    expect(result.converged).toBe(true);
    let squares = 0;
    for (const [key, hub, authority] of result) {
      expect(Math.abs(hub - expected.hub[String(key)])).toBeLessThan(1e-6);
      expect(Math.abs(authority - expected.authority[String(key)])).toBeLessThan(1e-6);
      squares += hub * hub;
    }
    expect(squares).toBeCloseTo(1, 12);
    const table = result.toTable();
    expect(table.schema.fields.map((field) => field.name)).toEqual(['vertex', 'hub', 'authority']);
  });
});

describe('HITS on several threads', () => {
  it('gives the same bits at parallelism 1, 2 and 3', async () => {
    // About 82,000 edges: above the size where rounds are split over workers.
    const generated = rmatGraph({ scale: 13, edgeFactor: 10, seed: 5 });
    const { csr } = buildCsr(generated.dictionary.size, generated.sources, generated.targets);
    const graph = { dictionary: generated.dictionary, csr };
    const here = hits(graph, { tolerance: 1e-10, maxIterations: 200 });
    expect(here.converged).toBe(true);
    for (const parallelism of [1, 2, 3]) {
      const many = await hits(graph, { tolerance: 1e-10, maxIterations: 200, parallelism, pool });
      expect(many.iterations).toBe(here.iterations);
      expect(Array.from(many.hubs.values)).toEqual(Array.from(here.hubs.values));
      expect(Array.from(many.authorities.values)).toEqual(Array.from(here.authorities.values));
    }
  });

  it('gives empty scores for an empty graph', async () => {
    const graph = {
      dictionary: VertexDictionary.fromKeys<number>([]),
      csr: buildCsr(0, new Int32Array(0), new Int32Array(0)).csr,
    };
    const result = await hits(graph, { parallelism: 2, pool });
    expect(result.hubs.values.length).toBe(0);
    expect(result.iterations).toBe(0);
    expect(result.converged).toBe(true);
  });
});
