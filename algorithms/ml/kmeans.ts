import { ParamError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import { extractFeatures } from '../../src/ml/data.js';
import { type Frame, withColumn } from '../../src/ml/frame.js';
import {
  commonParams,
  type FluentParams,
  type ParamValues,
  param,
  paramsFromJSON,
} from '../../src/ml/params.js';
import { checkStageJSON, jsonRows, readModelJSON, registerModelType } from '../../src/ml/persistence.js';
import { Estimator, Transformer } from '../../src/ml/stage.js';
import { DISTANCE_MEASURES, type DistanceMeasure, distanceFunction, squaredEuclidean } from './distance.js';
import { kMeansPlusPlusCentres, randomCentres } from './kmeans-init.js';
import {
  assignByMeasure,
  assignEuclidean,
  broadcastCentres,
  createChunkState,
  createPartialSums,
} from './kmeans-step.js';

/** Parameters of a fitted {@link KMeansModel}. */
export const kMeansModelParams = {
  featuresCol: commonParams.featuresCol,
  predictionCol: commonParams.predictionCol,
  distanceMeasure: param.choice('euclidean', 'how points are compared with centres', DISTANCE_MEASURES),
};

/** Parameters of {@link KMeans}, with scikit-learn's defaults where Flink ML has none. */
export const kMeansParams = {
  ...kMeansModelParams,
  k: param.integer(2, 'the number of clusters', { min: 1 }),
  init: param.choice('k-means++', 'how the first centres are chosen', ['k-means++', 'random'] as const),
  nInit: param.integer(1, 'how many runs from different initial centres; the lowest inertia wins', {
    min: 1,
  }),
  maxIterations: param.integer(300, 'the most Lloyd iterations per run', { min: 1 }),
  tolerance: param.number(
    1e-4,
    'stop when the squared centre movement is at most this times the mean feature variance (scikit-learn tol); 0 runs until no label changes',
    { min: 0 },
  ),
  seed: commonParams.seed,
};

/** The outcome of one k-means run over a matrix. */
export interface KMeansResult {
  /** k x d centres, row-major. */
  centroids: DenseMatrix;
  /** The cluster of every row. */
  labels: Int32Array;
  /** Sum of squared Euclidean distances to the assigned centre (of distances, for the other measures). */
  inertia: number;
  iterations: number;
  /** Whether it stopped by the tolerance or stable labels rather than by maxIterations. */
  converged: boolean;
}

/** Options of {@link kMeansRun}: the {@link kMeansParams} that shape one run. */
export interface KMeansRunOptions {
  maxIterations: number;
  /** Absolute threshold on the sum of squared centre movements. */
  tolerance: number;
  distanceMeasure: DistanceMeasure;
}

function meanVariance(points: DenseMatrix): number {
  const { rows, columns, data } = points;
  let total = 0;
  for (let j = 0; j < columns; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += data[i * columns + j];
    mean /= rows;
    let variance = 0;
    for (let i = 0; i < rows; i++) variance += (data[i * columns + j] - mean) ** 2;
    total += variance / rows;
  }
  return columns === 0 ? 0 : total / columns;
}

/**
 * Moves each empty cluster's centre onto the row farthest from its own centre, as scikit-learn
 * does, so no centre is ever NaN. Returns whether any centre moved this way.
 */
function reseedEmptyClusters(
  points: DenseMatrix,
  centres: Float64Array,
  counts: Float64Array,
  labels: Int32Array,
  measure: DistanceMeasure,
): boolean {
  const empty: number[] = [];
  counts.forEach((count, c) => {
    if (count === 0) empty.push(c);
  });
  if (empty.length === 0) return false;
  const d = points.columns;
  const distance = distanceFunction(measure);
  const far = Array.from({ length: points.rows }, (_, i) => i)
    .map((i) => ({ i, distance: distance(points.data, i * d, centres, labels[i] * d, d) }))
    .sort((a, b) => b.distance - a.distance || a.i - b.i);
  empty.forEach((c, index) => {
    centres.set(points.row(far[index % far.length].i), c * d);
  });
  return true;
}

/**
 * One k-means run from the given centres (Lloyd's algorithm; Hamerly's bounds for Euclidean
 * distance). Each iteration assigns every row, then moves each centre to the mean of its rows.
 * It stops when no label changes, when the centres move less than the tolerance, or after
 * `maxIterations`; then the rows are assigned once more so labels match the final centres.
 */
export function kMeansRun(
  points: DenseMatrix,
  initialCentres: Float64Array,
  options: KMeansRunOptions,
): KMeansResult {
  const n = points.rows;
  const d = points.columns;
  const k = initialCentres.length / d;
  const measure = options.distanceMeasure;
  let centres = initialCentres.slice();
  const state = createChunkState(n);
  const partial = createPartialSums(k, d);
  const drift = new Float64Array(k);
  const assign = () => {
    partial.sums.fill(0);
    partial.counts.fill(0);
    partial.changed = 0;
    const broadcast = broadcastCentres(centres, k, d, drift);
    if (measure === 'euclidean') assignEuclidean(points, broadcast, state, partial);
    else assignByMeasure(points, broadcast, measure, state.labels, partial);
  };
  let iterations = 0;
  let converged = false;
  // Labels match the centres only when the loop ends right after an assignment.
  let labelsCurrent = false;
  while (iterations < options.maxIterations) {
    assign();
    iterations++;
    if (iterations > 1 && partial.changed === 0) {
      converged = labelsCurrent = true;
      break;
    }
    const next = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      const count = partial.counts[c];
      if (count === 0) continue;
      for (let j = 0; j < d; j++) next[c * d + j] = partial.sums[c * d + j] / count;
    }
    reseedEmptyClusters(points, next, partial.counts, state.labels, measure);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const moved = squaredEuclidean(next, c * d, centres, c * d, d);
      drift[c] = Math.sqrt(moved);
      shift += moved;
    }
    centres = next;
    if (shift <= options.tolerance) {
      converged = true;
      break;
    }
  }
  if (!labelsCurrent) assign();
  const distance = distanceFunction(measure);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const value = distance(points.data, i * d, centres, state.labels[i] * d, d);
    inertia += measure === 'euclidean' ? value * value : value;
  }
  return { centroids: new DenseMatrix(k, d, centres), labels: state.labels, inertia, iterations, converged };
}

type KMeansSpecs = typeof kMeansParams;
type KMeansModelSpecs = typeof kMeansModelParams;

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface KMeans extends FluentParams<KMeansSpecs, KMeans> {}

/**
 * k-means clustering (Flink ML's KMeans, scikit-learn's KMeans): `k`, `init` (`k-means++` with
 * local trials, or `random`), `nInit` runs keeping the lowest inertia, `maxIterations`,
 * `tolerance`, `distanceMeasure` (`euclidean`, `cosine`, `manhattan`; centres are means, as in
 * Flink ML), `seed`, `featuresCol`, `predictionCol`.
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

  fitFrame(frame: Frame): KMeansModel {
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

  /** Runs k-means over a matrix (nInit runs from seeds derived from `seed`) and returns the best run. */
  fitMatrix(points: DenseMatrix, source = '<data>'): KMeansResult {
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
    let best: KMeansResult | undefined;
    for (let run = 0; run < this.get('nInit'); run++) {
      const runRng = rng.derive(run);
      const initial =
        this.get('init') === 'random'
          ? randomCentres(points, k, runRng)
          : kMeansPlusPlusCentres(points, k, runRng);
      const result = kMeansRun(points, initial, options);
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

  /** The index of the centre nearest to `point`. */
  predict(point: ArrayLike<number>): number {
    const d = this.centroids.columns;
    if (point.length !== d) throw new ParamError('point', `a point of ${point.length} values`, `${d} values`);
    const row = Float64Array.from(point);
    const distance = distanceFunction(this.get('distanceMeasure'));
    let nearestAt = 0;
    let nearest = Number.POSITIVE_INFINITY;
    for (let c = 0; c < this.centroids.rows; c++) {
      const value = distance(row, 0, this.centroids.data, c * d, d);
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
    const state = createChunkState(points.rows);
    const sums = createPartialSums(k, d);
    const broadcast = broadcastCentres(this.centroids.data, k, d, new Float64Array(k));
    const measure = this.get('distanceMeasure');
    if (measure === 'euclidean') assignEuclidean(points, broadcast, state, sums);
    else assignByMeasure(points, broadcast, measure, state.labels, sums);
    return state.labels;
  }

  transformFrame(frame: Frame): Frame {
    const { matrix } = extractFeatures(frame, this.get('featuresCol'), [this.get('predictionCol')]);
    const labels = this.predictMatrix(matrix);
    return withColumn(frame, this.get('predictionCol'), {
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
