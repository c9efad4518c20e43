/**
 * Online estimators scaled out on NATS JetStream: several workers (processes, possibly on other
 * machines) share one durable consumer and so split a stream; each folds its share in
 * mini-batches into one shared model kept in a JetStream key-value bucket.
 *
 * A worker commits a mini-batch by a compare-and-set update of the bucket's entry: it reads the
 * latest model, applies its batch to it (the estimator's own update rule, so with several
 * workers the model is that of one estimator fed the batches in commit order), and writes it
 * back only if nobody else did in between; on conflict it reads again and retries (merging the
 * statistics it took of its batches into the newer model, when the estimator's rule splits so,
 * rather than computing them again). The entry
 * also holds the stream sequences of every message whose points it counts, and messages are
 * acknowledged only after the commit that counts them. So a worker killed at any moment loses
 * nothing (what it never acknowledged is redelivered, to it or another worker) and counts
 * nothing twice (a redelivered message whose sequence the model already counts is skipped and
 * acknowledged). Sequences at or below the consumer's acknowledgement floor are never
 * delivered again, so the set is kept as that floor plus the ranges above it.
 */
import { InputError, ParamError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import type { JsonValue } from '../stream/events.js';
import { type NatsConnection, natsKv, pauseAfterFailure, retrying } from '../stream/nats/client.js';
import { type MessagePoints, messagePoints, PointRows } from '../stream/nats/payload.js';
import { addSequences, containsSequence, raiseFloor, type SequenceSet } from '../stream/nats/sequences.js';
import type { JetStreamMessage, JetStreamSource } from '../stream/nats/source.js';

/** What the shared fit needs of an online estimator. */
export interface SharedModelLearner<O> {
  /** Points per commit: a mini-batch is the messages that bring at least this many. */
  readonly batchSize: number;
  /** The model's dimension, or 0 when there is no model yet. */
  dimension(): number;
  /** The model as JSON (null when there is none yet). */
  snapshotState(): JsonValue;
  restoreState(state: JsonValue): void;
  /** Applies one mini-batch (choosing the first model from it when there is none); its per-point output. */
  update(rows: DenseMatrix): O;
  /**
   * `update` in two halves, when the estimator's rule allows: the costly one against the
   * current model now (for k-means, each point's nearest centroid), and `merge`, which applies
   * what it found to the model current when it is called (`update(rows)` is `prepare(rows)`
   * then `merge()`). A commit that loses a compare-and-set then merges the same statistics into
   * the newer model instead of computing them again. Undefined for a batch that cannot be
   * merged so (one that chooses the first model).
   */
  prepare?(rows: DenseMatrix): { output: O; merge: () => void } | undefined;
  /**
   * A record's problem that parsing cannot see (a label that is not 0 or 1), or undefined when
   * it is valid; `offset` is where its numbers start in `data`, `width` how many it has.
   */
  checkRecord?(
    data: Float64Array,
    offset: number,
    width: number,
  ): { problem: string; expected: string } | undefined;
  /** The model's update count and the records it has counted. */
  counts(): { version: number; recordsSeen: number };
}

/** What the bucket holds under a model's key: the model, and the sequences of the messages it counts. */
export interface SharedModelState extends SequenceSet {
  model: JsonValue;
}

/** Where the shared model lives. */
export interface SharedModelLocation {
  /** The key-value bucket (created when missing). */
  bucket: string;
  /** The model's key in the bucket (letters, digits, `-`, `_`, `=`, `.`). */
  key: string;
  /** Replicas of a bucket created here (default 1). */
  replicas?: number;
}

/** One commit of this worker, as {@link SharedFitOptions.onCommit} reports it. */
export interface SharedCommit {
  /** The shared model's update count and records after the commit. */
  version: number;
  recordsSeen: number;
  /** Records this worker has committed so far. */
  workerRecords: number;
  /** Compare-and-set attempts that lost to another worker, so far. */
  conflicts: number;
}

/** The defaults of {@link SharedFitOptions}. */
export const sharedFitDefaults = { commitIntervalMs: 100, caughtUpMs: 2, pruneEvery: 16 } as const;

/** Options of {@link fitSharedModel}. */
export interface SharedFitOptions<O> extends SharedModelLocation {
  /** Stop when no message has arrived for this long, after committing (default: never). */
  idleTimeoutMs?: number;
  /** Skip malformed records (counted and given to `onInvalid`; their messages are acknowledged). */
  skipInvalid?: boolean;
  onInvalid?: (error: InputError) => void;
  /**
   * Called with each mini-batch's messages and output before its commit (e.g. to publish the
   * assignments with message ids that make a repeat after a crash a duplicate).
   */
  output?: (messages: readonly { seq: number; rows: number }[], output: O) => Promise<void>;
  onCommit?: (commit: SharedCommit) => void;
  /**
   * At most one commit per this many milliseconds while mini-batches complete faster (default
   * 100): the mini-batches completed in between go into one commit, one update each.
   */
  commitIntervalMs?: number;
  /**
   * No message for this long (default 2) after one the server sent with nothing more pending
   * for the group: the worker has caught up with what the stream holds (at its end, say) and
   * commits everything it holds at once, short mini-batch included, rather than idle until the
   * commit interval or a full mini-batch while the other workers finish. A pause while the
   * server has more (between pulls) is not caught up: the mini-batches stay whole.
   */
  caughtUpMs?: number;
  /** Prune committed ranges to the consumer's acknowledgement floor every this many commits (default 16). */
  pruneEvery?: number;
}

/** How a worker's {@link fitSharedModel} went. */
export interface SharedFitSummary {
  /** Records this worker counted into the model. */
  records: number;
  /** Redelivered messages skipped because the model already counted them. */
  skippedMessages: number;
  /** Malformed records skipped (with `skipInvalid`). */
  invalidRecords: number;
  /** Commits and compare-and-set conflicts of this worker. */
  commits: number;
  conflicts: number;
  /** The shared model after this worker's last commit. */
  state: SharedModelState | undefined;
}

function readState(value: Uint8Array, where: string): SharedModelState {
  const state = JSON.parse(new TextDecoder().decode(value)) as SharedModelState;
  if (state === null || typeof state !== 'object' || !Array.isArray(state.committed)) {
    throw new InputError('not a shared model', {
      file: where,
      expected: 'what eddy writes: model, floor, committed',
    });
  }
  return state;
}

/**
 * Opens the bucket of shared models: creating it when missing (with `location.replicas`), or,
 * with `create` false, only binding to it as it is (an error when it does not exist).
 */
export async function openModelBucket(
  connection: NatsConnection,
  location: SharedModelLocation,
  create = true,
) {
  if (!/^[-/_=.a-zA-Z0-9]+$/.test(location.key)) {
    throw new ParamError('key', location.key, 'letters, digits, -, /, _, = and .');
  }
  const kvm = new (natsKv().Kvm)(connection);
  if (!create) return retrying(() => kvm.open(location.bucket, { bindOnly: true }));
  return retrying(() =>
    kvm.create(location.bucket, {
      history: 16,
      replicas: location.replicas ?? 1,
      // Reads go to the stream's leader: a replica's copy may lag behind the last commit.
      allow_direct: false,
    }),
  );
}

/** The shared model as it stands (undefined when no worker has committed yet). */
export async function readSharedModel(
  connection: NatsConnection,
  location: SharedModelLocation,
): Promise<SharedModelState | undefined> {
  const kv = await openModelBucket(connection, location, false);
  const entry = await retrying(() => kv.get(location.key));
  return entry && entry.operation === 'PUT'
    ? readState(entry.value, `${location.bucket}/${location.key}`)
    : undefined;
}

/**
 * Every version of the shared model as workers commit it, from the one standing now: what
 * `transform` workers score with. Ends when the connection closes or `signal` aborts.
 */
export async function* watchSharedModel(
  connection: NatsConnection,
  location: SharedModelLocation,
  signal?: AbortSignal,
): AsyncGenerator<SharedModelState & { revision: number }> {
  const kv = await openModelBucket(connection, location, false);
  const watch = await kv.watch({ key: location.key });
  const stop = () => watch.stop();
  signal?.addEventListener('abort', stop);
  try {
    for await (const entry of watch) {
      if (entry.operation !== 'PUT') continue;
      yield { ...readState(entry.value, `${location.bucket}/${location.key}`), revision: entry.revision };
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    watch.stop();
  }
}

/**
 * A message's points without those `learner.checkRecord` refuses (each given to `reject`, which
 * throws to stop), the others kept in order (in a copy once one is refused: the points may be a
 * view of the message).
 */
function checkedRows(
  points: MessagePoints,
  width: number,
  learner: SharedModelLearner<unknown>,
  where: string,
  reject: (error: InputError) => void,
): MessagePoints {
  let data = points.data;
  let kept = 0;
  for (let i = 0; i < points.rows; i++) {
    const refused = learner.checkRecord!(points.data, i * width, width);
    if (refused !== undefined) {
      // Parsed points are numbered among the message's valid ones: a line number is not known here.
      reject(
        new InputError(`${refused.problem} in point ${i + 1} of the message`, {
          file: where,
          expected: refused.expected,
        }),
      );
      if (data === points.data) {
        data = new Float64Array(points.rows * width);
        data.set(points.data.subarray(0, i * width));
      }
      continue;
    }
    if (data !== points.data) data.set(points.data.subarray(i * width, (i + 1) * width), kept * width);
    kept++;
  }
  return { data: data.subarray(0, kept * width), rows: kept };
}

function isConflict(error: unknown): boolean {
  return /wrong last sequence|key exists|10071/i.test((error as Error)?.message ?? '');
}

/** A message taken and parsed, waiting for the commit that counts it. */
interface Pending {
  message: JetStreamMessage;
  /** Its points (often a view of the message's bytes), row after row, and how many. */
  data: Float64Array;
  rows: number;
  /** When it arrived (ms since the epoch). */
  arrived: number;
}

/** Messages that bring at least `batchSize` records (or fewer: the last one before a stop). */
interface MiniBatch<O> {
  parts: Pending[];
  rows: number;
  /**
   * Its statistics (the costly half of the update) and their output, taken against the model
   * the worker holds: the one it last read or wrote with the mini-batches before this one
   * merged. A commit merges them, into a newer model too after a conflict, as long as the
   * mini-batch counts the same messages; `published` once they went to `options.output`.
   */
  prepared?: { messages: number; merge: () => void; output: O; published: boolean };
}

/**
 * Fits `learner` on this worker's share of `source` into the shared model (see the module
 * comment for the guarantee), until the source is idle for `idleTimeoutMs`. A malformed record
 * stops the worker before it touches the model, with an {@link InputError} naming the stream
 * sequence of its message (unless `skipInvalid`).
 *
 * Mini-batches are the messages that bring at least `learner.batchSize` records, in the order
 * they arrive. Each one's statistics are taken as soon as it is complete (when the learner
 * splits its update, see {@link SharedModelLearner.prepare}), so that the worker reads the next
 * messages from the socket between mini-batches rather than all at once at a commit; a commit
 * applies every complete mini-batch the worker holds, one update each, so that a fast worker
 * commits several at once (at most one commit per `commitIntervalMs`), a slow one each as it
 * completes, and one that has caught up with the stream (the server had nothing more for the
 * group when it sent the last message, and none came for `caughtUpMs`) all it holds at once,
 * the last, short mini-batch too. A commit starts from the model as this worker
 * last read or wrote it and reads the bucket again only when another worker committed in between.
 */
export async function fitSharedModel<O>(
  connection: NatsConnection,
  source: JetStreamSource,
  learner: SharedModelLearner<O>,
  options: SharedFitOptions<O>,
): Promise<SharedFitSummary> {
  const kv = await openModelBucket(connection, options);
  const where = (seq: number) => `${source.subject} (stream ${source.stream}, sequence ${seq})`;
  const initial = learner.snapshotState();
  const fresh = (): SharedModelState => ({ model: initial, floor: 0, committed: [] });
  const summary: SharedFitSummary = {
    records: 0,
    skippedMessages: 0,
    invalidRecords: 0,
    commits: 0,
    conflicts: 0,
    state: undefined,
  };
  const read = async () => {
    const entry = await retrying(() => kv.get(options.key));
    const exists = entry !== null && entry.operation === 'PUT';
    known = exists ? readState(entry.value, `${options.bucket}/${options.key}`) : fresh();
    // No entry, or a deleted one: the first commit creates it (a deleted one at its revision).
    knownRevision = exists ? entry.revision : entry?.revision;
  };
  let known = fresh();
  let knownRevision: number | undefined;
  await read();
  if (known.model !== null) learner.restoreState(known.model);
  /** The stream's dimension, and where payloads that are not aligned frames are parsed. */
  const scratch = new PointRows(learner.dimension());
  /** Where the points of a mini-batch of several messages are gathered, reused. */
  let gathered = new Float64Array(0);
  /** The complete mini-batches held, and the one being filled. */
  let batches: MiniBatch<O>[] = [];
  let open: MiniBatch<O> = { parts: [], rows: 0 };
  /**
   * Whether the learner's model is `known` with every complete mini-batch held merged, so that
   * the next one's statistics can be taken now (false after one that could not be prepared).
   */
  let current = true;
  const pendingSeqs = new Set<number>();
  /** Deliveries of a held message that came again while it was held, by stream sequence. */
  const redeliveries = new Map<number, JetStreamMessage[]>();
  const pruneEvery = options.pruneEvery ?? sharedFitDefaults.pruneEvery;
  const commitIntervalMs = options.commitIntervalMs ?? sharedFitDefaults.commitIntervalMs;
  const caughtUpMs = options.caughtUpMs ?? sharedFitDefaults.caughtUpMs;
  let lastCommit = 0;

  /**
   * The rows of a mini-batch's messages that the model does not count yet, as one matrix: the
   * message's own points when it is one message (a frame of the mini-batch's size: no copy).
   */
  const matrixOf = (kept: Pending[]): DenseMatrix => {
    const dimension = scratch.dimension;
    if (kept.length === 1) return new DenseMatrix(kept[0].rows, dimension, kept[0].data);
    let count = 0;
    for (const part of kept) count += part.rows;
    if (gathered.length < count * dimension) gathered = new Float64Array(count * dimension);
    let at = 0;
    for (const part of kept) {
      gathered.set(part.data, at);
      at += part.data.length;
    }
    return new DenseMatrix(count, dimension, gathered.subarray(0, at));
  };

  /**
   * Takes the statistics of a mini-batch's `kept` messages (at least one point) against the
   * learner's model and merges them into it; false when the learner cannot split its update for
   * this batch (then `update` applies it at the commit).
   */
  const prepare = (batch: MiniBatch<O>, kept: Pending[]): boolean => {
    const halves = learner.prepare?.(matrixOf(kept));
    batch.prepared = halves && {
      messages: kept.length,
      merge: halves.merge,
      output: halves.output,
      published: false,
    };
    halves?.merge();
    return halves !== undefined;
  };
  const rowsOf = (kept: Pending[]) => kept.reduce((sum, part) => sum + part.rows, 0);

  /** The mini-batch being filled is complete: its statistics are taken now when they can be. */
  const close = () => {
    const batch = open;
    batches.push(batch);
    open = { parts: [], rows: 0 };
    if (!current || known.model === null) return;
    const kept = batch.parts.filter(({ message }) => !containsSequence(known, message.seq));
    if (rowsOf(kept) > 0) current = prepare(batch, kept);
  };

  /** Commits the complete mini-batches held (and, with `all`, the last, short one too). */
  const commit = async (all: boolean) => {
    const committing = all && open.parts.length > 0 ? [...batches, open] : batches;
    if (committing.length === 0) return;
    const messages = committing.flatMap((batch) => batch.parts);
    /** Since when the bucket has refused this commit with errors a failover clears. */
    let failingSince: number | undefined;
    for (let attempt = 0; ; attempt++) {
      // From the second attempt on, the model this worker knows is stale: read the latest.
      if (attempt > 0) await read();
      const state = known;
      learner.restoreState(state.model);
      const seqs: number[] = [];
      let count = 0;
      for (const batch of committing) {
        const kept = batch.parts.filter(({ message }) => !containsSequence(state, message.seq));
        for (const { message } of kept) seqs.push(message.seq);
        const rows = rowsOf(kept);
        // Messages whose every record was invalid and skipped are counted, with nothing to apply.
        if (rows === 0) continue;
        count += rows;
        // The same messages as when its statistics were taken (the counted set only grows):
        // merged into this model as they are.
        const saved = batch.prepared;
        if (saved !== undefined && saved.messages === kept.length && state.model !== null) saved.merge();
        else if (!prepare(batch, kept)) {
          const output = learner.update(matrixOf(kept));
          if (options.output) await publish(kept, output);
          continue;
        }
        const prepared = batch.prepared!;
        if (!prepared.published && options.output) await publish(kept, prepared.output);
        prepared.published = true;
      }
      if (seqs.length === 0) {
        summary.skippedMessages += messages.length;
        break;
      }
      seqs.sort((a, b) => a - b);
      let next: SharedModelState = {
        model: learner.snapshotState(),
        floor: state.floor,
        committed: addSequences(state.committed, seqs),
      };
      if ((summary.commits + 1) % pruneEvery === 0) next = raiseFloor(next, await source.ackFloor());
      const payload = JSON.stringify(next);
      let revision: number;
      try {
        revision =
          knownRevision === undefined
            ? await kv.create(options.key, payload)
            : await kv.update(options.key, payload, knownRevision);
      } catch (error) {
        if (isConflict(error)) {
          summary.conflicts++;
          continue;
        }
        // Whether a timed-out update was applied shows in the next read: retry from there, for
        // as long as a failover takes (a bucket that cannot store stops the worker, not loops it).
        failingSince ??= Date.now();
        await pauseAfterFailure(error, { since: failingSince, attempt: attempt + 1 });
        continue;
      }
      known = next;
      knownRevision = revision;
      summary.skippedMessages += messages.length - seqs.length;
      summary.commits++;
      summary.records += count;
      summary.state = next;
      const counts = learner.counts();
      options.onCommit?.({
        version: counts.version,
        recordsSeen: counts.recordsSeen,
        workerRecords: summary.records,
        conflicts: summary.conflicts,
      });
      break;
    }
    // The learner's model is `known` again: the one just written, or the one read last when
    // every message was counted already.
    current = true;
    lastCommit = Date.now();
    for (const { message } of messages) {
      message.ack();
      pendingSeqs.delete(message.seq);
      for (const again of redeliveries.get(message.seq) ?? []) again.ack();
      redeliveries.delete(message.seq);
    }
    batches = [];
    if (committing.includes(open)) open = { parts: [], rows: 0 };
  };
  const publish = (kept: Pending[], output: O) =>
    options.output!(
      kept.map(({ message, rows: n }) => ({ seq: message.seq, rows: n })),
      output,
    );

  // Everything held is committed, short mini-batch included, once the oldest message has waited
  // half the ack wait: held longer, it would be redelivered while this worker still holds it.
  const holdMs = source.ackWaitMs / 2;
  // Woken only while holding messages: soon enough to commit them once caught up, or before
  // they are held too long.
  const tickMs = () => (pendingSeqs.size > 0 ? Math.min(caughtUpMs, holdMs / 4) : Number.POSITIVE_INFINITY);
  let lastArrival = 0;
  /**
   * Whether the server had more for the group when it sent the last message: a pause in
   * delivery then (between pulls, on a loaded machine) is not having caught up, and committing
   * a short mini-batch there would make the model depend on the machine's timing.
   */
  let moreComing = false;
  for await (const message of source.messages({ idleTimeoutMs: options.idleTimeoutMs, tickMs })) {
    const oldest = batches.length > 0 ? batches[0].parts[0] : open.parts[0];
    const caughtUp = message === null && !moreComing && Date.now() - lastArrival >= caughtUpMs;
    if (oldest !== undefined && (caughtUp || Date.now() - oldest.arrived >= holdMs)) await commit(true);
    if (message === null) continue;
    lastArrival = Date.now();
    moreComing = message.pending > 0;
    if (containsSequence(known, message.seq)) {
      summary.skippedMessages++;
      message.ack();
      continue;
    }
    if (pendingSeqs.has(message.seq)) {
      // Redelivered to this worker while it still holds it: acknowledged with the first.
      const again = redeliveries.get(message.seq);
      if (again) again.push(message);
      else redeliveries.set(message.seq, [message]);
      continue;
    }
    const reject = (error: InputError) => {
      if (!options.skipInvalid) throw error;
      summary.invalidRecords++;
      options.onInvalid?.(error);
    };
    let points = messagePoints(message.data, where(message.seq), scratch, reject);
    if (learner.checkRecord)
      points = checkedRows(points, scratch.dimension, learner, where(message.seq), reject);
    open.parts.push({ message, data: points.data, rows: points.rows, arrived: lastArrival });
    open.rows += points.rows;
    pendingSeqs.add(message.seq);
    if (open.rows >= learner.batchSize) close();
    if (batches.length > 0 && Date.now() - lastCommit >= commitIntervalMs) await commit(false);
  }
  await commit(true);
  return summary;
}
