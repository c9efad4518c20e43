/**
 * Moving records between partitions. Every function here keeps the global order of the
 * records it is given (partition 0 first, then partition 1...) within each output
 * partition, which is what makes results independent of how the input was split.
 */
import { type CompiledKey, canonicalKey, hashKey, keyOf } from '../keys.js';
import type { Partitions } from '../plan.js';

/** Splits `records` into `count` contiguous, nearly equal parts. */
export function splitEvenly<T>(records: readonly T[], count: number): T[][] {
  const parts: T[][] = [];
  const base = Math.floor(records.length / count);
  const extra = records.length % count;
  let start = 0;
  for (let part = 0; part < count; part++) {
    const end = start + base + (part < extra ? 1 : 0);
    parts.push(records.slice(start, end));
    start = end;
  }
  return parts;
}

/** Concatenates every partition, in order. */
export function flatten(partitions: Partitions): unknown[] {
  if (partitions.length === 1) return partitions[0];
  const all: unknown[] = [];
  for (const partition of partitions) for (const record of partition) all.push(record);
  return all;
}

/** The same records in `count` partitions, keeping their order (contiguous re-split). */
export function reshape(partitions: Partitions, count: number): Partitions {
  if (partitions.length === count) return partitions;
  return splitEvenly(flatten(partitions), count);
}

/** Records sent to the partition `hash(key) % count`; also returns each record's canonical key. */
export function partitionByKey(
  partitions: Partitions,
  key: CompiledKey,
  count: number,
  operator: string,
): { partitions: Partitions; keys: unknown[][] } {
  const out: Partitions = Array.from({ length: count }, () => []);
  const keys: unknown[][] = Array.from({ length: count }, () => []);
  for (const partition of partitions) {
    for (const record of partition) {
      const canonical = canonicalKey(keyOf(key, record, operator));
      const target = count === 1 ? 0 : hashKey(canonical) % count;
      out[target].push(record);
      keys[target].push(canonical);
    }
  }
  return { partitions: out, keys };
}

/** Groups one partition's records by canonical key, groups in order of first appearance. */
export function groupRecords(records: readonly unknown[], keys: readonly unknown[]): Map<unknown, unknown[]> {
  const groups = new Map<unknown, unknown[]>();
  for (let i = 0; i < records.length; i++) {
    const group = groups.get(keys[i]);
    if (group) group.push(records[i]);
    else groups.set(keys[i], [records[i]]);
  }
  return groups;
}

/** Whether every partition is empty. */
export function isEmpty(partitions: Partitions): boolean {
  return partitions.every((partition) => partition.length === 0);
}

/** Total number of records. */
export function countRecords(partitions: Partitions): number {
  let count = 0;
  for (const partition of partitions) count += partition.length;
  return count;
}
