import { ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';
import { type ArrayAllocator, plainArrays, shared, sharedArrays } from '../../../src/core/shared-memory.js';
import type { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { env } from '../../../src/dataset/environment.js';
import {
  explainRuns,
  type IterationSequence,
  iterationStep,
  type RunIterationsOptions,
  runIterations,
  runIterationsHere,
} from '../../../src/dataset/model-iteration.js';
import { extractFeatures, loadData, type MLData } from '../../../src/ml/data.js';
import { type FluentParams, type ParamValues, paramsFromJSON } from '../../../src/ml/params.js';
import { checkStageJSON, jsonRows, readModelJSON, registerModelType } from '../../../src/ml/persistence.js';
import { Estimator, type FitOptions, Transformer } from '../../../src/ml/stage.js';
import type { Table } from '../../../src/table/table.js';
import { distanceFunction } from '../distance.js';
import { assignKernel, plusPlusKernel } from './chunk-kernels.js';
import { kMeansPlusPlusIteration, randomCentres } from './init.js';
import { type KMeansResult, type KMeansRunOptions, lloydRun } from './lloyd.js';
import { nearestCentre } from './nearest.js';
import { kMeansModelParams, kMeansParams } from './params.js';
import {
  assignByMeasure,
  assignEuclidean,
  broadcastCentres,
  createChunkState,
  createPartialSums,
} from './step.js';

export { type KMeansResult, type KMeansRunOptions, kMeansRun } from './lloyd.js';

/** The runs `nInit: 'auto'` makes, as scikit-learn 1.4 does: 1 from k-means++, 10 from random centres. */
export function resolveNInit(nInit: number | 'auto', init: 'k-means++' | 'random'): number {
  if (nInit !== 'auto') return nInit;
  return init === 'k-means++' ? 1 : 10;
}

function meanVariance(points: DenseMatrix): number {
  const { rows, columns, data } = points;
  if (columns === 0) return 0;
  // Row by row (the matrix is row-major): the means, then the squared deviations.
  const mean = new Float64Array(columns);
  for (let i = 0, at = 0; i < rows; i++) for (let j = 0; j < columns; j++) mean[j] += data[at++];
  for (let j = 0; j < columns; j++) mean[j] /= rows;
  const variance = new Float64Array(columns);
  for (let i = 0, at = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) variance[j] += (data[at++] - mean[j]) ** 2;
  }
  let total = 0;
  for (let j = 0; j < columns; j++) total += variance[j] / rows;
  return total / columns;
}

type KMeansSpecs = typeof kMeansParams;
type KMeansModelSpecs = typeof kMeansModelParams;

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface KMeans extends FluentParams<KMeansSpecs, KMeans> {}

/**
 * k-means clustering (Flink ML's KMeans, scikit-learn's KMeans): `k`, `init` (`k-means++` with
 * local trials, or `random`), `nInit` runs keeping the lowest inertia (`'auto'`: 1 with k-means++,
 * 10 with random), `maxIterations`, `tolerance`, `distanceMeasure` (`euclidean`, `cosine`,
 * `manhattan`; centres are means, as in Flink ML), `seed`, `featuresCol`, `predictionCol`, and
 * `parallelism` (threads for {@link KMeans.fit} and {@link KMeans.fitMatrixParallel}; the result
 * does not depend on it).
 * @example
 * const model = await new KMeans({ k: 3, seed: 1 }).fit([[0, 0], [0, 1], [9, 9], [9, 8], [5, 5]]);
 * model.predict([8.5, 9]);  // the cluster of a point
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class KMeans extends Estimator<KMeansSpecs, KMeansModel> {
  /** The model type this estimator fits. */
  static readonly Model: typeof KMeansModel;

  constructor(options: Partial<ParamValues<KMeansSpecs>> = {}) {
    super(kMeansParams, options);
  }

  fitTable(frame: Table): KMeansModel {
    const features = extractFeatures(frame, this.get('featuresCol'));
    return this.modelOf(this.fitMatrix(features.matrix, frame.source), features.featuresCol);
  }

  /** The model of a run's result, carrying this estimator's column parameters. */
  modelOf(
    result: KMeansResult,
    featuresCol: string | readonly string[] = this.get('featuresCol'),
  ): KMeansModel {
    return new KMeansModel(result.centroids, {
      params: {
        featuresCol,
        predictionCol: this.get('predictionCol'),
        distanceMeasure: this.get('distanceMeasure'),
      },
      inertia: result.inertia,
      iterations: result.iterations,
    });
  }

  /**
   * Runs k-means over a matrix on the calling thread (nInit runs from seeds derived from
   * `seed`) and returns the best run: the supersteps of {@link fitMatrixParallel}'s bulk
   * iterations, run synchronously, with the same result; `parallelism` is not used.
   */
  fitMatrix(points: DenseMatrix, source = '<data>'): KMeansResult {
    return runIterationsHere(this.fitIterations(points, source, plainArrays));
  }

  /**
   * {@link fitMatrix} as bulk iterations of the DataSet engine (k-means++, then Lloyd's rounds,
   * per run): the rows in fixed-size chunks in shared memory, the assignment a `mapPartition`
   * kernel on `parallelism` partitions (worker threads of the process-wide pool, or of `pool`),
   * the centres the broadcast model, the chunks' sums added in chunk order. The same result at
   * every parallelism. The explain() text of each plan run is added to `plans` when given;
   * `progress` counts the supersteps of every run (k-means++ and Lloyd's rounds).
   */
  async fitMatrixParallel(
    points: DenseMatrix,
    source = '<data>',
    { pool, ...options }: RunIterationsOptions & { pool?: WorkerPool } = {},
  ): Promise<KMeansResult> {
    const parallelism = this.get('parallelism');
    const environment = env({ parallelism, pool });
    if (parallelism === 1)
      return runIterations(environment, this.fitIterations(points, source, plainArrays), options);
    const sharedPoints = new DenseMatrix(points.rows, points.columns, shared(points.data));
    return runIterations(environment, this.fitIterations(sharedPoints, source, sharedArrays), options);
  }

  /**
   * Starts the worker threads {@link fit} runs on and has them load the kernels, so that their
   * start overlaps other work (reading the input) instead of the first superstep.
   */
  warmUp(pool?: WorkerPool): Promise<void> {
    return env({ parallelism: this.get('parallelism'), pool }).warmUp([assignKernel, plusPlusKernel]);
  }

  /** Fits on the DataSet engine (see {@link fitMatrixParallel}); pipelines call fitTable instead. */
  override async fit(data: MLData, options: FitOptions = {}): Promise<KMeansModel> {
    const frame = await loadData(data);
    const features = extractFeatures(frame, this.get('featuresCol'));
    const result = await this.fitMatrixParallel(features.matrix, frame.source, options);
    return this.modelOf(result, features.featuresCol);
  }

  /** Fits `data` on the DataSet engine and returns the explain() text of every plan the fit ran. */
  async explainFit(data: MLData): Promise<string[]> {
    const frame = await loadData(data);
    const { matrix } = extractFeatures(frame, this.get('featuresCol'));
    return explainRuns((plans) => this.fitMatrixParallel(matrix, frame.source, { plans }));
  }

  private *fitIterations(
    points: DenseMatrix,
    source: string,
    allocate: ArrayAllocator,
  ): IterationSequence<KMeansResult> {
    const k = this.get('k');
    if (k > points.rows) {
      throw new ParamError('k', k, `at most the number of rows (${points.rows}) of ${source}`);
    }
    const rng = random(this.get('seed'));
    const options: KMeansRunOptions = {
      maxIterations: this.get('maxIterations'),
      tolerance: this.get('tolerance') * meanVariance(points),
      distanceMeasure: this.get('distanceMeasure'),
    };
    const init = this.get('init');
    let best: KMeansResult | undefined;
    for (let run = 0; run < resolveNInit(this.get('nInit'), init); run++) {
      const runRng = rng.derive(run);
      let initial: Float64Array;
      if (init === 'random') initial = randomCentres(points, k, runRng);
      else {
        const plusPlus = kMeansPlusPlusIteration(points, k, runRng, allocate);
        initial = plusPlus.iteration ? (yield* iterationStep(plusPlus.iteration)).centres : plusPlus.first;
      }
      const lloyd = lloydRun(points, initial, options, allocate);
      const result = lloyd.result(yield* iterationStep(lloyd.iteration));
      if (best === undefined || result.inertia < best.inertia) best = result;
    }
    return best!;
  }
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface KMeansModel extends FluentParams<KMeansModelSpecs, KMeansModel> {}

/**
 * A fitted k-means model: the centres. `predict(point)` gives the nearest centre's index and
 * `transform` adds it as the `predictionCol` column.
 *
 * Saved as JSON (batch {@link KMeans} and the streaming OnlineKMeans write the same format):
 * ```json
 * { "type": "kmeans",
 *   "params": { "featuresCol": "features", "predictionCol": "prediction", "distanceMeasure": "euclidean" },
 *   "centroids": [[0.5, 1.2], [8.9, 0.1]],
 *   "inertia": 12.5, "iterations": 7 }
 * ```
 * `centroids` (k rows of d numbers) is required; `params` and each of its fields are optional
 * (defaults as in {@link kMeansModelParams}); `inertia` and `iterations` are informative.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class KMeansModel extends Transformer<KMeansModelSpecs> {
  readonly type = 'kmeans';
  /** k x d centres. */
  readonly centroids: DenseMatrix;
  /** The training inertia, when known. */
  readonly inertia?: number;
  /** Iterations of the training run, when known. */
  readonly iterations?: number;

  constructor(
    centroids: DenseMatrix,
    options: {
      params?: Partial<ParamValues<KMeansModelSpecs>>;
      inertia?: number;
      iterations?: number;
    } = {},
  ) {
    super(kMeansModelParams, options.params);
    this.centroids = centroids;
    this.inertia = options.inertia;
    this.iterations = options.iterations;
  }

  /** The index of the centre nearest to `point` (the lowest index on ties). */
  predict(point: ArrayLike<number>): number {
    const { rows: k, columns: d, data: centres } = this.centroids;
    if (point.length !== d) throw new ParamError('point', `a point of ${point.length} values`, `${d} values`);
    const row = Float64Array.from(point);
    const measure = this.get('distanceMeasure');
    if (measure === 'euclidean') return nearestCentre(centres, k, d, row, 0, new Float64Array(k));
    const distance = distanceFunction(measure);
    let nearestAt = 0;
    let nearest = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const value = distance(row, 0, centres, c * d, d);
      if (value < nearest) {
        nearest = value;
        nearestAt = c;
      }
    }
    return nearestAt;
  }

  /** The nearest centre of every row of a matrix. */
  predictMatrix(points: DenseMatrix): Int32Array {
    const d = this.centroids.columns;
    if (points.columns !== d) {
      throw new ParamError(
        'points',
        `a matrix of ${points.columns} columns`,
        `${d} columns like the centroids`,
      );
    }
    const k = this.centroids.rows;
    const state = createChunkState(points.rows, k, d);
    const sums = createPartialSums(k, d);
    const broadcast = broadcastCentres(this.centroids.data, k, d, new Float64Array(k));
    const measure = this.get('distanceMeasure');
    if (measure === 'euclidean') assignEuclidean(points, broadcast, state, sums);
    else assignByMeasure(points, broadcast, measure, state.labels, sums);
    return state.labels;
  }

  transformTable(frame: Table): Table {
    const { matrix } = extractFeatures(frame, this.get('featuresCol'), [this.get('predictionCol')]);
    const labels = this.predictMatrix(matrix);
    return frame.withTypedColumn(this.get('predictionCol'), {
      kind: 'number',
      values: Float64Array.from(labels),
    });
  }

  protected stateJSON(): Record<string, unknown> {
    return {
      centroids: this.centroids.toRows(),
      ...(this.inertia === undefined ? {} : { inertia: this.inertia }),
      ...(this.iterations === undefined ? {} : { iterations: this.iterations }),
    };
  }

  /** Reads a model from its JSON (see the class documentation for the format). */
  static fromJSON(json: unknown, source = '<json>'): KMeansModel {
    const stage = checkStageJSON(json, source, 'kmeans');
    const params = paramsFromJSON(kMeansModelParams, stage.params, 'kmeans').getAll();
    const centroids = DenseMatrix.fromRows(jsonRows(stage, 'centroids', source));
    return new KMeansModel(centroids, {
      params,
      inertia: typeof stage.inertia === 'number' ? stage.inertia : undefined,
      iterations: typeof stage.iterations === 'number' ? stage.iterations : undefined,
    });
  }

  /** Loads a model saved with `save(path)`. */
  static async load(path: string): Promise<KMeansModel> {
    return KMeansModel.fromJSON(await readModelJSON(path), path);
  }
}

(KMeans as { Model: typeof KMeansModel }).Model = KMeansModel;
registerModelType('kmeans', KMeansModel.fromJSON);
