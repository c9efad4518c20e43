/**
 * Checkpoints: the state of a running job (source positions, operator and sink state), written
 * atomically to a directory so that a job killed at any moment can resume from the last one.
 * A job that reads several sources (union, connect) holds the position of each.
 */
import {
  CheckpointStore,
  type JobFingerprint,
  jsonPayload,
  parseJsonPayload,
  type StoredCheckpoint,
} from '../core/checkpoint-store.js';
import { InputError, ParamError } from '../core/errors.js';
import type { Barrier, JsonValue, SourcePosition } from './events.js';
import { SharedEvents } from './fan-out.js';

/** A checkpoint of a stream job: what its payload holds. */
export interface Checkpoint {
  id: number;
  /** Where the source resumes (null when the job reads several: see `sources`). */
  position: JsonValue;
  /** Records read from the source (from all sources) up to this checkpoint. */
  records: number;
  /** Where each source resumes, by its slot, when the job reads more than one. */
  sources?: SourcePosition[];
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
    !('position' in value) ||
    (value.sources !== undefined && !isSourceList(value.sources))
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
    ...(value.sources === undefined ? {} : { sources: value.sources }),
    state: value.state as Record<string, JsonValue>,
    time: typeof value.time === 'number' ? value.time : 0,
    complete: stored.complete,
  };
}

function isSourceList(value: unknown): value is SourcePosition[] {
  return (
    Array.isArray(value) &&
    value.every(
      (entry) =>
        entry !== null &&
        typeof entry === 'object' &&
        'position' in entry &&
        Number.isSafeInteger((entry as SourcePosition).records),
    )
  );
}

/**
 * One run of a pipeline: what it restored from, when the sources must emit barriers, and the
 * writing of completed checkpoints. Created by the sink when a pipeline starts.
 *
 * A job may read several sources. Each has a slot, in the order the job's streams are built
 * (the same for the same program), and a checkpoint holds every slot's position. A checkpoint
 * is triggered by whichever source first finds one due; every source then emits that
 * checkpoint's barrier after its next batch, and the barriers are joined where the streams
 * meet (merge) or at the sinks.
 */
export class JobContext {
  /** The checkpoint this run resumed from, if any. */
  readonly restored: Checkpoint | undefined;
  /** Checkpoints completed in this run. */
  completed = 0;
  private nextId: number;
  /** The sources' slots, by the stream node that reads each. */
  private readonly slots = new Map<object, number>();
  /** Where each source is now, by slot (its last batch's position). */
  private readonly latest: SourcePosition[] = [];
  /** The last checkpoint each source emitted the barrier of, by slot. */
  private readonly emitted: number[] = [];
  /** The last checkpoint triggered. */
  private triggered: number;
  /** Records read (by all sources) and the time, since the last checkpoint was triggered. */
  private since = 0;
  private lastTrigger: number;
  private readonly store: CheckpointStore | undefined;
  private readonly everyRecords: number;
  private readonly everyMs: number;
  private readonly clock: () => number;
  private readonly streams = new Map<object, SharedEvents<unknown>>();
  private readonly committedListeners: {
    slot: number;
    listener: (position: JsonValue | undefined) => Promise<void>;
  }[] = [];

  private constructor(
    store: CheckpointStore | undefined,
    restored: Checkpoint | undefined,
    options: CheckpointOptions | undefined,
    clock: () => number,
  ) {
    this.store = store;
    this.restored = restored;
    this.nextId = (restored?.id ?? 0) + 1;
    this.triggered = this.nextId - 1;
    this.everyRecords = options?.everyRecords ?? 10_000;
    this.everyMs = options?.everyMs ?? Number.POSITIVE_INFINITY;
    this.clock = clock;
    this.lastTrigger = clock();
  }

  /** Records the sources have read so far (counting those before a restored checkpoint). */
  get sourceRecords(): number {
    let records = this.latest.length === 0 ? (this.restored?.records ?? 0) : 0;
    for (const source of this.latest) records += source.records;
    return records;
  }

  /**
   * The slot of the source that `node` reads, given when the job's streams are built (so in
   * the same order every run of the same program).
   */
  sourceSlot(node: object): number {
    let slot = this.slots.get(node);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(node, slot);
      this.latest.push(this.restoredSource(slot) ?? { position: null, records: 0 });
      this.emitted.push(this.triggered);
    }
    return slot;
  }

  /** Where the source in `slot` resumes, or undefined to read it from its start. */
  restoredSource(slot: number): SourcePosition | undefined {
    const restored = this.restored;
    if (restored === undefined) return undefined;
    if (restored.sources !== undefined) return restored.sources[slot];
    return slot === 0 ? { position: restored.position, records: restored.records } : undefined;
  }

  /**
   * Notes that the source in `slot` read a batch of `size` records, to `position`; returns the
   * barriers it must emit after that batch (none, or those of the checkpoints triggered since
   * its last barrier, in order; a due checkpoint is triggered here).
   */
  afterBatch(slot: number, position: JsonValue, size: number): Barrier[] | undefined {
    const latest = this.latest[slot];
    latest.position = position;
    latest.records += size;
    if (this.store === undefined) return undefined;
    this.since += size;
    if (this.emitted[slot] === this.triggered) {
      if (this.since < this.everyRecords && this.clock() - this.lastTrigger < this.everyMs) return undefined;
      this.triggered = this.nextId++;
      this.since = 0;
      this.lastTrigger = this.clock();
    }
    const barriers: Barrier[] = [];
    while (this.emitted[slot] < this.triggered) {
      const id = ++this.emitted[slot];
      const at = { position, records: latest.records };
      barriers.push({ id, position, records: latest.records, state: {}, sources: { [slot]: at } });
    }
    return barriers;
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

  /**
   * Calls `listener` with the position of the source in `slot` in each checkpoint once it is
   * written, and with `undefined` once the job's final checkpoint is (see `Source.committed`).
   */
  onCommitted(slot: number, listener: (position: JsonValue | undefined) => Promise<void>): void {
    this.committedListeners.push({ slot, listener });
  }

  /** Writes the checkpoint of a barrier that has passed every operator and the sink. */
  async complete(barrier: Barrier): Promise<void> {
    if (this.store === undefined) return;
    await this.write(barrier, false);
    this.completed++;
    for (const { slot, listener } of this.committedListeners) {
      // A source without a barrier here ended before it: all it read is in this checkpoint.
      const at = barrier.sources[slot] ?? this.latest[slot];
      if (at !== undefined) await listener(at.position);
    }
  }

  /**
   * Marks the job complete once its outputs are: a last checkpoint with the final state, so
   * that resuming it again reports it complete instead of redoing or failing.
   */
  async finish(position: JsonValue, state: Record<string, JsonValue>): Promise<void> {
    if (this.store === undefined) return;
    await this.write({ id: this.nextId++, position, records: this.sourceRecords, state, sources: {} }, true);
    for (const { listener } of this.committedListeners) await listener(undefined);
  }

  private async write(barrier: Barrier, complete: boolean): Promise<void> {
    const { state } = barrier;
    let { position, records } = barrier;
    let sources: SourcePosition[] | undefined;
    if (this.latest.length > 1) {
      // A source without a barrier here ended before it (the merge aligned without it): where
      // it ended is where it resumes.
      sources = this.latest.map((latest, slot) => barrier.sources[slot] ?? { ...latest });
      position = null;
      records = sources.reduce((sum, source) => sum + source.records, 0);
    }
    await this.store!.write(
      barrier.id,
      jsonPayload({ position, records, ...(sources && { sources }), state, time: Date.now() }),
      complete,
    );
  }
}
