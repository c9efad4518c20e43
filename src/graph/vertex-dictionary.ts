/**
 * The vertex dictionary: vertex keys as the user wrote them (numbers or strings) mapped once to
 * dense ids `0 .. size - 1`, which is what the CSR and every vertex-value array are indexed by.
 *
 * Numbering rule, the same for every way a graph is built: number keys are numbered in
 * ascending order (so the smallest key has id 0, which makes "minimum id" rules mean "minimum
 * key"); string keys in the order they first appear. A graph never mixes the two: an edge-list
 * file whose ids are not all canonical integers is read with string keys throughout.
 */
import { ParamError } from '../core/errors.js';
import { int32Array } from '../core/shared-memory.js';
import { runChunks } from '../core/threads/driver.js';
import { MAX_SEGMENT_BYTES } from '../core/threads/transfer.js';
import { type EdgePassThreads, edgePassChunks } from './edge-pass-threads.js';
import { integerKeyPass, MARK, RENUMBER } from './integer-key-kernels.js';

/** A vertex key: an integer (or any finite number) or an arbitrary string. */
export type VertexKey = number | string;

/** Above this many slots per key, mapping integer keys goes through a sort instead of a table. */
const DIRECT_TABLE_SLACK = 4;
const DIRECT_TABLE_MINIMUM = 1 << 22;

/** Dense ids for vertex keys, and back. Immutable. */
export class VertexDictionary<K extends VertexKey = VertexKey> {
  /** `'number'` or `'string'`: the type of every key. */
  readonly kind: 'number' | 'string';
  private readonly numberKeys: Float64Array | undefined;
  private readonly stringKeys: readonly string[] | undefined;
  private stringIndex: Map<string, number> | undefined;
  /**
   * Number keys in another order than ascending (a reordered graph): the ids by ascending
   * key, made on the first lookup; undefined when the ids already are in that order.
   */
  private numberOrder: Int32Array | undefined;
  private readonly inOrder: boolean;

  private constructor(
    numberKeys: Float64Array | undefined,
    stringKeys: readonly string[] | undefined,
    index?: Map<string, number>,
    ascending = true,
  ) {
    this.kind = numberKeys !== undefined ? 'number' : 'string';
    this.numberKeys = numberKeys;
    this.stringKeys = stringKeys;
    this.stringIndex = index;
    this.inOrder = ascending;
  }

  /**
   * Distinct number keys in the order given, not ascending: the dictionary of a reordered
   * graph (its minimum-id rules then follow that order). Not copied; distinctness is checked
   * on the first lookup by key.
   */
  static fromNumbersInOrder(keys: Float64Array): VertexDictionary<number> {
    let ascending = true;
    for (let i = 1; ascending && i < keys.length; i++) ascending = keys[i] > keys[i - 1];
    return new VertexDictionary<number>(keys, undefined, undefined, ascending);
  }

  /** Whether number keys are numbered in ascending order (the rule, unless reordered); true for strings. */
  get ascending(): boolean {
    return this.inOrder;
  }

  /** A dictionary of number keys, which must be sorted ascending without duplicates (not copied). */
  static fromSortedNumbers(keys: Float64Array): VertexDictionary<number> {
    for (let i = 1; i < keys.length; i++) {
      if (!(keys[i] > keys[i - 1])) {
        throw new ParamError('keys', `${keys[i - 1]} before ${keys[i]}`, 'keys sorted ascending, distinct');
      }
    }
    return new VertexDictionary<number>(keys, undefined);
  }

  /** A dictionary of string keys in the given order, which must be distinct. */
  static fromStrings(keys: readonly string[], index?: Map<string, number>): VertexDictionary<string> {
    let map = index;
    if (map === undefined) {
      map = new Map();
      for (let i = 0; i < keys.length; i++) {
        if (map.has(keys[i])) throw new ParamError('keys', keys[i], 'distinct vertex keys');
        map.set(keys[i], i);
      }
    }
    return new VertexDictionary<string>(undefined, keys, map);
  }

  /**
   * A dictionary of every distinct key in `keys`, numbered by the rule above (numbers
   * ascending, strings by first appearance). Mixing numbers and strings is an error.
   */
  static fromKeys(keys: Iterable<number>): VertexDictionary<number>;
  static fromKeys(keys: Iterable<string>): VertexDictionary<string>;
  static fromKeys<K extends VertexKey>(keys: Iterable<K>): VertexDictionary<K>;
  static fromKeys<K extends VertexKey>(keys: Iterable<K>): VertexDictionary<K> {
    const numbers: number[] = [];
    const strings: string[] = [];
    const seen = new Map<string, number>();
    for (const key of keys) {
      if (typeof key === 'number') {
        if (!Number.isFinite(key)) throw new ParamError('vertex key', key, 'a finite number or a string');
        numbers.push(key);
      } else if (typeof key === 'string') {
        if (!seen.has(key)) {
          seen.set(key, strings.length);
          strings.push(key);
        }
      } else {
        throw new ParamError('vertex key', key, 'a number or a string');
      }
      if (numbers.length > 0 && strings.length > 0) {
        throw new ParamError('vertex keys', 'numbers mixed with strings', 'all numbers or all strings');
      }
    }
    if (strings.length > 0) return VertexDictionary.fromStrings(strings, seen) as VertexDictionary<K>;
    return VertexDictionary.fromSortedNumbers(
      sortedDistinct(Float64Array.from(numbers)),
    ) as VertexDictionary<K>;
  }

  /** Number of vertices. */
  get size(): number {
    return this.numberKeys !== undefined ? this.numberKeys.length : this.stringKeys!.length;
  }

  /** The key of dense id `id`. */
  key(id: number): K {
    return (this.numberKeys !== undefined ? this.numberKeys[id] : this.stringKeys![id]) as K;
  }

  /** The key of `id` as text, exactly as it was read from an edge list. */
  keyText(id: number): string {
    return this.numberKeys !== undefined ? String(this.numberKeys[id]) : this.stringKeys![id];
  }

  /** The dense id of `key`, or -1 when it is not a vertex. */
  id(key: K): number {
    if (this.numberKeys !== undefined) {
      if (typeof key !== 'number') return -1;
      const keys = this.numberKeys;
      const order = this.inOrder ? undefined : this.ascendingIds();
      let low = 0;
      let high = keys.length - 1;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        const value = keys[order === undefined ? middle : order[middle]];
        if (value < key) low = middle + 1;
        else if (value > key) high = middle - 1;
        else return order === undefined ? middle : order[middle];
      }
      return -1;
    }
    if (typeof key !== 'string') return -1;
    return this.index().get(key) ?? -1;
  }

  /** Whether `key` is a vertex. */
  has(key: K): boolean {
    return this.id(key) >= 0;
  }

  /** Every key, by dense id. */
  keys(): K[] {
    return (this.numberKeys !== undefined ? Array.from(this.numberKeys) : [...this.stringKeys!]) as K[];
  }

  /** The number keys as a typed array (by dense id), or undefined for string keys. Not a copy. */
  numericKeys(): Float64Array | undefined {
    return this.numberKeys;
  }

  /** The ids by ascending key (reordered number keys), checked for distinct keys. */
  private ascendingIds(): Int32Array {
    if (this.numberOrder === undefined) {
      const keys = this.numberKeys!;
      const order = Int32Array.from({ length: keys.length }, (_, i) => i).sort((a, b) => keys[a] - keys[b]);
      for (let i = 1; i < order.length; i++) {
        if (keys[order[i]] === keys[order[i - 1]])
          throw new ParamError('keys', keys[order[i]], 'distinct vertex keys');
      }
      this.numberOrder = order;
    }
    return this.numberOrder;
  }

  private index(): Map<string, number> {
    if (this.stringIndex === undefined) {
      this.stringIndex = new Map(this.stringKeys!.map((key, i) => [key, i]));
    }
    return this.stringIndex;
  }
}

/** Sorts `values` in place and returns the prefix of distinct values (a view). */
function sortedDistinct<T extends Float64Array | Int32Array>(values: T): T {
  values.sort();
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (i === 0 || values[i] !== values[count - 1]) values[count++] = values[i];
  }
  return values.subarray(0, count) as T;
}

/** Whether keys up to `maxKey` of `edgeCount` edges are dense enough for a direct table. */
function directTable(maxKey: number, edgeCount: number): boolean {
  return maxKey + 1 <= Math.max(DIRECT_TABLE_MINIMUM, DIRECT_TABLE_SLACK * 2 * edgeCount);
}

/** Numbers the keys marked in `table` (1: present) by ascending key, in place (id + 1); returns the keys by id. */
function numberTable(table: Int32Array): Float64Array {
  let count = 0;
  for (let key = 0; key < table.length; key++) if (table[key] !== 0) table[key] = ++count;
  const keys = new Float64Array(count);
  for (let key = 0; key < table.length; key++) if (table[key] !== 0) keys[table[key] - 1] = key;
  return keys;
}

/**
 * Numbers the vertices of an edge list whose keys are non-negative 31-bit integers and
 * rewrites `sources` and `targets` in place from keys to dense ids (ascending key order).
 * `maxKey` is the largest key present (the reader tracks it). When keys are dense enough a
 * direct table does it in two linear passes; sparse keys go through a sort.
 */
export function numberIntegerKeys(
  sources: Int32Array,
  targets: Int32Array,
  maxKey: number,
): VertexDictionary<number> {
  const edgeCount = sources.length;
  if (edgeCount === 0) return VertexDictionary.fromSortedNumbers(new Float64Array(0));
  if (directTable(maxKey, edgeCount)) {
    const table = new Int32Array(maxKey + 1);
    integerKeyPass(sources, targets, table, MARK, 1, 0);
    const keys = numberTable(table);
    integerKeyPass(sources, targets, table, RENUMBER, 1, 0);
    return VertexDictionary.fromSortedNumbers(keys);
  }
  const all = new Int32Array(2 * edgeCount);
  all.set(sources, 0);
  all.set(targets, edgeCount);
  const distinct = sortedDistinct(all);
  const search = (key: number): number => {
    let low = 0;
    let high = distinct.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (distinct[middle] < key) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  for (let e = 0; e < edgeCount; e++) {
    sources[e] = search(sources[e]);
    targets[e] = search(targets[e]);
  }
  return VertexDictionary.fromSortedNumbers(Float64Array.from(distinct));
}

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const keyKernels = new URL(
  `./integer-key-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * {@link numberIntegerKeys} with its two passes over the edges on the core driver's threads
 * (equal ranges of the edges; the table between them is numbered on this thread): the same
 * dictionary and ids. Edges in shared memory with a direct table take this way; any other input
 * is numbered on this thread.
 */
export async function numberIntegerKeysOnThreads(
  sources: Int32Array,
  targets: Int32Array,
  maxKey: number,
  threads: EdgePassThreads,
): Promise<VertexDictionary<number>> {
  const edgeCount = sources.length;
  const chunks = edgePassChunks(edgeCount, threads);
  // A worker gets the whole buffer under a view (the reader's arrays have room to grow).
  const shared = (array: Int32Array) =>
    array.buffer instanceof SharedArrayBuffer && array.buffer.byteLength <= MAX_SEGMENT_BYTES;
  if (
    chunks < 2 ||
    !shared(sources) ||
    !shared(targets) ||
    !directTable(maxKey, edgeCount) ||
    4 * (maxKey + 1) > MAX_SEGMENT_BYTES
  ) {
    return numberIntegerKeys(sources, targets, maxKey);
  }
  const table = int32Array(maxKey + 1, true);
  const pass = { module: keyKernels, exportName: 'integerKeyPass', local: integerKeyPass };
  await runChunks(pass, [sources, targets, table, MARK, chunks], chunks, threads);
  const keys = numberTable(table);
  await runChunks(pass, [sources, targets, table, RENUMBER, chunks], chunks, threads);
  return VertexDictionary.fromSortedNumbers(keys);
}
