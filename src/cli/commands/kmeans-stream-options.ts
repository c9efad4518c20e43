import type { OptionSpec } from '../command.js';

/** The options of stream-mode k-means, for `eddy kmeans --stream` to merge into its own. */
export const kmeansStreamOptions: Readonly<Record<string, OptionSpec>> = {
  k: { type: 'integer', min: 1, description: 'number of clusters (required)', valueName: 'K' },
  'batch-size': {
    type: 'integer',
    min: 1,
    default: 1000,
    description: 'points per model update',
    valueName: 'B',
  },
  'decay-factor': {
    type: 'number',
    min: 0,
    max: 1,
    description: 'weight the past keeps per time unit [default: 1]',
    valueName: 'A',
  },
  'half-life': {
    type: 'number',
    description: 'time units after which the past weighs half (instead of --decay-factor)',
    valueName: 'H',
  },
  'time-unit': {
    type: 'string',
    default: 'batches',
    choices: ['batches', 'points'],
    description: 'what decay counts',
  },
  seed: { type: 'integer', default: 0, description: 'seed of the random initial centroids', valueName: 'S' },
  'initial-model': {
    type: 'string',
    description: 'start from the centroids of a saved k-means model (JSON)',
    valueName: 'FILE',
  },
  output: {
    type: 'string',
    description: 'write {"index","cluster"} per input point as NDJSON (- for stdout)',
    valueName: 'FILE',
  },
  model: {
    type: 'string',
    description: 'write the final model as JSON (default: to stdout unless --output -)',
    valueName: 'FILE',
  },
  'checkpoint-dir': {
    type: 'string',
    description: 'take checkpoints in DIR (exactly-once with --resume)',
    valueName: 'DIR',
  },
  'checkpoint-interval': {
    type: 'integer',
    min: 1,
    default: 100_000,
    description: 'points between checkpoints',
    valueName: 'N',
  },
  resume: { type: 'boolean', description: 'continue from the latest checkpoint in --checkpoint-dir' },
  'skip-invalid': {
    type: 'boolean',
    description: 'skip malformed lines (counted and reported) instead of stopping',
  },
};
