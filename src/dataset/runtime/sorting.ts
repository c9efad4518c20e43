/** Stable sorting of records by one or more keys (sortPartition, sortGroup). */
import { type CompiledKey, compareKeys, keyOf } from '../keys.js';

/** Sort direction. */
export type Order = 'asc' | 'desc';

/** One sort key and its direction. */
export interface SortKey {
  readonly key: CompiledKey;
  readonly order: Order;
}

/** The records sorted by the keys (first key first); ties keep their input order. */
export function sortRecords(
  records: readonly unknown[],
  keys: readonly SortKey[],
  operator: string,
): unknown[] {
  const selected = records.map((record) => keys.map((sort) => keyOf(sort.key, record, operator)));
  const order = records.map((_, index) => index);
  order.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const compared = compareKeys(selected[a][k], selected[b][k]);
      if (compared !== 0) return keys[k].order === 'asc' ? compared : -compared;
    }
    return a - b;
  });
  return order.map((index) => records[index]);
}
