/**
 * `eddy logistic-regression train --stream nats://...` and `eddy standard-scaler train --stream
 * nats://...`: one worker of a group that trains an online estimator without per-record output
 * (OnlineLogisticRegression, OnlineStandardScaler) on a JetStream subject, the model shared with
 * the group's other workers through a key-value bucket (the estimator's `fitShared`, which owns
 * the exactly-once commits). The model as it stands when the worker stops goes to --model or
 * stdout, in the estimator's JSON with `recordsSeen` (or `count`) counting every worker's records.
 */
import type {
  InputError,
  JetStreamSource,
  JsonValue,
  NatsConnection,
  SharedFitOptions,
  SharedFitSummary,
} from '../../index.js';
import type { CommandContext, OptionValues } from '../command.js';
import { openNatsWorker, writeSharedModel } from '../nats-worker.js';
import { reportSkipped } from '../skipped-records.js';

/** What a command's worker trains: an online estimator with a shared fit. */
export interface OnlineNatsJob {
  /** The command's name, for messages. */
  readonly command: string;
  /** What a record is, plural ("records", "points"). */
  readonly unit: string;
  readonly estimator: {
    fitShared(
      connection: NatsConnection,
      source: JetStreamSource,
      options: SharedFitOptions<undefined> & { batchSize?: number },
    ): Promise<SharedFitSummary>;
    restoreState(state: JsonValue): void;
    readonly version: number;
    readonly recordsSeen: number;
  };
}

/** Runs one worker of `job` on the NATS input `input` (see the module comment). */
export async function runOnlineNats(
  input: string,
  options: OptionValues,
  context: CommandContext,
  job: OnlineNatsJob,
): Promise<void> {
  const worker = await openNatsWorker(input, options, context, job.command);
  try {
    const invalid: string[] = [];
    const progress = context.progress({ label: `${job.command} ${worker.group}`, unit: job.unit });
    const { estimator } = job;
    const summary = await estimator.fitShared(worker.connection, worker.source, {
      ...worker.location,
      batchSize: options.batchSize as number | undefined,
      idleTimeoutMs: options.idleTimeout as number | undefined,
      commitIntervalMs: options.commitInterval as number,
      skipInvalid: options.skipInvalid === true,
      onInvalid: (error: InputError) => invalid.push(error.message),
      onCommit: (commit) => progress.update(commit.workerRecords, `shared model v${commit.version}`),
    });
    progress.finish();
    const model = await writeSharedModel(worker, options, context, job.unit, (json) => json);
    reportSkipped(context, job.command, summary.invalidRecords, invalid, 'record');
    if (!context.quiet) {
      // The shared model's counts, as the estimator reads them from its JSON.
      estimator.restoreState(model);
      context.stderr.write(
        `eddy ${job.command}: this worker counted ${summary.records} ${job.unit} in ${summary.commits} commits` +
          ` (${summary.conflicts} conflicts, ${summary.skippedMessages} redelivered messages already counted);` +
          ` shared model v${estimator.version}, ${estimator.recordsSeen} ${job.unit}\n`,
      );
    }
  } finally {
    await worker.close();
  }
}
