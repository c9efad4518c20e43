/**
 * Checkpoints: the state of a running job (source position, operator and sink state), written
 * atomically to a directory so that a job killed at any moment can resume from the last one.
 */
import {
  CheckpointStore,
  type JobFingerprint,
  jsonPayload,
  parseJsonPayload,
  type StoredCheckpoint,
} from '../core/checkpoint-store.js';
import { InputError, ParamError } from '../core/errors.js';
import type { Barrier, JsonValue } from './events.js';
import { SharedEvents } from './fan-out.js';

/** A checkpoint of a stream job: what its payload holds. */
export interface Checkpoint {
  id: number;
  /** Where the source resumes. */
  position: JsonValue;
  /** Records read from the source up to this checkpoint. */
  records: number;
  /** State of operators and sinks by uid. */
  state: Record<string, JsonValue>;
  /** Wall-clock time it was taken (ms since the epoch). */
  time: number;
  /** Whether the job ran to its end after this checkpoint (its outputs are complete). */
  complete?: boolean;
}

/** When and where a job takes checkpoints. */
export interface CheckpointOptions {
  /** Directory that holds the checkpoint files (created when missing). */
  directory: string;
  /** Take a checkpoint at the first batch boundary after this many records (default 10,000). */
  everyRecords?: number;
  /** ... or after this many milliseconds, whichever comes first (default: no time trigger). */
  everyMs?: number;
  /** Continue from the latest checkpoint in the directory instead of starting afresh. */
  resume?: boolean;
  /** How many completed checkpoints to keep (default 2). */
  retain?: number;
  /**
   * What identifies the job (its inputs, parameters, outputs, by name): a resume whose
   * fingerprint differs from the checkpoint's is refused, naming what changed.
   */
  fingerprint?: JobFingerprint;
}

/** The checkpoint store of a stream job (see core/checkpoint-store). */
export function streamCheckpointStore(options: CheckpointOptions): CheckpointStore {
  return new CheckpointStore({
    directory: options.directory,
    kind: 'stream-job',
    fingerprint: options.fingerprint ?? {},
    retain: options.retain,
  });
}

/** Reads a stream job's checkpoint payload, refusing one whose fields are not what a job wrote. */
export function readStreamCheckpoint(stored: StoredCheckpoint): Checkpoint {
  const value = parseJsonPayload(stored) as Partial<Checkpoint> | null;
  if (
    value === null ||
    typeof value !== 'object' ||
    !Number.isSafeInteger(value.records) ||
    (value.records as number) < 0 ||
    value.state === null ||
    typeof value.state !== 'object' ||
    Array.isArray(value.state) ||
    !('position' in value)
  ) {
    throw new InputError('refused checkpoint: not the state of a stream job', {
      file: stored.path,
      expected: 'position, records and state',
    });
  }
  return {
    id: stored.id,
    position: value.position as JsonValue,
    records: value.records as number,
    state: value.state as Record<string, JsonValue>,
    time: typeof value.time === 'number' ? value.time : 0,
    complete: stored.complete,
  };
}

/**
 * One run of a pipeline: what it restored from, when the source must emit barriers, and the
 * writing of completed checkpoints. Created by the sink when a pipeline starts.
 */
export class JobContext {
  /** The checkpoint this run resumed from, if any. */
  readonly restored: Checkpoint | undefined;
  /** Checkpoints completed in this run. */
  completed = 0;
  /** Records the source has read so far (counting those before a restored checkpoint). */
  sourceRecords: number;
  private nextId: number;
  private readonly store: CheckpointStore | undefined;
  private readonly everyRecords: number;
  private readonly everyMs: number;
  private readonly clock: () => number;
  private readonly streams = new Map<object, SharedEvents<unknown>>();
  private readonly committedListeners: ((position: JsonValue | undefined) => Promise<void>)[] = [];

  private constructor(
    store: CheckpointStore | undefined,
    restored: Checkpoint | undefined,
    options: CheckpointOptions | undefined,
    clock: () => number,
  ) {
    this.store = store;
    this.restored = restored;
    this.nextId = (restored?.id ?? 0) + 1;
    this.sourceRecords = restored?.records ?? 0;
    this.everyRecords = options?.everyRecords ?? 10_000;
    this.everyMs = options?.everyMs ?? Number.POSITIVE_INFINITY;
    this.clock = clock;
  }

  /**
   * Starts a job: loads (and verifies) the checkpoint to resume from, or clears old ones for a
   * fresh start. Temporary files of a killed earlier run are removed here, before any write.
   */
  static async start(options: CheckpointOptions | undefined, clock: () => number): Promise<JobContext> {
    if (options === undefined) return new JobContext(undefined, undefined, undefined, clock);
    const everyRecords = options.everyRecords ?? 10_000;
    if (!Number.isInteger(everyRecords) || everyRecords < 1) {
      throw new ParamError('everyRecords', everyRecords, 'an integer >= 1');
    }
    if (options.everyMs !== undefined && !(options.everyMs > 0)) {
      throw new ParamError('everyMs', options.everyMs, 'a positive number of milliseconds');
    }
    const store = streamCheckpointStore(options);
    await store.prepare();
    let restored: Checkpoint | undefined;
    if (options.resume) {
      const stored = await store.latest();
      restored = stored && readStreamCheckpoint(stored);
    } else await store.clear();
    return new JobContext(store, restored, options, clock);
  }

  /** Whether checkpoints are taken at all. */
  get checkpointing(): boolean {
    return this.store !== undefined;
  }

  /** Whether the restored checkpoint is that of a job that already ran to its end. */
  get alreadyComplete(): boolean {
    return this.restored?.complete === true;
  }

  /** The restored state of the operator or sink `uid`, if this run resumed. */
  restoredState(uid: string): JsonValue | undefined {
    return this.restored?.state[uid];
  }

  /** Whether a barrier is due, given the records and time since the last one. */
  barrierDue(recordsSince: number, lastBarrierTime: number): boolean {
    return (
      this.store !== undefined &&
      (recordsSince >= this.everyRecords || this.clock() - lastBarrierTime >= this.everyMs)
    );
  }

  /**
   * The events of the stream `node` in this run: built once per job however many streams read
   * it, each reader getting every event (see fan-out).
   */
  events<E>(node: object, build: () => AsyncIterable<E>): AsyncIterable<E> {
    let shared = this.streams.get(node) as SharedEvents<E> | undefined;
    if (!shared)
      this.streams.set(
        node,
        (shared = new SharedEvents(build()) as SharedEvents<unknown> as SharedEvents<E>),
      );
    return shared.reader();
  }

  now(): number {
    return this.clock();
  }

  /** A new barrier for a source position. */
  barrier(position: JsonValue, records: number): Barrier {
    return { id: this.nextId++, position, records, state: {} };
  }

  /**
   * Calls `listener` with the source position of each checkpoint once it is written, and with
   * `undefined` once the job's final checkpoint is (see `Source.committed`).
   */
  onCommitted(listener: (position: JsonValue | undefined) => Promise<void>): void {
    this.committedListeners.push(listener);
  }

  /** Writes the checkpoint of a barrier that has passed every operator and the sink. */
  async complete(barrier: Barrier): Promise<void> {
    if (this.store === undefined) return;
    await this.write(barrier, false);
    this.completed++;
    for (const listener of this.committedListeners) await listener(barrier.position);
  }

  /**
   * Marks the job complete once its outputs are: a last checkpoint with the final state, so
   * that resuming it again reports it complete instead of redoing or failing.
   */
  async finish(position: JsonValue, state: Record<string, JsonValue>): Promise<void> {
    if (this.store === undefined) return;
    await this.write({ id: this.nextId++, position, records: this.sourceRecords, state }, true);
    for (const listener of this.committedListeners) await listener(undefined);
  }

  private async write(barrier: Barrier, complete: boolean): Promise<void> {
    const { position, records, state } = barrier;
    await this.store!.write(
      barrier.id,
      jsonPayload({ position, records, state, time: Date.now() }),
      complete,
    );
  }
}
