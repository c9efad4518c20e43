// Expected values: principal eigenvectors of A·Aᵀ and Aᵀ·A by scipy's eigsh
// (test/fixtures/graph/make_references.py).
import { describe, expect, it } from 'vitest';
import { hits } from '../../../algorithms/graph/hits.js';
import { type FixtureName, fixtureGraph, references } from './fixtures.js';

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
