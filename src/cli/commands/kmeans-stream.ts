/**
 * `eddy kmeans --stream`: online k-means over a stream of points (NDJSON lines, or an Arrow IPC
 * stream), a thin wrapper over `OnlineKMeans.fit(stream, { checkpoint, resume, output })`, which
 * owns the mini-batching and the exactly-once checkpoints. The batch command in kmeans.ts merges
 * its options (kmeans-stream-options.ts) into its own and delegates to {@link runKMeansStream}
 * when `--stream` is given, loading this module only then.
 */
import {
  arrowVectorSource,
  DataStream,
  DenseMatrix,
  InputError,
  ndjsonVectorSource,
  OnlineKMeans,
  type OnlineKMeansFitVersion,
  OnlineKMeansModel,
  type Sink,
  type Source,
  textFileSink,
  UsageError,
  type VectorBatch,
  writableSink,
  writeFileAtomically,
} from '../../index.js';
import type { CommandContext, OptionValues } from '../command.js';
import { reportSkipped } from '../skipped-records.js';

function isArrow(path: string): boolean {
  return /\.(arrow|arrows|feather|ipc)$/i.test(path);
}

/** `{"index":i,"cluster":c}` lines for the points of a version's mini-batch. */
function assignmentLines(versions: readonly OnlineKMeansFitVersion[]): string {
  let text = '';
  for (const { assignments } of versions) {
    const { indices, clusters } = assignments;
    for (let i = 0; i < indices.length; i++) text += `{"index":${indices[i]},"cluster":${clusters[i]}}\n`;
  }
  return text;
}

/** A sink of text lines as a sink of versions (their assignment lines). */
function assignmentSink(lines: Sink<string>): Sink<OnlineKMeansFitVersion> {
  return {
    open: (restored) => lines.open(restored),
    write: (versions) => lines.write([assignmentLines(versions)]),
    commit: () => lines.commit(),
    close: () => lines.close(),
    abort: async () => lines.abort?.(),
  };
}

async function initialCentroids(
  path: string | undefined,
  k: number,
): Promise<{ centroids?: DenseMatrix; weights?: Float64Array }> {
  if (path === undefined) return {};
  const { readFile } = await import('node:fs/promises');
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
 * The OnlineKMeans that stream-mode options describe (shared by file and NATS inputs): its
 * parameters (`--k` required), and the centroids of `--initial-model` (then `--init` and `--init-size` are
 * usage errors).
 */
export async function onlineKMeansFromOptions(
  options: OptionValues,
  context: CommandContext,
): Promise<OnlineKMeans> {
  const k = options.k as number | undefined;
  if (k === undefined) throw new UsageError('--k is required');
  if (options.decayFactor !== undefined && options.halfLife !== undefined) {
    throw new UsageError('give --decay-factor or --half-life, not both');
  }
  if (options.initialModel !== undefined) {
    const chosen = ['init', 'initSize'].find((name) => context.given.has(name));
    if (chosen !== undefined) {
      throw new UsageError(
        `${chosen === 'init' ? '--init' : '--init-size'} does not apply with --initial-model (it gives the centroids)`,
      );
    }
  }
  const initial = await initialCentroids(options.initialModel as string | undefined, k);
  return new OnlineKMeans({
    k,
    batchSize: options.batchSize as number,
    decayFactor: options.decayFactor as number | undefined,
    halfLife: options.halfLife as number | undefined,
    timeUnit: options.timeUnit as 'batches' | 'points',
    init: options.init as 'k-means++' | 'random',
    initSize: (options.initSize as number | undefined) ?? null,
    seed: options.seed as number,
    initialCentroids: initial.centroids,
    initialWeight: initial.weights,
  });
}

/**
 * Stream-mode k-means: fits an OnlineKMeans on the input, writes each point's cluster (the one
 * it was counted into) to stdout or `--output`, and the final model to `--model` when given.
 */
export async function runKMeansStream(
  input: string,
  options: OptionValues,
  context: CommandContext,
): Promise<void> {
  if (options.k === undefined) throw new UsageError('--k is required');
  const checkpointDirectory = options.checkpointDir as string | undefined;
  if (options.resume && checkpointDirectory === undefined)
    throw new UsageError('--resume needs --checkpoint-dir');
  if (checkpointDirectory !== undefined && input === '-') {
    throw new UsageError('checkpoints need a file input (stdin cannot be replayed)');
  }
  // The assignments go to stdout unless --output names a file, as the batch command's clusters do.
  const output = (options.output as string | undefined) ?? '-';
  if (checkpointDirectory !== undefined && output === '-') {
    throw new UsageError(
      'exactly-once output needs a file: give --output FILE with --checkpoint-dir (the assignments go to stdout otherwise)',
    );
  }
  const modelPath = options.model as string | undefined;
  if (modelPath !== undefined && modelPath === output) {
    throw new UsageError('--output and --model name the same file');
  }
  const kmeans = await onlineKMeansFromOptions(options, context);

  const skipped: string[] = [];
  let skippedBefore = 0;
  const byteInput =
    input === '-' ? { stream: context.stdin as AsyncIterable<Uint8Array>, name: '<stdin>' } : input;
  const source: Source<VectorBatch> =
    input !== '-' && isArrow(input)
      ? arrowVectorSource(byteInput, { reuseBuffers: true })
      : ndjsonVectorSource(byteInput, {
          batchSize: kmeans.batchSize,
          skipInvalid: options.skipInvalid === true,
          onInvalid: (error) => skipped.push(error.message),
        });
  // The count of skipped lines is checkpointed with the job, so a resumed run reports them all.
  const points = DataStream.from(source).process<VectorBatch>(
    {
      processElement: (batch, _context, out) => out.collect(batch),
      snapshotState: () => skippedBefore + skipped.length,
      restoreState: (state) => {
        skippedBefore = state as number;
      },
    },
    { uid: 'skipped' },
  );
  const sink: Sink<OnlineKMeansFitVersion> = assignmentSink(
    output === '-' ? writableSink((lines) => lines.join(''), context.stdout) : textFileSink(output),
  );
  const checkpoint =
    checkpointDirectory === undefined
      ? undefined
      : {
          dir: checkpointDirectory,
          every: options.checkpointInterval as number,
          // Besides the input file and the parameters (which fit adds), where the output goes.
          fingerprint: { output },
        };

  const progress = context.progress({ label: 'kmeans', unit: 'points' });
  const versions = kmeans.fit(points, { checkpoint, resume: options.resume === true, output: sink });
  let next = await versions.next();
  while (!next.done) {
    progress.update(next.value.recordsSeen, `model v${next.value.version}`);
    next = await versions.next();
  }
  const summary = next.value;
  const model = kmeans.model;
  progress.finish(model ? `model v${model.version}` : undefined);
  if (!model)
    throw new InputError('no points in the input', { file: source.name, expected: 'at least one point' });
  if (modelPath !== undefined) await writeFileAtomically(modelPath, `${JSON.stringify(model.toJSON())}\n`);

  reportSkipped(context, 'kmeans', skippedBefore + skipped.length, skipped, 'line');
  if (summary.alreadyComplete) {
    context.stderr.write(
      `eddy kmeans: the job checkpointed in ${checkpointDirectory} had already completed; nothing was read again\n`,
    );
  } else if (!context.quiet && summary.resumed) {
    context.stderr.write(
      `eddy kmeans: resumed from a checkpoint; ${model.recordsSeen} points fitted in all\n`,
    );
  }
}
