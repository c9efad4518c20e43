/**
 * What every `--stream nats://HOST:PORT/SUBJECT` command shares (`eddy kmeans`,
 * `eddy logistic-regression train`, `eddy standard-scaler train`): the checks of a worker's
 * options, its two connections and the durable consumer of its group, and the shared model as
 * it stands when the worker stops (to `--model` or stdout). Each command runs its estimator's
 * `fitShared` between the two.
 */
import {
  connectNats,
  InputError,
  isNatsAddress,
  JetStreamSource,
  type JsonValue,
  type NatsConnection,
  type NatsConnectionOptions,
  natsServers,
  parseNatsAddress,
  readSharedModel,
  type SharedModelLocation,
  UsageError,
  writeFileAtomically,
} from '../index.js';
import type { CommandContext, OptionValues } from './command.js';
import { flag } from './option-rules.js';

/** The connection options given on the command line, for `servers`; `name` is the client's. */
export function natsConnectionOptions(
  servers: string[],
  options: OptionValues,
  name: string,
): NatsConnectionOptions {
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
    name,
  };
}

/**
 * The data of `eddy <estimator> train --stream DATA`: a NATS JetStream subject. A file is a
 * usage error: these estimators train on a file without --stream.
 */
export function natsTrainingInput(context: CommandContext): string {
  const input = context.positionals[1];
  if (input === undefined || !isNatsAddress(input)) {
    throw new UsageError(
      `--stream trains on a NATS JetStream subject: give nats://HOST:PORT/SUBJECT${input === undefined ? '' : `, not '${input}'`} (a file trains without --stream)`,
    );
  }
  return input;
}

/** One worker's connections to the group's consumer and shared model. */
export interface NatsWorker {
  readonly input: string;
  readonly group: string;
  /** The server of the input (`nats://HOST:PORT`), for an output on the same server. */
  readonly server: string;
  /** Where the group's shared model is. */
  readonly location: SharedModelLocation & { replicas: number };
  /** The model's connection (compare-and-set commits). */
  readonly connection: NatsConnection;
  /** The group's durable consumer, on a connection of its own. */
  readonly source: JetStreamSource;
  /** The client name of this command, for further connections. */
  readonly clientName: string;
  close(): Promise<void>;
}

/**
 * Checks a worker's options (a `--group`; no checkpoint options, since the shared model in the
 * bucket is the checkpoint) and connects: the model's connection, and the messages on a
 * connection of their own (on the model's, each commit's round trips to the bucket would wait
 * behind the megabytes pulled ahead on the same socket).
 */
export async function openNatsWorker(
  input: string,
  options: OptionValues,
  context: CommandContext,
  command: string,
): Promise<NatsWorker> {
  const group = options.group as string | undefined;
  if (group === undefined)
    throw new UsageError('--group is required with a NATS input (the workers share it)');
  for (const name of ['checkpointDir', 'checkpointInterval', 'resume'] as const) {
    if (context.given.has(name)) {
      throw new UsageError(
        `${flag(name)} does not apply to a NATS input: the shared model in the bucket is its checkpoint`,
      );
    }
  }
  const address = parseNatsAddress(input);
  const replicas = options.replicas as number;
  const location = { bucket: options.modelBucket as string, key: group, replicas };
  const clientName = `eddy ${command}`;
  const connectionOptions = natsConnectionOptions(natsServers(address.server), options, clientName);
  const connection = await connectNats(connectionOptions);
  let messages: NatsConnection | undefined;
  try {
    messages = await connectNats(connectionOptions);
    const source = await JetStreamSource.open(messages, {
      subject: address.subject,
      group,
      stream: options.streamName as string | undefined,
      replicas,
      ackWaitMs: options.ackWait as number,
    });
    const messageConnection = messages;
    return {
      input,
      group,
      server: address.server,
      location,
      connection,
      source,
      clientName,
      async close() {
        await messageConnection.close();
        await connection.close();
      },
    };
  } catch (error) {
    await messages?.close();
    await connection.close();
    throw error;
  }
}

/**
 * The group's shared model as it stands (what every worker merged into it), as `json` makes it
 * from the bucket's state, written to `--model` (atomically) or stdout; `unit` names what the
 * model counts, for the error when nothing came. Returns that JSON.
 */
export async function writeSharedModel(
  worker: NatsWorker,
  options: OptionValues,
  context: CommandContext,
  unit: string,
  json: (model: JsonValue) => JsonValue,
): Promise<JsonValue> {
  const state = await readSharedModel(worker.connection, worker.location);
  if (state === undefined || state.model === null) {
    throw new InputError(`no ${unit} came before the worker stopped`, {
      file: worker.input,
      expected: `at least one ${unit.replace(/s$/, '')} within --idle-timeout`,
    });
  }
  const model = json(state.model);
  const text = `${JSON.stringify(model)}\n`;
  const path = options.model as string | undefined;
  if (path !== undefined) await writeFileAtomically(path, text);
  else context.stdout.write(text);
  return model;
}
