/**
 * A value per vertex (a degree, a score, a component label), as returned by graph methods and
 * algorithms: iterable as `[key, value]` pairs, looked up by key, and written or turned into
 * an Arrow table with the keys exactly as read.
 */
import type { Table } from 'apache-arrow';
import { arrow } from '../core/arrow-module.js';
import { vertexKeyVector } from './arrow-writer.js';
import type { OutputTarget } from './byte-writer.js';
import type { VertexDictionary, VertexKey } from './vertex-dictionary.js';
import { type ValueColumn, type VertexTableWriteOptions, writeVertexTable } from './writers.js';

/** Values per dense vertex id: a typed array for numbers, an array otherwise. */
export type VertexValueArray<V> = Float64Array | Int32Array | V[];

/** One value per vertex of a graph (or per vertex of a subset, in `ids` order). */
export class VertexResult<K extends VertexKey, V> implements Iterable<[K, V]> {
  readonly dictionary: VertexDictionary<K>;
  /** Values by dense id (all vertices), or parallel to `ids` when this covers a subset. */
  readonly values: VertexValueArray<V>;
  /** The dense ids covered, when not all vertices are. */
  readonly ids: Int32Array | undefined;
  private positions: Int32Array | undefined;

  constructor(dictionary: VertexDictionary<K>, values: VertexValueArray<V>, ids?: Int32Array) {
    this.dictionary = dictionary;
    this.values = values;
    this.ids = ids;
  }

  /** Number of vertices with a value. */
  get size(): number {
    return this.ids === undefined ? this.dictionary.size : this.ids.length;
  }

  /** The value of the vertex with `key`, or undefined when it has none. */
  get(key: K): V | undefined {
    const id = this.dictionary.id(key);
    if (id < 0) return undefined;
    const position = this.position(id);
    return position < 0 ? undefined : (this.values[position] as V);
  }

  /** Whether the vertex with `key` has a value here. */
  has(key: K): boolean {
    const id = this.dictionary.id(key);
    return id >= 0 && this.position(id) >= 0;
  }

  *[Symbol.iterator](): Iterator<[K, V]> {
    for (let i = 0; i < this.size; i++) {
      yield [this.dictionary.key(this.ids === undefined ? i : this.ids[i]), this.values[i] as V];
    }
  }

  /** The pairs as a Map from key to value. */
  toMap(): Map<K, V> {
    return new Map(this);
  }

  /** An Arrow table: the key column (`vertex`) then the value column. */
  toTable(valueName = 'value', keyName = 'vertex'): Table {
    const ids = this.ids ?? Int32Array.from({ length: this.size }, (_, i) => i);
    const keyVector = vertexKeyVector(this.dictionary, ids);
    const values = ArrayBuffer.isView(this.values)
      ? arrow().makeVector(this.values)
      : arrow().vectorFromArray(this.values as unknown[]);
    return new (arrow().Table)({ [keyName]: keyVector, [valueName]: values });
  }

  /** Writes `key<TAB>value` lines (or CSV, or Arrow IPC by the file name). */
  async write(
    target: OutputTarget,
    options: VertexTableWriteOptions & { valueName?: string } = {},
  ): Promise<void> {
    let column: ValueColumn = this.values as ValueColumn;
    let order = options.order;
    if (this.ids !== undefined) {
      // Spread the subset over all vertices and write only the covered ones.
      const full: unknown[] = new Array(this.dictionary.size);
      this.ids.forEach((id, i) => {
        full[id] = this.values[i];
      });
      column = full as ValueColumn;
      order ??= this.ids;
    }
    await writeVertexTable(
      target,
      this.dictionary,
      { [options.valueName ?? 'value']: column },
      { ...options, order },
    );
  }

  private position(id: number): number {
    if (this.ids === undefined) return id < this.dictionary.size ? id : -1;
    if (this.positions === undefined) {
      this.positions = new Int32Array(this.dictionary.size).fill(-1);
      for (let i = 0; i < this.ids.length; i++) this.positions[this.ids[i]] = i;
    }
    return this.positions[id];
  }
}
