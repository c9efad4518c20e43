/**
 * What flows between the operators of a DataStream: batches of records (with their event
 * times when the stream has them), watermarks and checkpoint barriers. Records travel in
 * batches so that the engine's cost is paid per batch, not per record.
 */
import { ParamError } from '../core/errors.js';

/** A value that survives `JSON.stringify` / `JSON.parse` unchanged: what state and positions are made of. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A checkpoint barrier. The source emits one after a batch; every stateful operator that it
 * passes adds its state under its uid, and when it reaches the sink the checkpoint is written.
 * Because operators pull one event at a time, the state they add reflects exactly the records
 * before the barrier.
 */
export interface Barrier {
  /** Checkpoint number, counting from 1 within a job (continued across resumes). */
  readonly id: number;
  /** Where the source resumes: after the last record before this barrier. */
  readonly position: JsonValue;
  /** Records read from the source up to the barrier. */
  readonly records: number;
  /** State of each stateful operator and sink, by uid, filled in as the barrier passes. */
  readonly state: Record<string, JsonValue>;
  /**
   * Where each source whose barrier this is resumes, by the source's slot in the job: a job
   * that reads several sources (union, connect) has every source emit the barrier of a
   * checkpoint, and the barriers are joined where the streams meet.
   */
  readonly sources: Record<number, SourcePosition>;
}

/** Where one source of a job resumes, and how many records it had read by then. */
export interface SourcePosition {
  position: JsonValue;
  records: number;
}

/**
 * Joins into `into` the barrier of the same checkpoint that came along another path (from
 * another source): its sources' positions and the state its operators saved.
 */
export function joinBarrier(into: Barrier, other: Barrier): void {
  if (into === other) return;
  for (const uid of Object.keys(other.state)) saveState(into, uid, other.state[uid]);
  Object.assign(into.sources, other.sources);
}

/** One event of a stream of `T`. */
export type StreamEvent<T> =
  | {
      readonly kind: 'records';
      readonly records: readonly T[];
      /** Event time (milliseconds) of each record, when the stream has event time. */
      readonly timestamps?: Float64Array;
    }
  | { readonly kind: 'watermark'; readonly time: number }
  | { readonly kind: 'barrier'; readonly barrier: Barrier };

/** Something whose state is saved in checkpoints and restored on resume. */
export interface Stateful {
  /** The state now, as JSON. */
  snapshotState(): JsonValue;
  /** Puts back a state that {@link snapshotState} returned. */
  restoreState(state: JsonValue): void;
}

/** Collects the output of a process function. */
export interface Collector<T> {
  collect(value: T): void;
}

/** A deep copy of a JSON value: state snapshots must not change when the operator goes on. */
export function copyJson<V extends JsonValue>(value: V): V {
  return JSON.parse(JSON.stringify(value)) as V;
}

/**
 * Puts an operator's or sink's state into a barrier. Two operators with the same uid would
 * overwrite each other's state (branches of one stream have the same default uids at the same
 * depth): that is refused, naming the uid.
 */
export function saveState(barrier: Barrier, uid: string, state: JsonValue): void {
  if (uid in barrier.state) {
    throw new ParamError(
      'uid',
      uid,
      'a uid of its own for every stateful operator and sink (give one in its options)',
    );
  }
  barrier.state[uid] = state;
}
