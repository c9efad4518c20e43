/**
 * Training on a DataSet's partitions, never collected into one array of rows: the plan runs once,
 * and each epoch visits the partitions in a seeded order, turns one partition at a time into
 * typed rows and feeds its rows, in a seeded order, to mini-batches (a mini-batch may span two
 * partitions; the rows left at the end of an epoch make a last one). The loss curve and the
 * stopping rule are those of the in-memory loop (training.ts).
 */
import { InputError } from '../../../src/core/errors.js';
import { random, type Seed } from '../../../src/core/random.js';
import { type EpochReport, type Rows, StoppingRule, type TrainingHistory } from './training.js';

/** How a training on partitions runs. */
export interface PartitionTrainingOptions {
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: Seed;
  readonly tolerance: number;
  readonly patience: number;
  readonly onEpoch?: (report: EpochReport) => void;
}

/** One partition's rows as a network takes them: features and targets, row-aligned. */
export interface PartitionRows {
  readonly features: Rows;
  readonly targets: Rows;
}

/**
 * Trains by `step` (one mini-batch, returning its mean loss) on `partitions`, each turned into
 * rows by `rowsOf` when its turn comes. Returns the loss of each epoch.
 */
export function trainOnPartitions<P>(
  partitions: readonly P[],
  rowsOf: (partition: P) => PartitionRows,
  step: (features: Rows, targets: Rows) => number,
  options: PartitionTrainingOptions,
): TrainingHistory {
  const rng = random(options.seed);
  const partitionOrder = rng.derive('partitions');
  const rowOrder = rng.derive('rows');
  const history: TrainingHistory = { lossCurve: [], validationScores: [] };
  const stopping = new StoppingRule(options.tolerance, options.patience);
  let batch:
    | { features: Float32Array; targets: Float32Array; width: number; targetWidth: number }
    | undefined;
  let filled = 0;
  let total = 0;
  let rows = 0;
  const flush = () => {
    const { features, targets, width, targetWidth } = batch!;
    const loss = step(
      { values: features.subarray(0, filled * width), rows: filled, width },
      { values: targets.subarray(0, filled * targetWidth), rows: filled, width: targetWidth },
    );
    total += loss * filled;
    rows += filled;
    filled = 0;
  };
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    total = 0;
    rows = 0;
    for (const p of partitionOrder.shuffle(Array.from(partitions.keys()))) {
      const { features, targets } = rowsOf(partitions[p]);
      batch ??= {
        features: new Float32Array(options.batchSize * features.width),
        targets: new Float32Array(options.batchSize * targets.width),
        width: features.width,
        targetWidth: targets.width,
      };
      if (features.width !== batch.width || targets.width !== batch.targetWidth) {
        throw new InputError(
          `a partition has rows of ${features.width} features and ${targets.width} targets`,
          {
            file: '<DataSet>',
            expected: `${batch.width} and ${batch.targetWidth} like the first partition`,
          },
        );
      }
      const { width, targetWidth } = batch;
      for (const row of rowOrder.shuffle(Int32Array.from({ length: features.rows }, (_, i) => i))) {
        batch.features.set(features.values.subarray(row * width, (row + 1) * width), filled * width);
        batch.targets.set(
          targets.values.subarray(row * targetWidth, (row + 1) * targetWidth),
          filled * targetWidth,
        );
        filled++;
        if (filled === options.batchSize) flush();
      }
    }
    if (filled > 0) flush();
    const loss = total / rows;
    history.lossCurve.push(loss);
    options.onEpoch?.({ epoch, loss });
    if (stopping.record(-loss)) break;
  }
  return history;
}
