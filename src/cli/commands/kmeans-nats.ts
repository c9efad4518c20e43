/**
 * `eddy kmeans --stream nats://HOST:PORT/SUBJECT --group NAME`: one worker of a group that
 * trains online k-means on a JetStream subject, sharing the model with the group's other
 * workers through a key-value bucket (`OnlineKMeans.fitShared`, which owns the exactly-once
 * commits). Loaded by kmeans.ts only for a NATS input.
 */
import {
  connectNats,
  InputError,
  isNatsAddress,
  JetStreamSource,
  jetStreamSink,
  type NatsConnection,
  type NatsConnectionOptions,
  natsServers,
  OnlineKMeansModel,
  parseNatsAddress,
  readSharedModel,
  type Sink,
  textFileSink,
  UsageError,
  writeFileAtomically,
} from '../../index.js';
import type { CommandContext, OptionValues } from '../command.js';
import { onlineKMeansFromOptions, reportSkipped } from './kmeans-stream.js';

/** The connection options given on the command line, for `servers`. */
function connectionOptions(servers: string[], options: OptionValues): NatsConnectionOptions {
  if ((options.user === undefined) !== (options.password === undefined)) {
    throw new UsageError('give --user and --password together');
  }
  const tls =
    options.tlsCa === undefined && options.tlsCert === undefined && options.tlsKey === undefined
      ? undefined
      : {
          caFile: options.tlsCa as string | undefined,
          certFile: options.tlsCert as string | undefined,
          keyFile: options.tlsKey as string | undefined,
        };
  return {
    servers,
    credsFile: options.creds as string | undefined,
    user: options.user as string | undefined,
    pass: options.password as string | undefined,
    tls,
    name: 'eddy kmeans',
  };
}

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
  const group = options.group as string | undefined;
  if (group === undefined)
    throw new UsageError('--group is required with a NATS input (the workers share it)');
  for (const name of ['checkpointDir', 'checkpointInterval', 'resume'] as const) {
    if (context.given.has(name)) {
      throw new UsageError(
        `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} does not apply to a NATS input: the shared model in the bucket is its checkpoint`,
      );
    }
  }
  const address = parseNatsAddress(input);
  const output = options.output as string | undefined;
  if (output === '-')
    throw new UsageError('--output - does not apply to a NATS input: give nats://... or a FILE');
  const modelPath = options.model as string | undefined;
  if (modelPath !== undefined && modelPath === output)
    throw new UsageError('--output and --model name the same file');
  const kmeans = await onlineKMeansFromOptions(options, context);
  const replicas = options.replicas as number;
  const location = { bucket: options.modelBucket as string, key: group, replicas };

  const connection = await connectNats(connectionOptions(natsServers(address.server), options));
  let messageConnection: NatsConnection | undefined;
  let outputConnection: NatsConnection | undefined;
  let sink: Sink<{ seq: number; text: string }> | undefined;
  let fileSink: Sink<string> | undefined;
  try {
    // The messages come on a connection of their own: on the model's, each commit's round trips
    // to the bucket would wait behind the megabytes pulled ahead on the same socket.
    messageConnection = await connectNats(connectionOptions(natsServers(address.server), options));
    const source = await JetStreamSource.open(messageConnection, {
      subject: address.subject,
      group,
      stream: options.streamName as string | undefined,
      replicas,
      ackWaitMs: options.ackWait as number,
    });
    if (output !== undefined && isNatsAddress(output)) {
      const target = parseNatsAddress(output);
      outputConnection =
        target.server === address.server
          ? connection
          : await connectNats(connectionOptions(natsServers(target.server), options));
      // One message per input message, its id the job and the input's stream sequence: a
      // batch published again after a crash is stored once.
      sink = jetStreamSink(outputConnection, {
        subject: target.subject,
        job: `eddy-kmeans-${group}`,
        encode: (record) => record.text,
        position: (record) => record.seq,
        replicas,
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
    const state = await readSharedModel(connection, location);
    if (state === undefined || state.model === null) {
      throw new InputError('no points came before the worker stopped', {
        file: input,
        expected: 'at least one point within --idle-timeout',
      });
    }
    const model = OnlineKMeansModel.fromJSON(state.model);
    const json = `${JSON.stringify(model.toJSON())}\n`;
    if (modelPath !== undefined) await writeFileAtomically(modelPath, json);
    else context.stdout.write(json);
    reportSkipped(context, summary.invalidRecords, invalid, 'record');
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
    await messageConnection?.close();
    await connection.close();
  }
}
