/**
 * The result of algorithms that label every vertex with another vertex (connected components
 * label each vertex with one member of its component; label propagation with a label that
 * started at some vertex): iterable as `[key, labelKey]`, looked up by key, grouped, and
 * turned into an Arrow table. Labels are kept as dense ids in an Int32Array.
 */
import type { Table } from 'apache-arrow';
import type { VertexDictionary, VertexKey } from '../../src/graph/vertex-dictionary.js';
import { VertexResult } from '../../src/graph/vertex-result.js';
import type { IterationOutcome } from './vertex-values.js';

/** Every vertex labelled with the key of a vertex: a {@link VertexResult} of keys. */
export class VertexLabels<K extends VertexKey = VertexKey>
  extends VertexResult<K, K>
  implements IterationOutcome
{
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
    super(dictionary, labelKeys(dictionary, labels));
    this.labels = labels;
    this.name = name;
    this.iterations = outcome.iterations;
    this.converged = outcome.converged;
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

  /** An Arrow table with columns `vertex` and the labels (named {@link name} by default). */
  override toTable(valueName = this.name, keyName = 'vertex'): Table {
    return super.toTable(valueName, keyName);
  }
}

/** The key of each label: a Float64Array for number keys, strings otherwise. */
function labelKeys<K extends VertexKey>(
  dictionary: VertexDictionary<K>,
  labels: Int32Array,
): Float64Array | K[] {
  const numbers = dictionary.numericKeys();
  if (numbers !== undefined) {
    // A plain loop: Float64Array.from with a function goes through an iterator (about 5x slower).
    const keys = new Float64Array(labels.length);
    for (let v = 0; v < labels.length; v++) keys[v] = numbers[labels[v]];
    return keys;
  }
  return Array.from(labels, (id) => dictionary.key(id));
}
