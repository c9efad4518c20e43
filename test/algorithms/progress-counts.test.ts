import { afterAll, describe, expect, it } from 'vitest';
import { clusteringCoefficients } from '../../algorithms/graph/clustering-coefficient.js';
import { communityDetection } from '../../algorithms/graph/community-detection.js';
import {
  COMPONENT_CHUNKS,
  componentsOnThreads,
  connectedComponents,
  gsaConnectedComponents,
} from '../../algorithms/graph/connected-components.js';
import { labelPropagation } from '../../algorithms/graph/label-propagation.js';
import { edgeMetrics, vertexMetrics } from '../../algorithms/graph/metrics.js';
import { adamicAdar, jaccardIndex } from '../../algorithms/graph/similarity.js';
import { singleSourceShortestPaths } from '../../algorithms/graph/sssp.js';
import { countTriangles, TRIANGLE_CHUNKS, triangles } from '../../algorithms/graph/triangles.js';
import { KMeans } from '../../algorithms/ml/kmeans/batch.js';
import { LinearRegression } from '../../algorithms/ml/linear-regression.js';
import { LogisticRegression } from '../../algorithms/ml/logistic-regression.js';
import { GBTRegressor } from '../../algorithms/ml/trees/gbt.js';
import { RandomForestClassifier } from '../../algorithms/ml/trees/random-forest.js';
import type { Progress } from '../../src/core/progress.js';
import { WorkerPool } from '../../src/core/threads/worker-pool.js';
import { extractFeatures } from '../../src/ml/data.js';
import { readTabularFile } from '../../src/ml/tabular-file.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';
import { fixtureGraph } from './graph/fixtures.js';

/**
 * What the algorithms tell a progress reporter (issue 16), every call recorded (the terminal
 * reporter draws at most ten a second): counts that never go back, the total at the end, one
 * finish.
 */

/** A reporter that records every call. */
function recorder() {
  const counts: number[] = [];
  const notes: (string | undefined)[] = [];
  let finished = 0;
  const progress: Progress = {
    enabled: true,
    update(done, note) {
      counts.push(done);
      notes.push(note);
    },
    finish() {
      finished++;
    },
  };
  return { progress, counts, notes, finished: () => finished };
}

/** Checks the counts never decrease, end at `last` (when given) and were finished once. */
function expectCountingUp(record: ReturnType<typeof recorder>, last?: number): void {
  expect(record.counts.length).toBeGreaterThan(0);
  for (let i = 1; i < record.counts.length; i++) {
    expect(record.counts[i]).toBeGreaterThanOrEqual(record.counts[i - 1]);
  }
  if (last !== undefined) expect(record.counts.at(-1)).toBe(last);
  expect(record.finished()).toBe(1);
}

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

describe('graph algorithms', () => {
  it('vertex loops count vertices up to the vertex count', async () => {
    const graph = await fixtureGraph('rmat');
    const n = graph.csr.vertexCount;
    for (const run of [
      (progress: Progress) => jaccardIndex(graph, { progress }),
      (progress: Progress) => adamicAdar(graph, { progress }),
      (progress: Progress) => triangles(graph, { progress }),
      (progress: Progress) => clusteringCoefficients(graph, { progress }),
      (progress: Progress) => vertexMetrics(graph, { progress }),
    ]) {
      const record = recorder();
      run(record.progress);
      expectCountingUp(record, n);
      // A report every 4,096 vertices (2,991 here: the first) and one at the end, not one per vertex.
      expect(record.counts).toEqual([0, n]);
    }
    const edges = recorder();
    edgeMetrics(graph, { progress: edges.progress });
    expectCountingUp(edges, 2 * n);
    expect(edges.counts).toEqual([0, n, 2 * n]);
  });

  it('union-find counts its chunks, on one thread and on several', async () => {
    const graph = await fixtureGraph('rmat');
    const here = recorder();
    connectedComponents(graph, { progress: here.progress });
    expectCountingUp(here, COMPONENT_CHUNKS);
    const threads = recorder();
    const labels = await componentsOnThreads(graph, { parallelism: 3, pool, progress: threads.progress });
    expectCountingUp(threads, COMPONENT_CHUNKS);
    expect(Array.from(labels.values)).toEqual(Array.from(connectedComponents(graph).values));
    // Through windows of 1024 edges (32 of them): counted window by window.
    const windows = recorder();
    const windowed = { parallelism: 2, pool, segmentBytes: 4096, progress: windows.progress };
    expect(Array.from((await componentsOnThreads(graph, windowed)).values)).toEqual(
      Array.from(labels.values),
    );
    expectCountingUp(windows, COMPONENT_CHUNKS);
    expect(
      windows.counts.filter((count) => count > 0 && count < COMPONENT_CHUNKS / 2).length,
    ).toBeGreaterThan(8);
  });

  it('the triangle count counts its chunks on several threads', async () => {
    const graph = await fixtureGraph('rmat');
    const record = recorder();
    const count = await countTriangles(graph, { parallelism: 3, pool, progress: record.progress });
    expectCountingUp(record, TRIANGLE_CHUNKS);
    expect(count).toBe(triangles(graph).count);
  });

  it('iterations count their supersteps, one by one', async () => {
    const graph = await fixtureGraph('lesmis');
    const source = graph.dictionary.key(0);
    for (const run of [
      (progress: Progress) => singleSourceShortestPaths(graph, source, { progress }),
      (progress: Progress) => labelPropagation(graph, { progress }),
      (progress: Progress) => communityDetection(graph, { progress }),
      (progress: Progress) => gsaConnectedComponents(graph, { progress }),
    ]) {
      const record = recorder();
      run(record.progress);
      expectCountingUp(record);
      expect(record.counts).toEqual(record.counts.map((_, i) => i + 1));
    }
  });
});

describe('estimators', () => {
  it('k-means counts the supersteps of every run, on the engine with workers', async () => {
    const iris = await readTabularFile(mlFixturePath('iris.csv'));
    const { matrix } = extractFeatures(iris, ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm']);
    const record = recorder();
    const estimator = new KMeans({ k: 3, seed: 2, nInit: 3, init: 'k-means++', parallelism: 3 });
    await estimator.fitMatrixParallel(matrix, 'iris', { pool, progress: record.progress });
    expectCountingUp(record);
    // Counted on from one run to the next: 1, 2, 3, ... whatever the run.
    expect(record.counts).toEqual(record.counts.map((_, i) => i + 1));
    expect(new Set(record.notes)).toEqual(new Set(['k-means++', 'k-means Lloyd']));
    expect(record.counts.length).toBeGreaterThan(3);
  });

  it('linear and logistic regression count the supersteps of their solvers', async () => {
    const diabetes = await readTabularFile(mlFixturePath('diabetes.csv'));
    // SGD: a superstep per epoch over the rows.
    const linear = recorder();
    const model = new LinearRegression({
      labelCol: 'progression',
      solver: 'sgd',
      learningRate: 0.05,
      maxIterations: 20,
    }).fitTable(diabetes, { progress: linear.progress });
    expectCountingUp(linear);
    expect(linear.counts).toEqual(linear.counts.map((_, i) => i + 1));
    expect(linear.counts.length).toBeGreaterThanOrEqual(model.iterations ?? Number.NaN);
    const iris = await readTabularFile(mlFixturePath('iris.csv'));
    const logistic = recorder();
    await new LogisticRegression({ labelCol: 'species', parallelism: 2 }).fit(iris, {
      progress: logistic.progress,
    });
    expectCountingUp(logistic);
    expect(logistic.counts).toEqual(logistic.counts.map((_, i) => i + 1));
  });

  it('forests and boosting count passes, noted with the tree or round', async () => {
    const iris = await readTabularFile(mlFixturePath('iris.csv'));
    const forest = recorder();
    await new RandomForestClassifier({ labelCol: 'species', numTrees: 4, seed: 1 }).fit(iris, {
      progress: forest.progress,
    });
    expectCountingUp(forest);
    expect(forest.counts).toEqual(forest.counts.map((_, i) => i + 1));
    const trees = forest.notes
      .filter((note) => note !== undefined)
      .map((note) => Number(/^tree (\d+)\/4$/.exec(note!)?.[1]));
    expect(trees.at(-1)).toBe(4);
    for (let i = 1; i < trees.length; i++) expect(trees[i]).toBeGreaterThanOrEqual(trees[i - 1]);
    const diabetes = await readTabularFile(mlFixturePath('diabetes.csv'));
    const boosting = recorder();
    new GBTRegressor({ labelCol: 'progression', maxIter: 3 }).fitTable(diabetes, {
      progress: boosting.progress,
    });
    expectCountingUp(boosting);
    expect(boosting.notes.at(-1)).toBe('round 3/3');
  });
});
