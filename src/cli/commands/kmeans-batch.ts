/**
 * `eddy kmeans` on a file (without `--stream`): k-means over the rows of a CSV or Arrow file. A
 * module of its own, loaded by kmeans.ts only then, so that a stream job (and every NATS worker)
 * starts without the batch estimator, the DataSet engine and the table readers.
 */
import { extractFeatures, KMeans, UsageError } from '../../index.js';
import type { CommandContext } from '../command.js';
import { chooseFeatures, note, readInput, refuseOutputOverModel, writeColumns } from '../ml-io.js';

/** Clusters the rows of the input and writes each row's cluster (and the model, with --model). */
export async function runKMeansBatch(context: CommandContext): Promise<void> {
  const { options } = context;
  if (context.positionals.length === 0) throw new UsageError('missing argument <data>');
  if (options.k === undefined) throw new UsageError('--k is required');
  refuseOutputOverModel(context);
  const nInit = options.nInit === 'auto' ? 'auto' : Number(options.nInit);
  if (nInit !== 'auto' && !(Number.isInteger(nInit) && nInit >= 1)) {
    throw new UsageError(`--n-init must be an integer >= 1 or auto, got '${options.nInit}'`);
  }
  const parallelism = options.parallelism as number;
  // The workers start (on the other cores) while this thread reads the input.
  const warmUp = new KMeans({ parallelism }).warmUp();
  warmUp.catch(() => undefined); // awaited below, after the input is read
  const frame = await readInput(context, context.positionals[0]);
  await warmUp;
  const estimator = new KMeans({
    k: options.k as number,
    seed: options.seed as number,
    init: options.init as 'k-means++' | 'random',
    maxIterations: options.maxIterations as number,
    tolerance: options.tolerance as number,
    nInit,
    parallelism,
    distanceMeasure: options.distance as 'euclidean' | 'cosine' | 'manhattan',
    featuresCol: chooseFeatures(context, frame),
  });
  const features = extractFeatures(frame, estimator.get('featuresCol'));
  const progress = context.progress({ label: 'clustering', unit: 'supersteps' });
  const result = await estimator.fitMatrixParallel(features.matrix, frame.source, { progress });
  note(
    context,
    `k-means: ${frame.numRows} rows x ${features.matrix.columns} features, k = ${result.centroids.rows}, ` +
      `${result.iterations} iterations, inertia ${result.inertia.toPrecision(8)}`,
  );
  if (typeof options.model === 'string')
    await estimator.modelOf(result, features.featuresCol).save(options.model);
  await writeColumns(context, ['cluster'], [{ kind: 'number', values: Float64Array.from(result.labels) }]);
}
