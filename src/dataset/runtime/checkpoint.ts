/**
 * Iteration checkpoints: the state between two supersteps kept in core's checkpoint store, so
 * that a run that died part-way resumes from the last complete superstep. A checkpoint is named
 * by a fingerprint of the iteration's plan (operators and their functions' source), of its
 * initial input and of every other input its step reads (joined or broadcast data sets): a
 * changed program or changed data never resumes from stale state, and a corrupt checkpoint is
 * refused with its file named.
 */
import {
  CheckpointStore,
  contentHash,
  parseValuePayload,
  valuePayload,
} from '../../core/checkpoint-store.js';
import { InputError, ParamError } from '../../core/errors.js';
import { type CheckpointOptions, dependencies, type PlanNode } from '../plan.js';

/** The state saved after a superstep. */
export interface CheckpointState {
  /** The last complete superstep. */
  superstep: number;
  previousAggregates: [string, unknown][];
  /** Bulk iteration: the partial solution. */
  partitions?: unknown[][];
  /** Delta iteration: the solution set's records and the workset. */
  solution?: unknown[];
  workset?: unknown[][];
}

/**
 * A fingerprint of an iteration's plan, the data of its inputs (the initial ones and every
 * other data set its step reads) and the user's tag.
 */
export function iterationFingerprint(
  iteration: PlanNode,
  inputs: readonly unknown[][][],
  tag: string,
): string {
  const lines: string[] = [`tag:${tag}`];
  const order = new Map<PlanNode, number>();
  const visit = (node: PlanNode) => {
    if (order.has(node)) return;
    order.set(node, order.size);
    for (const input of dependencies(node)) visit(input);
    const reads = dependencies(node).map((input) => order.get(input));
    lines.push(`${node.kind}|${node.signature}|${node.parallelism}|${reads.join(',')}`);
  };
  visit(iteration);
  return contentHash(lines.join('\n'), inputs).slice(0, 24);
}

/** Reads and writes one iteration's checkpoint. */
export class IterationCheckpoint {
  readonly every: number;
  private readonly store: CheckpointStore;
  private lastId = 0;

  private constructor(store: CheckpointStore, every: number) {
    this.store = store;
    this.every = every;
  }

  /** Opens the checkpoint of the iteration with this fingerprint (creating the directory). */
  static async open(options: CheckpointOptions, fingerprint: string): Promise<IterationCheckpoint> {
    const every = options.every ?? 1;
    if (!Number.isInteger(every) || every < 1)
      throw new ParamError('checkpoint.every', every, 'an integer >= 1');
    const store = new CheckpointStore({
      directory: options.dir,
      kind: 'dataset-iteration',
      fingerprint: { 'plan and inputs': fingerprint },
      name: `iteration-${fingerprint}`,
      retain: 1,
    });
    await store.prepare();
    return new IterationCheckpoint(store, every);
  }

  /** The saved state (verified), or undefined when there is none. */
  async load(): Promise<CheckpointState | undefined> {
    const stored = await this.store.latest();
    if (stored === undefined) return undefined;
    this.lastId = stored.id;
    const state = parseValuePayload(stored) as CheckpointState | null;
    if (state === null || typeof state !== 'object' || !Number.isSafeInteger(state.superstep)) {
      throw new InputError('refused checkpoint: not the state of an iteration', { file: stored.path });
    }
    return state;
  }

  /** Saves the state atomically: a crash while writing leaves the previous checkpoint intact. */
  save(state: CheckpointState): Promise<void> {
    return this.store.write(++this.lastId, valuePayload(state));
  }

  /** Removes the checkpoint once the iteration has finished. */
  clear(): Promise<void> {
    return this.store.clear();
  }
}
