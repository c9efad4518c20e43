/**
 * Checkpoints: the state of a running job (source position, operator and sink state), written
 * atomically to a directory so that a job killed at any moment can resume from the last one.
 */
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, ParamError } from '../core/errors.js';
import type { Barrier, JsonValue } from './events.js';

/** A completed checkpoint as stored on disk. */
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
}

const FILE_PATTERN = /^checkpoint-(\d{8})\.json$/;

function fileName(id: number): string {
  return `checkpoint-${String(id).padStart(8, '0')}.json`;
}

/**
 * The checkpoint files of one job. Each checkpoint is written to a temporary file, synced,
 * and renamed into place (an atomic step on POSIX file systems), then the directory is synced:
 * a crash leaves either the old checkpoint or the new one, never half of one.
 */
export class CheckpointStore {
  readonly directory: string;
  private readonly retain: number;

  constructor(directory: string, retain = 2) {
    if (!Number.isInteger(retain) || retain < 1) throw new ParamError('retain', retain, 'an integer >= 1');
    this.directory = directory;
    this.retain = retain;
  }

  private async ids(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .map((name) => FILE_PATTERN.exec(name))
      .filter((match) => match !== null)
      .map((match) => Number(match![1]))
      .sort((a, b) => a - b);
  }

  /** The latest completed checkpoint, or undefined when there is none. */
  async latest(): Promise<Checkpoint | undefined> {
    const ids = await this.ids();
    if (ids.length === 0) return undefined;
    const path = join(this.directory, fileName(ids[ids.length - 1]));
    const text = await readFile(path, 'utf8');
    try {
      return JSON.parse(text) as Checkpoint;
    } catch {
      // Renames are atomic, so a checkpoint file is complete unless someone edited it.
      throw new InputError('unreadable checkpoint', { file: path, expected: 'a JSON checkpoint' });
    }
  }

  /** Writes a checkpoint atomically and prunes old ones. */
  async write(checkpoint: Checkpoint): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const target = join(this.directory, fileName(checkpoint.id));
    const temporary = `${target}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify(checkpoint));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    await syncDirectory(this.directory);
    const ids = await this.ids();
    for (const id of ids.slice(0, Math.max(0, ids.length - this.retain))) {
      await rm(join(this.directory, fileName(id)), { force: true });
    }
    // A process killed while writing leaves a temporary file behind; it was never a checkpoint.
    for (const name of await readdir(this.directory)) {
      if (name.endsWith('.json.tmp')) await rm(join(this.directory, name), { force: true });
    }
  }

  /** Removes every checkpoint (a fresh start). */
  async clear(): Promise<void> {
    for (const id of await this.ids()) await rm(join(this.directory, fileName(id)), { force: true });
  }
}

/** Makes a rename in `directory` durable. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
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

  /** Starts a job: loads the checkpoint to resume from, or clears old ones for a fresh start. */
  static async start(options: CheckpointOptions | undefined, clock: () => number): Promise<JobContext> {
    if (options === undefined) return new JobContext(undefined, undefined, undefined, clock);
    const everyRecords = options.everyRecords ?? 10_000;
    if (!Number.isInteger(everyRecords) || everyRecords < 1) {
      throw new ParamError('everyRecords', everyRecords, 'an integer >= 1');
    }
    if (options.everyMs !== undefined && !(options.everyMs > 0)) {
      throw new ParamError('everyMs', options.everyMs, 'a positive number of milliseconds');
    }
    const store = new CheckpointStore(options.directory, options.retain);
    let restored: Checkpoint | undefined;
    if (options.resume) restored = await store.latest();
    else await store.clear();
    return new JobContext(store, restored, options, clock);
  }

  /** Whether checkpoints are taken at all. */
  get checkpointing(): boolean {
    return this.store !== undefined;
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

  now(): number {
    return this.clock();
  }

  /** A new barrier for a source position. */
  barrier(position: JsonValue, records: number): Barrier {
    return { id: this.nextId++, position, records, state: {} };
  }

  /** Writes the checkpoint of a barrier that has passed every operator and the sink. */
  async complete(barrier: Barrier): Promise<void> {
    if (this.store === undefined) return;
    await this.store.write({
      id: barrier.id,
      position: barrier.position,
      records: barrier.records,
      state: barrier.state,
      time: Date.now(),
    });
    this.completed++;
  }
}
