/**
 * `eddy kmeans --stream nats://HOST:PORT/SUBJECT --group NAME`: one worker of a group that
 * trains online k-means on a JetStream subject, sharing the model with the group's other
 * workers through a key-value bucket (`OnlineKMeans.fitShared`, which owns the exactly-once
 * commits). Loaded by kmeans.ts only for a NATS input.
 */
import {
  connectNats,
  type InputError,
  isNatsAddress,
  type JsonValue,
  jetStreamSink,
  type NatsConnection,
  natsServers,
  OnlineKMeansModel,
  parseNatsAddress,
  type Sink,
  textFileSink,
  UsageError,
} from '../../index.js';
import type { CommandContext, OptionValues } from '../command.js';
import { natsConnectionOptions, openNatsWorker, writeSharedModel } from '../nats-worker.js';
import { reportSkipped } from '../skipped-records.js';
import { onlineKMeansFromOptions } from './kmeans-stream.js';

/** `{"seq","index","cluster"}` lines: each point of a message by its place in the message. */
function assignmentLines(seq: number, clusters: Int32Array, start: number, rows: number): string {
  let text = '';
  for (let i = 0; i < rows; i++) text += `{"seq":${seq},"index":${i},"cluster":${clusters[start + i]}}\n`;
  return text;
}

/** Runs one worker (see the module comment); the final shared model goes to --model or stdout. */
export async function runKMeansNats(
  input: string,
  options: OptionValues,
  context: CommandContext,
): Promise<void> {
  if (options.k === undefined) throw new UsageError('--k is required');
  const output = options.output as string | undefined;
  if (output === '-')
    throw new UsageError('--output - does not apply to a NATS input: give nats://... or a FILE');
  const modelPath = options.model as string | undefined;
  if (modelPath !== undefined && modelPath === output)
    throw new UsageError('--output and --model name the same file');
  const kmeans = await onlineKMeansFromOptions(options, context);
  const worker = await openNatsWorker(input, options, context, 'kmeans');
  const { connection, source, location, group } = worker;
  let outputConnection: NatsConnection | undefined;
  let sink: Sink<{ seq: number; text: string }> | undefined;
  let fileSink: Sink<string> | undefined;
  try {
    if (output !== undefined && isNatsAddress(output)) {
      const target = parseNatsAddress(output);
      outputConnection =
        target.server === worker.server
          ? connection
          : await connectNats(natsConnectionOptions(natsServers(target.server), options, worker.clientName));
      // One message per input message, its id the job and the input's stream sequence: a
      // batch published again after a crash is stored once.
      sink = jetStreamSink(outputConnection, {
        subject: target.subject,
        job: `eddy-kmeans-${group}`,
        encode: (record) => record.text,
        position: (record) => record.seq,
        replicas: location.replicas,
      });
      await sink.open(undefined);
    } else if (output !== undefined) {
      fileSink = textFileSink(output);
      await fileSink.open(undefined);
    }

    const invalid: string[] = [];
    const progress = context.progress({ label: `kmeans ${group}`, unit: 'points' });
    const summary = await kmeans.fitShared(connection, source, {
      ...location,
      idleTimeoutMs: options.idleTimeout as number | undefined,
      commitIntervalMs: options.commitInterval as number,
      skipInvalid: options.skipInvalid === true,
      onInvalid: (error: InputError) => invalid.push(error.message),
      onCommit: (commit) => progress.update(commit.workerRecords, `shared model v${commit.version}`),
      output:
        sink === undefined && fileSink === undefined
          ? undefined
          : async (messages, clusters) => {
              let start = 0;
              const records = messages.map(({ seq, rows }) => {
                const text = assignmentLines(seq, clusters, start, rows);
                start += rows;
                return { seq, text };
              });
              if (sink) await sink.write(records);
              else await fileSink!.write(records.map((record) => record.text));
            },
    });
    progress.finish();
    await fileSink?.close();
    // The bucket's model, normalised to the JSON eddy writes for the model (as --model elsewhere).
    const written = await writeSharedModel(
      worker,
      options,
      context,
      'points',
      (json) => OnlineKMeansModel.fromJSON(json).toJSON() as unknown as JsonValue,
    );
    const model = OnlineKMeansModel.fromJSON(written);
    reportSkipped(context, 'kmeans', summary.invalidRecords, invalid, 'record');
    if (!context.quiet) {
      context.stderr.write(
        `eddy kmeans: this worker counted ${summary.records} points in ${summary.commits} commits` +
          ` (${summary.conflicts} conflicts, ${summary.skippedMessages} redelivered messages already counted);` +
          ` shared model v${model.version}, ${model.recordsSeen} points\n`,
      );
    }
  } catch (error) {
    await fileSink?.abort?.();
    throw error;
  } finally {
    if (outputConnection !== undefined && outputConnection !== connection) await outputConnection.close();
    await worker.close();
  }
}
