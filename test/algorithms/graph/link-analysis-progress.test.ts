import { afterAll, describe, expect, it } from 'vitest';
import { hits } from '../../../algorithms/graph/hits/index.js';
import { pageRank } from '../../../algorithms/graph/pagerank/pagerank.js';
import { stronglyConnectedComponents } from '../../../algorithms/graph/strongly-connected/index.js';
import type { Progress } from '../../../src/core/progress.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { buildCsr } from '../../../src/graph/csr.js';
import { rmatGraph } from '../../../src/graph/generators.js';
import { fixtureGraph } from './fixtures.js';

/** A progress that records what it is told. */
function recorder(): Progress & { counts: number[]; finished: number } {
  const counts: number[] = [];
  const record = {
    enabled: true,
    counts,
    finished: 0,
    update: (done: number) => counts.push(done),
    finish: () => record.finished++,
  };
  return record;
}

function expectNonDecreasing(counts: number[]): void {
  for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
}

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

describe('progress of PageRank, HITS and strongly connected components', () => {
  it('PageRank reports every round, on one thread and on several', async () => {
    const graph = await fixtureGraph('rmat');
    const here = recorder();
    const ranks = pageRank(graph, { tolerance: 1e-10, progress: here });
    expect(here.counts).toEqual(Array.from({ length: ranks.iterations }, (_, i) => i + 1));
    expect(here.finished).toBe(1);
    // Above the size where rounds go to workers.
    const generated = rmatGraph({ scale: 12, edgeFactor: 20, seed: 2 });
    const threads = recorder();
    const many = await pageRank(generated, {
      maxIterations: 7,
      tolerance: 0,
      parallelism: 2,
      pool,
      progress: threads,
    });
    expect(many.iterations).toBe(7);
    expect(threads.counts).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(threads.finished).toBe(1);
  });

  it('HITS reports every round', async () => {
    const progress = recorder();
    const result = hits(await fixtureGraph('lesmis'), { tolerance: 1e-12, progress });
    expect(progress.counts).toEqual(Array.from({ length: result.iterations }, (_, i) => i + 1));
    expect(progress.finished).toBe(1);
  });

  it('strongly connected components report the vertices reached, up to all of them', () => {
    const generated = rmatGraph({ scale: 17, edgeFactor: 2, seed: 4 });
    const n = generated.dictionary.size;
    const { csr } = buildCsr(n, generated.sources, generated.targets);
    const progress = recorder();
    const labels = stronglyConnectedComponents({ dictionary: generated.dictionary, csr }, { progress });
    expect(labels.values.length).toBe(n);
    expect(progress.counts.length).toBeGreaterThan(1);
    expectNonDecreasing(progress.counts);
    expect(progress.counts.at(-1)).toBe(n);
    expect(progress.finished).toBe(1);
  });
});
