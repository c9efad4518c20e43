import { onlineKMeansParams as params, sharedFitDefaults } from '../../index.js';
import type { OptionSpec } from '../command.js';

/**
 * The options of a NATS JetStream input (`--stream nats://HOST:PORT/SUBJECT`): where the
 * workers' shared consumer and model are, and how to connect.
 */
export const natsOptions: Readonly<Record<string, OptionSpec>> = {
  group: {
    type: 'string',
    description: 'NATS input: the durable consumer the workers share (required; created if missing)',
    valueName: 'NAME',
  },
  'stream-name': {
    type: 'string',
    description: 'NATS input: the JetStream stream (default: the one holding the subject, else created)',
    valueName: 'NAME',
  },
  'model-bucket': {
    type: 'string',
    default: 'eddy-models',
    description: 'NATS input: the key-value bucket of the shared model (its key: the group)',
    valueName: 'NAME',
  },
  'idle-timeout': {
    type: 'integer',
    min: 1,
    description: 'NATS input: stop, after committing, when no message came for MS (default: never)',
    valueName: 'MS',
  },
  'ack-wait': {
    type: 'integer',
    min: 1,
    default: 30_000,
    description: 'NATS input: redeliver what a worker took and did not acknowledge after MS (new consumers)',
    valueName: 'MS',
  },
  'commit-interval': {
    type: 'integer',
    min: 0,
    default: sharedFitDefaults.commitIntervalMs,
    description:
      'NATS input: commit the shared model at most once per MS; mini-batches completed in between go in together',
    valueName: 'MS',
  },
  replicas: {
    type: 'integer',
    min: 1,
    default: 1,
    description: 'NATS input: replicas of the stream and bucket when created here',
    valueName: 'N',
  },
  creds: { type: 'string', description: 'NATS credentials file', valueName: 'FILE' },
  user: { type: 'string', description: 'NATS user (with --password)', valueName: 'USER' },
  password: { type: 'string', description: 'NATS password', valueName: 'PASSWORD' },
  'tls-ca': { type: 'string', description: 'NATS: CA certificate to trust', valueName: 'FILE' },
  'tls-cert': { type: 'string', description: 'NATS: client certificate (mutual TLS)', valueName: 'FILE' },
  'tls-key': { type: 'string', description: 'NATS: client key (mutual TLS)', valueName: 'FILE' },
};

/**
 * The options of stream-mode k-means, for `eddy kmeans --stream` to merge into its own. Defaults
 * and descriptions of the estimator's parameters come from OnlineKMeans's param spec.
 */
export const kmeansStreamOptions: Readonly<Record<string, OptionSpec>> = {
  k: { type: 'integer', min: 1, description: 'number of clusters (required)', valueName: 'K' },
  'batch-size': {
    type: 'integer',
    min: 1,
    default: params.batchSize.default,
    description: params.batchSize.description,
    valueName: 'B',
  },
  'decay-factor': {
    type: 'number',
    min: 0,
    max: 1,
    // No default here: giving it is what rules out --half-life.
    description: `${params.decayFactor.description} [default: ${params.decayFactor.default}]`,
    valueName: 'A',
  },
  'half-life': {
    type: 'number',
    description: 'time units after which the past weighs half (instead of --decay-factor)',
    valueName: 'H',
  },
  'time-unit': {
    type: 'string',
    default: params.timeUnit.default,
    choices: ['batches', 'points'],
    description: params.timeUnit.description,
  },
  'init-size': {
    type: 'integer',
    min: 1,
    description:
      'points that choose the first centroids (--init) [default: 3 * --batch-size, at least 3 * --k]',
    valueName: 'N',
  },
  seed: {
    type: 'integer',
    default: params.seed.default,
    description: 'seed of the initial centroids',
    valueName: 'S',
  },
  'initial-model': {
    type: 'string',
    description: 'start from the centroids of a saved k-means model (JSON)',
    valueName: 'FILE',
  },
  output: {
    type: 'string',
    description: 'write {"index","cluster"} per input point as NDJSON here instead of stdout',
    valueName: 'FILE',
  },
  model: {
    type: 'string',
    description: 'write the final model as JSON',
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
  ...natsOptions,
};
