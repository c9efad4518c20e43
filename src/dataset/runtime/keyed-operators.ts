/**
 * Evaluators of the operators that work by key: partitionByHash, distinct, the grouped
 * operators (reduce, reduceGroup, first, aggregate) and the binary ones (join, coGroup).
 * Records move to the partition `hash(key) % parallelism`, keeping their global order, so
 * groups and their contents come out the same at every parallelism.
 */
import { OperatorError } from '../errors.js';
import { callable, type GroupReduceFunction, type ReduceFunction, type UserFunction } from '../functions.js';
import { type CompiledKey, canonicalKey, keyOf } from '../keys.js';
import type { OperatorEvaluator, OperatorInput, OperatorRuntime, Partitions } from '../plan.js';
import { aggregateRecords, type FieldAggregation } from './basic-operators.js';
import { groupRecords, partitionByKey } from './partitioning.js';
import { type SortKey, sortRecords } from './sorting.js';

function failure(runtime: OperatorRuntime, error: unknown, record: unknown): OperatorError {
  if (error instanceof OperatorError) return error;
  return new OperatorError(runtime.operator, error instanceof Error ? error.message : String(error), {
    record,
    hasRecord: true,
    cause: error,
  });
}

/** Moves each record to the partition of its key's hash. */
export function partitionByHashEvaluator(key: CompiledKey): OperatorEvaluator {
  return ([input], runtime) =>
    partitionByKey(input.partitions, key, runtime.parallelism, runtime.operator).partitions;
}

/** Keeps the first record (in input order) of each key; without a key, of each distinct record. */
export function distinctEvaluator(key: CompiledKey): OperatorEvaluator {
  return ([input], runtime) => {
    const shuffled = partitionByKey(input.partitions, key, runtime.parallelism, runtime.operator);
    return shuffled.partitions.map((records, partition) => {
      const seen = new Set<unknown>();
      const keys = shuffled.keys[partition];
      const out: unknown[] = [];
      for (let i = 0; i < records.length; i++) {
        if (seen.has(keys[i])) continue;
        seen.add(keys[i]);
        out.push(records[i]);
      }
      return out;
    });
  };
}

/** The groups of each partition after shuffling by key, each sorted when sort keys are given. */
function groupsOf(
  input: OperatorInput,
  key: CompiledKey,
  runtime: OperatorRuntime,
  sort: readonly SortKey[],
) {
  const shuffled = partitionByKey(input.partitions, key, runtime.parallelism, runtime.operator);
  return shuffled.partitions.map((records, partition) => {
    const groups = [...groupRecords(records, shuffled.keys[partition]).values()];
    return sort.length > 0 ? groups.map((group) => sortRecords(group, sort, runtime.operator)) : groups;
  });
}

/** Grouped reduce: combines within each input partition first, then per group after the shuffle. */
export function groupReduceEvaluator(
  key: CompiledKey,
  fn: UserFunction<ReduceFunction<unknown>>,
): OperatorEvaluator {
  const reduce = callable(fn);
  return ([input], runtime) => {
    const combine = (records: readonly unknown[], keys: readonly unknown[], partition: number) => {
      const context = runtime.context(partition);
      const combined = new Map<unknown, unknown>();
      for (let i = 0; i < records.length; i++) {
        const held = combined.get(keys[i]);
        if (held === undefined && !combined.has(keys[i])) combined.set(keys[i], records[i]);
        else {
          try {
            combined.set(keys[i], reduce(held, records[i], context));
          } catch (error) {
            throw failure(runtime, error, records[i]);
          }
        }
      }
      return combined;
    };
    // Local combine: one record per key and input partition crosses the shuffle.
    const partials: Partitions = input.partitions.map((records, partition) => {
      const keys = records.map((record) => canonicalKey(keyOf(key, record, runtime.operator)));
      return [...combine(records, keys, partition).values()];
    });
    const shuffled = partitionByKey(partials, key, runtime.parallelism, runtime.operator);
    return shuffled.partitions.map((records, partition) => [
      ...combine(records, shuffled.keys[partition], partition).values(),
    ]);
  };
}

/** Grouped reduceGroup: the function sees each group (sorted if sortGroup was used). */
export function groupReduceGroupEvaluator(
  key: CompiledKey,
  sort: readonly SortKey[],
  fn: GroupReduceFunction<unknown, unknown>,
): OperatorEvaluator {
  return ([input], runtime) =>
    groupsOf(input, key, runtime, sort).map((groups, partition) => {
      const context = runtime.context(partition);
      const out: unknown[] = [];
      for (const group of groups) {
        try {
          for (const produced of fn(group, context)) out.push(produced);
        } catch (error) {
          throw failure(runtime, error, group[0]);
        }
      }
      return out;
    });
}

/** Grouped first(n): the first n records of each group (after sortGroup, if any). */
export function groupFirstEvaluator(
  key: CompiledKey,
  sort: readonly SortKey[],
  count: number,
): OperatorEvaluator {
  return ([input], runtime) =>
    groupsOf(input, key, runtime, sort).map((groups) => groups.flatMap((group) => group.slice(0, count)));
}

/** Grouped aggregate: sum/min/max of fields per group. */
export function groupAggregateEvaluator(
  key: CompiledKey,
  aggregations: readonly FieldAggregation[],
): OperatorEvaluator {
  return ([input], runtime) =>
    groupsOf(input, key, runtime, []).map((groups) =>
      groups.map((group) => aggregateRecords(group, aggregations, runtime.operator)),
    );
}

/** The kinds of join. */
export type JoinKind = 'inner' | 'leftOuter' | 'rightOuter' | 'fullOuter';

type JoinFunction = (left: unknown, right: unknown, context: never) => unknown;

/**
 * Hash join. Missing sides of outer joins are null. When one side is the solution set of
 * the running delta iteration (joined on its key), records are looked up in its index
 * instead of shuffling the whole solution set every superstep.
 */
export function joinEvaluator(
  kind: JoinKind,
  leftKey: CompiledKey,
  rightKey: CompiledKey,
  fn: JoinFunction | undefined,
): OperatorEvaluator {
  const emit = fn ?? ((left: unknown, right: unknown) => [left, right]);
  return ([left, right], runtime) => {
    const solutionSide = solutionLookupSide(left, right, leftKey, rightKey, kind);
    if (solutionSide === 'right' || solutionSide === 'left') {
      const probe = solutionSide === 'right' ? left : right;
      const probeKey = solutionSide === 'right' ? leftKey : rightKey;
      const index = (solutionSide === 'right' ? right : left).solution!;
      const keepUnmatched = kind !== 'inner';
      return probe.partitions.map((records, partition) => {
        const context = runtime.context(partition) as never;
        const out: unknown[] = [];
        for (const record of records) {
          const found = index.get(canonicalKey(keyOf(probeKey, record, runtime.operator))) ?? null;
          if (found === null && !keepUnmatched) continue;
          try {
            out.push(solutionSide === 'right' ? emit(record, found, context) : emit(found, record, context));
          } catch (error) {
            throw failure(runtime, error, record);
          }
        }
        return out;
      });
    }
    const lefts = partitionByKey(left.partitions, leftKey, runtime.parallelism, runtime.operator);
    const rights = partitionByKey(right.partitions, rightKey, runtime.parallelism, runtime.operator);
    return lefts.partitions.map((leftRecords, partition) => {
      const context = runtime.context(partition) as never;
      const rightRecords = rights.partitions[partition];
      const table = groupRecords(rightRecords, rights.keys[partition]);
      const matched = new Set<unknown>();
      const out: unknown[] = [];
      const call = (l: unknown, r: unknown) => {
        try {
          out.push(emit(l, r, context));
        } catch (error) {
          throw failure(runtime, error, [l, r]);
        }
      };
      const leftKeys = lefts.keys[partition];
      for (let i = 0; i < leftRecords.length; i++) {
        const candidates = table.get(leftKeys[i]);
        if (candidates) {
          matched.add(leftKeys[i]);
          for (const r of candidates) call(leftRecords[i], r);
        } else if (kind === 'leftOuter' || kind === 'fullOuter') call(leftRecords[i], null);
      }
      if (kind === 'rightOuter' || kind === 'fullOuter') {
        const rightKeys = rights.keys[partition];
        for (let i = 0; i < rightRecords.length; i++)
          if (!matched.has(rightKeys[i])) call(null, rightRecords[i]);
      }
      return out;
    });
  };
}

/** Which side, if any, can be served from a delta iteration's solution set index. */
function solutionLookupSide(
  left: OperatorInput,
  right: OperatorInput,
  leftKey: CompiledKey,
  rightKey: CompiledKey,
  kind: JoinKind | 'coGroup',
): 'left' | 'right' | undefined {
  const usable = (input: OperatorInput, key: CompiledKey) =>
    input.solution !== undefined &&
    (input.solution.key === key || input.solution.key.description === key.description);
  if (usable(right, rightKey) && (kind === 'inner' || kind === 'leftOuter' || kind === 'coGroup'))
    return 'right';
  if (usable(left, leftKey) && (kind === 'inner' || kind === 'rightOuter' || kind === 'coGroup'))
    return 'left';
  return undefined;
}

type CoGroupFunction = (
  left: readonly unknown[],
  right: readonly unknown[],
  context: never,
) => Iterable<unknown>;

/**
 * coGroup: for every key on either side, the function gets both groups (one may be empty).
 * With the solution set as one side, only the keys of the other side are visited, as in
 * Flink (the solution set is looked up, not scanned).
 */
export function coGroupEvaluator(
  leftKey: CompiledKey,
  rightKey: CompiledKey,
  fn: CoGroupFunction,
): OperatorEvaluator {
  return ([left, right], runtime) => {
    const solutionSide = solutionLookupSide(left, right, leftKey, rightKey, 'coGroup');
    const call = (out: unknown[], l: readonly unknown[], r: readonly unknown[], context: never) => {
      try {
        for (const produced of fn(l, r, context)) out.push(produced);
      } catch (error) {
        throw failure(runtime, error, l[0] ?? r[0]);
      }
    };
    if (solutionSide) {
      const probe = solutionSide === 'right' ? left : right;
      const probeKey = solutionSide === 'right' ? leftKey : rightKey;
      const index = (solutionSide === 'right' ? right : left).solution!;
      const shuffled = partitionByKey(probe.partitions, probeKey, runtime.parallelism, runtime.operator);
      return shuffled.partitions.map((records, partition) => {
        const context = runtime.context(partition) as never;
        const out: unknown[] = [];
        for (const [canonical, group] of groupRecords(records, shuffled.keys[partition])) {
          const found = index.get(canonical);
          const solutionGroup = found === undefined ? [] : [found];
          if (solutionSide === 'right') call(out, group, solutionGroup, context);
          else call(out, solutionGroup, group, context);
        }
        return out;
      });
    }
    const lefts = partitionByKey(left.partitions, leftKey, runtime.parallelism, runtime.operator);
    const rights = partitionByKey(right.partitions, rightKey, runtime.parallelism, runtime.operator);
    return lefts.partitions.map((leftRecords, partition) => {
      const context = runtime.context(partition) as never;
      const leftGroups = groupRecords(leftRecords, lefts.keys[partition]);
      const rightGroups = groupRecords(rights.partitions[partition], rights.keys[partition]);
      const out: unknown[] = [];
      for (const [canonical, group] of leftGroups)
        call(out, group, rightGroups.get(canonical) ?? [], context);
      for (const [canonical, group] of rightGroups)
        if (!leftGroups.has(canonical)) call(out, [], group, context);
      return out;
    });
  };
}
