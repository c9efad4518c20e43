/**
 * The result of algorithms that label every vertex with another vertex (connected components
 * label each vertex with one member of its component; label propagation with a label that
 * started at some vertex): iterable as `[key, labelKey]`, looked up by key, grouped, and
 * turned into an Arrow table. Labels are kept as dense ids in an Int32Array.
 */
import type { Table } from 'apache-arrow';
import { tableFromColumns } from '../../src/core/arrow.js';
import type { VertexDictionary, VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { IterationOutcome } from './vertex-values.js';

/** Every vertex labelled with the key of a vertex (by dense id in {@link labels}). */
export class VertexLabels<K extends VertexKey = VertexKey> implements Iterable<[K, K]>, IterationOutcome {
  readonly dictionary: VertexDictionary<K>;
  /** `labels[v]` is the dense id of the vertex whose key labels `v`. */
  readonly labels: Int32Array;
  /** Column name of the labels in {@link toTable} (`component`, `label`, ...). */
  readonly name: string;
  readonly iterations: number;
  readonly converged: boolean;

  constructor(
    dictionary: VertexDictionary<K>,
    labels: Int32Array,
    name: string,
    outcome: IterationOutcome = { iterations: 0, converged: true },
  ) {
    this.dictionary = dictionary;
    this.labels = labels;
    this.name = name;
    this.iterations = outcome.iterations;
    this.converged = outcome.converged;
  }

  /** Number of vertices. */
  get size(): number {
    return this.labels.length;
  }

  /** The label (a vertex key) of the vertex with this key, or undefined when it is not a vertex. */
  get(key: K): K | undefined {
    const id = this.dictionary.id(key);
    return id < 0 ? undefined : this.dictionary.key(this.labels[id]);
  }

  *[Symbol.iterator](): Iterator<[K, K]> {
    for (let id = 0; id < this.labels.length; id++) {
      yield [this.dictionary.key(id), this.dictionary.key(this.labels[id])];
    }
  }

  /** Number of distinct labels (components, communities). */
  get labelCount(): number {
    const seen = new Uint8Array(this.labels.length);
    let count = 0;
    for (let v = 0; v < this.labels.length; v++) {
      if (seen[this.labels[v]] === 0) {
        seen[this.labels[v]] = 1;
        count++;
      }
    }
    return count;
  }

  /** The vertices grouped by label: label key → member keys (in dense-id order). */
  groups(): Map<K, K[]> {
    const groups = new Map<K, K[]>();
    for (const [key, label] of this) {
      let members = groups.get(label);
      if (members === undefined) groups.set(label, (members = []));
      members.push(key);
    }
    return groups;
  }

  /** The label keys, one per vertex by dense id (numbers or strings, as the keys are). */
  labelKeys(): K[] {
    return Array.from(this.labels, (id) => this.dictionary.key(id));
  }

  /** An Arrow table with columns `vertex` and {@link name}, both holding vertex keys. */
  toTable(): Table {
    return tableFromColumns({ vertex: this.dictionary.keys(), [this.name]: this.labelKeys() });
  }
}
