/**
 * `eddy kmeans --stream`: online k-means over a stream of points (NDJSON lines, or an Arrow IPC
 * stream), with exactly-once checkpoints. The batch command in kmeans.ts merges its options
 * (kmeans-stream-options.ts) into its own and delegates to {@link runKMeansStream} when
 * `--stream` is given, loading this module only then.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { OnlineKMeans, OnlineKMeansModel } from '../../../algorithms/ml/kmeans/online.js';
import { InputError, UsageError } from '../../core/errors.js';
import { DenseMatrix } from '../../core/matrix.js';
import { DataStream } from '../../stream/datastream.js';
import { StreamEnvironment } from '../../stream/environment.js';
import type { JsonValue } from '../../stream/events.js';
import { callbackSink, type Sink, textFileSink, writableSink } from '../../stream/sinks.js';
import {
  arrowVectorSource,
  ndjsonVectorSource,
  type Source,
  type VectorBatch,
} from '../../stream/sources.js';
import type { CommandContext, OptionValues } from '../command.js';

const MAX_REPORTED = 10;

function isArrow(path: string): boolean {
  return /\.(arrow|arrows|feather|ipc)$/i.test(path);
}

/** `{"index":i,"cluster":c}` lines for a batch. */
function assignmentLines(indices: Float64Array, labels: Int32Array, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += `{"index":${indices[i]},"cluster":${labels[i]}}\n`;
  return text;
}

/** Writes a file atomically (temporary file, sync, rename). */
async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

async function initialCentroids(
  path: string | undefined,
  k: number,
): Promise<{ centroids?: DenseMatrix; weights?: Float64Array }> {
  if (path === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw error;
    throw new InputError('not JSON', { file: path, expected: 'a k-means model saved as JSON' });
  }
  let model: OnlineKMeansModel;
  try {
    model = OnlineKMeansModel.fromJSON(json);
  } catch {
    throw new InputError('not a k-means model', {
      file: path,
      expected: '{"type":"kmeans","centroids":[[...], ...]}',
    });
  }
  if (model.k !== k)
    throw new InputError(`the model has ${model.k} centroids`, {
      file: path,
      expected: `--k ${k} centroids`,
    });
  return { centroids: new DenseMatrix(model.k, model.dimension, model.centroids), weights: model.weights };
}

/**
 * Stream-mode k-means: reads points, updates an OnlineKMeans every `batchSize` points, writes
 * each point's cluster (the one it was counted into) and finally the model.
 */
export async function runKMeansStream(
  input: string,
  options: OptionValues,
  context: CommandContext,
): Promise<void> {
  const k = options.k as number | undefined;
  if (k === undefined) throw new UsageError('--k is required');
  const batchSize = options.batchSize as number;
  const checkpointDirectory = options.checkpointDir as string | undefined;
  if (options.resume && checkpointDirectory === undefined)
    throw new UsageError('--resume needs --checkpoint-dir');
  if (options.decayFactor !== undefined && options.halfLife !== undefined) {
    throw new UsageError('give --decay-factor or --half-life, not both');
  }
  if (checkpointDirectory !== undefined && input === '-') {
    throw new UsageError('checkpoints need a file input (stdin cannot be replayed)');
  }
  const output = options.output as string | undefined;
  if (checkpointDirectory !== undefined && output === '-') {
    throw new UsageError('exactly-once output needs a file: give --output FILE with --checkpoint-dir, not -');
  }
  const modelPath = options.model as string | undefined;
  const initial = await initialCentroids(options.initialModel as string | undefined, k);
  const kmeans = new OnlineKMeans({
    k,
    batchSize,
    decayFactor: options.decayFactor as number | undefined,
    halfLife: options.halfLife as number | undefined,
    timeUnit: options.timeUnit as 'batches' | 'points',
    seed: options.seed as number,
    initialCentroids: initial.centroids,
    initialWeight: initial.weights,
  });

  const skipped: string[] = [];
  let skippedBefore = 0;
  const byteInput =
    input === '-' ? { stream: context.stdin as AsyncIterable<Uint8Array>, name: '<stdin>' } : input;
  const source: Source<VectorBatch> =
    input !== '-' && isArrow(input)
      ? arrowVectorSource(byteInput, { reuseBuffers: true })
      : ndjsonVectorSource(byteInput, {
          batchSize,
          skipInvalid: options.skipInvalid === true,
          onInvalid: (error) => skipped.push(error.message),
        });
  const environment = new StreamEnvironment({
    checkpoint:
      checkpointDirectory === undefined
        ? undefined
        : {
            directory: checkpointDirectory,
            everyRecords: options.checkpointInterval as number,
            resume: options.resume === true,
          },
  });
  const progress = context.progress({ label: 'kmeans', unit: 'points' });

  // Points wait here until a full mini-batch has come (Arrow batches need not match batchSize);
  // they are part of the checkpointed state, so a resume neither loses nor repeats them.
  let pending = new Float64Array(0);
  let pendingIndices = new Float64Array(0);
  let pendingCount = 0;
  let labels = new Int32Array(batchSize);
  const writeAssignments = output !== undefined;
  const update = (points: DenseMatrix, indices: Float64Array): string => {
    kmeans.partialFit(points, labels);
    const model = kmeans.model!;
    progress.update(model.recordsSeen, `model v${model.version}`);
    return writeAssignments ? assignmentLines(indices, labels, points.rows) : '';
  };
  const assignments = DataStream.from(source, environment).process<string>(
    {
      processElement(batch, _context, out) {
        const { points, indices } = batch;
        if (pendingCount === 0 && points.rows === batchSize) {
          const lines = update(points, indices);
          if (lines) out.collect(lines);
          return;
        }
        const d = points.columns;
        if (pending.length !== batchSize * d) {
          const grown = new Float64Array(batchSize * d);
          grown.set(pending.subarray(0, pendingCount * d));
          pending = grown;
          pendingIndices = Float64Array.from({ length: batchSize }, (_, i) => pendingIndices[i] ?? 0);
        }
        for (let row = 0; row < points.rows; ) {
          const take = Math.min(batchSize - pendingCount, points.rows - row);
          pending.set(points.data.subarray(row * d, (row + take) * d), pendingCount * d);
          pendingIndices.set(indices.subarray(row, row + take), pendingCount);
          pendingCount += take;
          row += take;
          if (pendingCount === batchSize) {
            const lines = update(new DenseMatrix(batchSize, d, pending), pendingIndices);
            if (lines) out.collect(lines);
            pendingCount = 0;
          }
        }
      },
      onEnd(out) {
        if (pendingCount === 0) return;
        const d = pending.length / batchSize;
        const lines = update(
          new DenseMatrix(pendingCount, d, pending.subarray(0, pendingCount * d)),
          pendingIndices,
        );
        if (lines) out.collect(lines);
        pendingCount = 0;
      },
      snapshotState(): JsonValue {
        const d = pendingCount === 0 ? 0 : pending.length / batchSize;
        return {
          model: kmeans.snapshotState(),
          skipped: skippedBefore + skipped.length,
          pending: Array.from(pending.subarray(0, pendingCount * d)),
          pendingIndices: Array.from(pendingIndices.subarray(0, pendingCount)),
        };
      },
      restoreState(state) {
        const saved = state as {
          model: JsonValue;
          skipped: number;
          pending: number[];
          pendingIndices: number[];
        };
        kmeans.restoreState(saved.model);
        skippedBefore = saved.skipped;
        pendingCount = saved.pendingIndices.length;
        if (pendingCount > 0) {
          const d = saved.pending.length / pendingCount;
          pending = new Float64Array(batchSize * d);
          pending.set(saved.pending);
          pendingIndices = new Float64Array(batchSize);
          pendingIndices.set(saved.pendingIndices);
        }
        labels = new Int32Array(batchSize);
      },
    },
    { uid: 'kmeans' },
  );

  let sink: Sink<string>;
  if (output === undefined) sink = callbackSink(() => {});
  else if (output === '-') sink = writableSink((lines) => lines.join(''), context.stdout);
  else sink = textFileSink(output);
  const result = await assignments.sinkTo(sink, { uid: 'assignments' });

  const model = kmeans.model;
  progress.finish(model ? `model v${model.version}` : undefined);
  if (!model)
    throw new InputError('no points in the input', { file: source.name, expected: 'at least one point' });
  const json = `${JSON.stringify(model.toJSON())}\n`;
  if (modelPath !== undefined) await writeFileAtomically(modelPath, json);
  else if (output !== '-') context.stdout.write(json);

  const totalSkipped = skippedBefore + skipped.length;
  if (totalSkipped > 0) {
    const shown = skipped.slice(0, MAX_REPORTED).join('\n  ');
    context.stderr.write(
      `eddy kmeans: skipped ${totalSkipped} invalid line${totalSkipped === 1 ? '' : 's'}${shown ? `:\n  ${shown}` : ''}${skipped.length > MAX_REPORTED ? `\n  ... and ${skipped.length - MAX_REPORTED} more` : ''}\n`,
    );
  }
  if (!context.quiet && result.resumed) {
    context.stderr.write(`eddy kmeans: resumed from a checkpoint; ${result.records} records read in all\n`);
  }
}
