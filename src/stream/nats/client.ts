/**
 * The NATS clients (`@nats-io/transport-node`, `@nats-io/jetstream`, `@nats-io/kv`), loaded on
 * first use so that importing eddy never loads them, and the connection every JetStream
 * connector shares: servers, credentials, TLS, reconnection without end, and an unreachable
 * server reported as an error that names its URL.
 */
import { readFile } from 'node:fs/promises';
import type * as JetStream from '@nats-io/jetstream';
import type * as Kv from '@nats-io/kv';
import type * as Transport from '@nats-io/transport-node';
import { EddyError, InputError, UsageError } from '../../core/errors.js';
import { loadOnFirstUse } from '../../core/lazy-module.js';

/** `@nats-io/transport-node` (connect, authenticators, errors). */
export const natsTransport = loadOnFirstUse<typeof Transport>('@nats-io/transport-node');
/** `@nats-io/jetstream` (streams, consumers, publishing). */
export const natsJetStream = loadOnFirstUse<typeof JetStream>('@nats-io/jetstream');
/** `@nats-io/kv` (key-value buckets). */
export const natsKv = loadOnFirstUse<typeof Kv>('@nats-io/kv');

/** How to reach and authenticate to NATS servers. */
export interface NatsConnectionOptions {
  /** Server URLs (`nats://host:port`); the client fails over between them. */
  servers: string | readonly string[];
  /** A credentials file (JWT and NKey seed, as `nsc` writes it). */
  credsFile?: string;
  /** User and password (instead of a credentials file). */
  user?: string;
  pass?: string;
  /** TLS: a CA file to trust, and a client certificate and key for mutual TLS. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  /** Connection name shown by the server's monitoring. */
  name?: string;
  /** Milliseconds to wait for the first connection (default 5000). */
  timeout?: number;
}

/** A NATS connection (the client's own type). */
export type NatsConnection = Transport.NatsConnection;

/**
 * Connects to NATS. After the first connection the client reconnects without end (to any
 * server of the cluster it learns of), so a server that stops is survived; the first
 * connection failing is an {@link InputError} naming the URLs tried.
 */
export async function connectNats(options: NatsConnectionOptions): Promise<NatsConnection> {
  const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers];
  if (servers.length === 0) throw new UsageError('no NATS server given');
  if (options.credsFile !== undefined && options.user !== undefined) {
    throw new UsageError('give a NATS credentials file or a user and password, not both');
  }
  const transport = natsTransport();
  const authenticator =
    options.credsFile === undefined
      ? undefined
      : transport.credsAuthenticator(new Uint8Array(await readFile(options.credsFile)));
  try {
    return await transport.connect({
      servers,
      user: options.user,
      pass: options.pass,
      authenticator,
      tls: options.tls,
      name: options.name ?? 'eddy',
      timeout: options.timeout ?? 5000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
  } catch (error) {
    throw new InputError(`cannot connect to NATS (${(error as Error).message})`, {
      file: servers.join(','),
      expected: 'a reachable NATS server with JetStream enabled',
    });
  }
}

/** A `nats://host:port/subject` address, split. */
export interface NatsAddress {
  /** `nats://host:port` (or tls://...). */
  server: string;
  subject: string;
}

/** Whether `text` is a NATS address rather than a file name. */
export function isNatsAddress(text: string): boolean {
  return /^(nats|tls):\/\//i.test(text);
}

/**
 * Splits `nats://HOST:PORT/SUBJECT` into the server and the subject (a usage error when the
 * subject is missing). Several servers may be given as `nats://h1:p1,h2:p2/SUBJECT`; the
 * first one is `server`, all are in {@link natsServers}.
 */
export function parseNatsAddress(text: string): NatsAddress {
  const match = /^((?:nats|tls):\/\/[^/]+)\/(.+)$/i.exec(text);
  if (match === null || /\s/.test(match[2])) {
    throw new UsageError(`not a NATS address: ${text} (expected nats://HOST:PORT/SUBJECT)`);
  }
  return { server: match[1], subject: match[2] };
}

/** The server URLs of an address's server part (`nats://h1:p1,h2:p2` is two servers). */
export function natsServers(server: string): string[] {
  const scheme = /^(\w+):\/\//.exec(server)![1];
  return server
    .slice(scheme.length + 3)
    .split(',')
    .map((host) => `${scheme}://${host}`);
}

/** How operations ride out a failover: the pause between attempts, and how long they keep trying. */
export const natsRetry = { delayMs: 250, deadlineMs: 60_000 };

/**
 * NATS kept failing, with errors a failover clears, for longer than a failover takes: a server
 * that is gone, or one that cannot store (JetStream disabled, its storage full).
 */
export class NatsUnavailableError extends EddyError {
  /** The last failure. */
  override readonly cause: unknown;

  constructor(cause: unknown, failingMs: number) {
    super(
      `NATS kept failing for ${(failingMs / 1000).toFixed(1)} s (${(cause as Error)?.message ?? String(cause)}): is the server reachable, with JetStream enabled and storage to spare?`,
    );
    this.cause = cause;
  }
}

/**
 * What an operation retried through a failover does after failing with `error`: throws it when
 * it is not transient, throws a {@link NatsUnavailableError} once the failures have lasted
 * `deadlineMs` since `since` (or `attempts` are spent), and otherwise pauses before the next attempt.
 */
export async function pauseAfterFailure(
  error: unknown,
  failures: { since: number; attempt: number },
  options: { attempts?: number; delayMs?: number; deadlineMs?: number } = {},
): Promise<void> {
  if (!isTransient(error)) throw error;
  const failingMs = Date.now() - failures.since;
  if (
    failures.attempt >= (options.attempts ?? Number.POSITIVE_INFINITY) ||
    failingMs >= (options.deadlineMs ?? natsRetry.deadlineMs)
  ) {
    throw new NatsUnavailableError(error, failingMs);
  }
  await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? natsRetry.delayMs));
}

/**
 * Retries `operation` while the connection is failing over (timeouts, no responders), for at
 * most `deadlineMs` in all (default {@link natsRetry}), however long each attempt waits.
 */
export async function retrying<T>(
  operation: () => Promise<T>,
  options: { attempts?: number; delayMs?: number; deadlineMs?: number } = {},
): Promise<T> {
  const since = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      await pauseAfterFailure(error, { since, attempt }, options);
    }
  }
}

/**
 * Whether an error of the NATS client is one a failover clears (a request that timed out, no
 * responders while a stream leader is elected, a connection being re-established).
 */
export function isTransient(error: unknown): boolean {
  const text = `${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? ''}`.toLowerCase();
  // "jetstream is not enabled" is how the client reports no responders to a publish, which is
  // also what a stream without a leader (mid-election) gives.
  return /timeout|no responders|no_responders|503|disconnect|reconnect|connection closed|leader|temporarily|insufficient resources|jetstream is not enabled/.test(
    text,
  );
}
