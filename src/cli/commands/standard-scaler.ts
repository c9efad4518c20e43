import { OnlineStandardScaler, UsageError } from '../../index.js';
import { defineCommand } from '../command.js';
import { natsTrainingInput } from '../nats-worker.js';
import { natsOptions } from './kmeans-stream-options.js';

/**
 * `eddy standard-scaler train --stream nats://...`: one worker of a group that fits an online
 * standard scaler on a JetStream subject, the statistics shared by the group (see online-nats.ts).
 */
export const standardScalerCommand = defineCommand({
  name: 'standard-scaler',
  summary: 'fit a standard scaler (feature means and deviations) online over a NATS JetStream subject',
  description:
    'Runs one worker of a group (--group) that folds its share of the points of a JetStream subject ' +
    '(a JSON array of numbers per line, or points frames) into feature counts, means and squared ' +
    'deviations shared by the group in a key-value bucket: every --batch-size points are merged by the ' +
    'parallel (Chan et al.) rule, which does not depend on which worker took which points, and committed ' +
    'exactly once. When the worker stops (--idle-timeout), the shared scaler goes to --model or stdout as ' +
    'JSON (type "standard-scaler": count, mean, m2), its count every worker\'s points.',
  positionals: [
    { name: 'action', description: 'train', choices: ['train'] },
    { name: 'data', description: 'nats://HOST:PORT/SUBJECT: the JetStream subject of the points' },
  ],
  options: {
    stream: {
      type: 'boolean',
      description: 'required: the data is nats://HOST:PORT/SUBJECT',
    },
    'no-mean': { type: 'boolean', description: 'do not subtract the mean when the scaler is applied' },
    'no-std': { type: 'boolean', description: 'do not divide by the deviation when the scaler is applied' },
    'batch-size': {
      type: 'integer',
      min: 1,
      description: 'points per merge into the shared statistics [default: 10000]',
      valueName: 'N',
    },
    'skip-invalid': {
      type: 'boolean',
      description: 'skip malformed points (counted, reported and acknowledged) instead of stopping',
    },
    model: {
      type: 'string',
      valueName: 'FILE',
      writes: true,
      description: 'write the shared scaler (JSON) here instead of stdout',
    },
    ...natsOptions,
  },
  examples: [
    'eddy standard-scaler train --stream nats://127.0.0.1:4222/points --group scalers --idle-timeout 10000 --model scaler.json',
  ],
  async run(context) {
    if (!context.options.stream) {
      throw new UsageError(
        'eddy standard-scaler trains online on a stream: add --stream and give nats://HOST:PORT/SUBJECT',
      );
    }
    const estimator = new OnlineStandardScaler({
      withMean: context.options.noMean !== true,
      withStd: context.options.noStd !== true,
    });
    const { runOnlineNats } = await import('./online-nats.js');
    await runOnlineNats(natsTrainingInput(context), context.options, context, {
      command: 'standard-scaler',
      unit: 'points',
      estimator,
    });
  },
});
