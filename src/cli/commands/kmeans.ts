import { isNatsAddress, kMeansParams as specs } from '../../index.js';
import { defineCommand, TABLE_OUTPUT_EXTENSIONS } from '../command.js';
import { featureOptions } from '../feature-options.js';
import { refuseOptions } from '../option-rules.js';
import { camelCase } from '../parse.js';
import { kmeansStreamOptions, natsOptions } from './kmeans-stream-options.js';

/** Options that only a NATS input reads. */
const natsOnlyOptions = Object.keys(natsOptions).map(camelCase);

/** Options that only stream mode reads. */
const streamOnlyOptions = [
  'batchSize',
  'decayFactor',
  'halfLife',
  'timeUnit',
  'initSize',
  'initialModel',
  'checkpointDir',
  'checkpointInterval',
  'resume',
  'skipInvalid',
  ...natsOnlyOptions,
];

/** Options of the batch command that online k-means has no use for (it reads --init). */
const batchOnlyOptions = [
  'nInit',
  'maxIterations',
  'tolerance',
  'distance',
  'parallelism',
  // How a CSV is read: stream input is NDJSON or Arrow.
  'header',
  'noHeader',
  'columns',
];

/**
 * `eddy kmeans`: clusters the rows of a CSV or Arrow file and writes each row's cluster; with
 * `--stream`, online k-means over NDJSON or Arrow IPC points (see kmeans-stream.ts).
 */
export const kmeansCommand = defineCommand({
  name: 'kmeans',
  summary: 'k-means clustering of the rows of a CSV or Arrow file',
  description:
    'Writes one cluster index per input row, in input order (TSV with header "cluster"). Features are all ' +
    'numeric columns unless --features or --ignore say otherwise. A summary goes to stderr.\n\n' +
    'With --stream, reads one point per line (a JSON array of numbers, or an object whose numeric fields ' +
    "are the features; or an Arrow IPC stream), updates the centroids every --batch-size points with Spark's " +
    'streaming k-means rule (the first centroids: --init over the first --init-size points) and writes {"index","cluster"} NDJSON lines to stdout or --output (the model only to --model). A malformed line stops ' +
    'the job with its line number before it touches the model, unless --skip-invalid. --checkpoint-dir and ' +
    '--resume make a restarted job continue exactly once.',
  positionals: [
    {
      name: 'data',
      description:
        'CSV with a header, or Arrow IPC (.arrow/.feather); - reads CSV from stdin. With --stream: NDJSON ' +
        'or an Arrow IPC stream, - (the default) for stdin',
      required: false,
    },
  ],
  options: {
    ...kmeansStreamOptions,
    stream: { type: 'boolean', description: 'online k-means over an unbounded stream of points' },
    k: { type: 'integer', min: 1, valueName: 'K', description: 'the number of clusters (required)' },
    seed: {
      type: 'integer',
      default: specs.seed.default as number,
      valueName: 'S',
      description: 'the seed of the initialisation',
    },
    init: {
      type: 'string',
      default: specs.init.default,
      choices: ['k-means++', 'random'],
      description: 'initial centres (with --stream: chosen among the first --init-size points)',
    },
    'max-iterations': {
      type: 'integer',
      default: specs.maxIterations.default,
      min: 1,
      description: 'the most iterations per run',
    },
    tolerance: {
      type: 'number',
      default: specs.tolerance.default,
      min: 0,
      valueName: 'T',
      description:
        'stop when centres move less than T times the mean feature variance (0: until labels settle)',
    },
    'n-init': {
      type: 'string',
      default: String(specs.nInit.default),
      valueName: 'N|auto',
      description:
        'runs from different seeds, the lowest inertia winning (auto: 1 with k-means++, 10 with random)',
    },
    parallelism: {
      type: 'integer',
      default: specs.parallelism.default,
      min: 1,
      valueName: 'P',
      description:
        'threads for the distance computations (default: the number of cores); the result is the same',
    },
    distance: {
      type: 'string',
      default: specs.distanceMeasure.default,
      choices: ['euclidean', 'cosine', 'manhattan'],
      description: 'the distance measure',
    },
    ...featureOptions,
    model: {
      type: 'string',
      valueName: 'FILE',
      writes: true,
      description: 'also save the model (JSON) here (with --stream: the final model)',
    },
    output: {
      type: 'string',
      valueName: 'FILE',
      writes: true,
      extensions: [...TABLE_OUTPUT_EXTENSIONS, '.ndjson', '.jsonl', '.json'],
      description:
        'write the clusters here (.arrow: Arrow IPC) instead of stdout (with --stream: NDJSON lines; from NATS: nats://HOST:PORT/SUBJECT or FILE)',
    },
  },
  examples: [
    'eddy kmeans points.csv --k 8 --seed 1 --model model.json > clusters.tsv',
    'eddy kmeans --stream points.ndjson --k 8 --half-life 5 --output assignments.ndjson --model model.json',
    'eddy kmeans --stream points.ndjson --k 8 --checkpoint-dir ckpt --checkpoint-interval 50000 --output assignments.ndjson --resume',
    'eddy kmeans --stream nats://127.0.0.1:4222/points --k 8 --group trainers --idle-timeout 10000 --model model.json',
  ],
  async run(context) {
    const { options } = context;
    if (options.stream) {
      refuseOptions(context, batchOnlyOptions, 'does not apply with --stream');
      const input = context.positionals[0] ?? '-';
      if (isNatsAddress(input)) {
        const { runKMeansNats } = await import('./kmeans-nats.js');
        await runKMeansNats(input, options, context);
        return;
      }
      refuseOptions(context, natsOnlyOptions, 'applies to a NATS input only (nats://HOST:PORT/SUBJECT)');
      const { runKMeansStream } = await import('./kmeans-stream.js');
      await runKMeansStream(input, options, context);
      return;
    }
    refuseOptions(context, streamOnlyOptions, 'applies to stream mode only: add --stream');
    const { runKMeansBatch } = await import('./kmeans-batch.js');
    await runKMeansBatch(context);
  },
});
