/**
 * Sets of JetStream stream sequences, as the exactly-once consumers keep them: the sequences
 * whose effect is committed (in a shared model, or in a job's checkpoint), so that a
 * redelivered message is recognised and skipped. Sequences at or below the consumer's
 * acknowledgement floor are never delivered again, so a set is that floor plus the ranges above
 * it, and stays small however long the stream.
 */

/** A set of stream sequences: everything up to `floor`, and the ranges above it. */
export interface SequenceSet {
  /** Every sequence up to this one is in the set (or was never for this consumer). */
  floor: number;
  /** Sorted, disjoint ranges [first, last] of sequences above the floor that are in the set. */
  committed: [number, number][];
}

/** Whether `seq` is in the set. */
export function containsSequence(set: SequenceSet, seq: number): boolean {
  if (seq <= set.floor) return true;
  for (const [first, last] of set.committed) {
    if (seq < first) return false;
    if (seq <= last) return true;
  }
  return false;
}

/** `ranges` with the sorted sequences `seqs` added, merged into as few ranges as possible. */
export function addSequences(
  ranges: readonly [number, number][],
  seqs: readonly number[],
): [number, number][] {
  const all: [number, number][] = [...ranges.map(([a, b]) => [a, b] as [number, number])];
  for (const seq of seqs) all.push([seq, seq]);
  all.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const range of all) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

/**
 * The set with its floor raised to `floor` (the consumer's acknowledgement floor: nothing at or
 * below it comes again), the ranges below dropped and a first range right above it joined to it.
 */
export function raiseFloor<S extends SequenceSet>(set: S, floor: number): S {
  if (floor <= set.floor) return set;
  const committed = set.committed
    .filter(([, last]) => last > floor)
    .map(([first, last]) => [Math.max(first, floor + 1), last] as [number, number]);
  let newFloor = floor;
  while (committed.length > 0 && committed[0][0] === newFloor + 1) newFloor = committed.shift()![1];
  return { ...set, floor: newFloor, committed };
}
