/**
 * A fitted decision tree as flat arrays, one entry per node (node 0 is the root): what every
 * tree model (a single tree, a forest, boosted trees) holds, predicts with, saves and prints.
 */
import { InputError, ParamError } from '../../../src/core/errors.js';

/** The arrays of a tree, one entry per node. */
export interface TreeNodes {
  /** The feature a node splits on; -1 for a leaf. */
  readonly feature: Int32Array;
  /** A continuous split sends a row left when `row[feature] <= threshold`. */
  readonly threshold: Float64Array;
  /** A categorical split sends a row left when `row[feature]` is one of these; `null` otherwise. */
  readonly categories: readonly (readonly number[] | null)[];
  /** The left child (the right one is the next node); -1 for a leaf. */
  readonly left: Int32Array;
  /** `valueWidth` values per node: class probabilities or one prediction. */
  readonly value: Float64Array;
  /** The node's impurity. */
  readonly impurity: Float64Array;
  /** The impurity decrease of a node's split (Spark's information gain); 0 for a leaf. */
  readonly gain: Float64Array;
  /** The training weight that reached the node. */
  readonly weight: Float64Array;
  /** The training rows that reached the node (with bootstrap multiplicities). */
  readonly count: Float64Array;
}

/** A tree as saved in a model's JSON. */
export interface TreeJSON {
  feature: number[];
  threshold: number[];
  categories: (number[] | null)[];
  left: number[];
  value: number[];
  impurity: number[];
  gain: number[];
  weight: number[];
  count: number[];
}

/** How {@link DecisionTree.dump} writes a node's value. */
export type ValueFormat = (value: Float64Array) => string;

/** A fitted tree: its nodes, how many values a node holds, and how many features a row has. */
export class DecisionTree {
  readonly nodes: TreeNodes;
  readonly valueWidth: number;
  readonly numFeatures: number;

  constructor(nodes: TreeNodes, valueWidth: number, numFeatures: number) {
    const n = nodes.feature.length;
    const lengths = [nodes.threshold, nodes.left, nodes.impurity, nodes.gain, nodes.weight, nodes.count];
    if (
      n === 0 ||
      lengths.some((array) => array.length !== n) ||
      nodes.categories.length !== n ||
      nodes.value.length !== n * valueWidth
    ) {
      throw new ParamError('nodes', `${n} nodes`, 'at least one node and arrays of one length');
    }
    for (let node = 0; node < n; node++) {
      const feature = nodes.feature[node];
      const left = nodes.left[node];
      const leaf = feature === -1 && left === -1;
      if (!leaf && (feature < 0 || feature >= numFeatures || left <= node || left + 1 >= n)) {
        throw new ParamError(
          'nodes',
          `node ${node}`,
          `a leaf or a split on a feature < ${numFeatures} with children after it`,
        );
      }
    }
    this.nodes = nodes;
    this.valueWidth = valueWidth;
    this.numFeatures = numFeatures;
  }

  /** The number of nodes. */
  get numNodes(): number {
    return this.nodes.feature.length;
  }

  /** The longest path from the root to a leaf, in splits (a lone root has depth 0). */
  get depth(): number {
    const depths = new Int32Array(this.numNodes);
    let deepest = 0;
    for (let node = 0; node < this.numNodes; node++) {
      const left = this.nodes.left[node];
      if (left < 0) continue;
      depths[left] = depths[left + 1] = depths[node] + 1;
      if (depths[left] > deepest) deepest = depths[left];
    }
    return deepest;
  }

  /** The leaf a row falls into. */
  leaf(row: ArrayLike<number>): number {
    const { feature, threshold, categories, left } = this.nodes;
    let node = 0;
    while (left[node] >= 0) {
      const value = row[feature[node]];
      const set = categories[node];
      const goLeft = set === null ? value <= threshold[node] : set.includes(value);
      node = goLeft ? left[node] : left[node] + 1;
    }
    return node;
  }

  /** The value of the leaf a row falls into (a view: copy it to keep it). */
  predictValue(row: ArrayLike<number>): Float64Array {
    if (row.length !== this.numFeatures) {
      throw new ParamError('row', `a row of ${row.length} values`, `${this.numFeatures} values`);
    }
    const at = this.leaf(row) * this.valueWidth;
    return this.nodes.value.subarray(at, at + this.valueWidth);
  }

  /** Adds each feature's importance (the weight-scaled gains of its splits) to `into`. */
  addImportances(into: Float64Array): void {
    const { feature, gain, weight } = this.nodes;
    for (let node = 0; node < this.numNodes; node++) {
      if (feature[node] >= 0) into[feature[node]] += gain[node] * weight[node];
    }
  }

  /** Feature importances scaled to sum to 1 (all 0 for a tree without splits). */
  featureImportances(): Float64Array {
    const importances = new Float64Array(this.numFeatures);
    this.addImportances(importances);
    return normalized(importances);
  }

  /**
   * The tree as text, one line per node: `if (f3 <= 0.5)` / `else (f3 > 0.5)` around the
   * children, `predict: ...` at the leaves. `names` replaces `f3` with a feature's name.
   */
  dump(format: ValueFormat, names?: readonly string[]): string {
    const lines: string[] = [];
    const name = (f: number) => names?.[f] ?? `f${f}`;
    const walk = (node: number, indent: string) => {
      const left = this.nodes.left[node];
      if (left < 0) {
        const at = node * this.valueWidth;
        lines.push(`${indent}predict: ${format(this.nodes.value.subarray(at, at + this.valueWidth))}`);
        return;
      }
      const f = name(this.nodes.feature[node]);
      const set = this.nodes.categories[node];
      const test = set === null ? `${f} <= ${this.nodes.threshold[node]}` : `${f} in {${set.join(', ')}}`;
      const negation =
        set === null ? `${f} > ${this.nodes.threshold[node]}` : `${f} not in {${set.join(', ')}}`;
      lines.push(`${indent}if (${test})`);
      walk(left, `${indent}  `);
      lines.push(`${indent}else (${negation})`);
      walk(left + 1, `${indent}  `);
    };
    walk(0, '');
    return lines.join('\n');
  }

  toJSON(): TreeJSON {
    const { nodes } = this;
    return {
      feature: Array.from(nodes.feature),
      threshold: Array.from(nodes.threshold),
      categories: nodes.categories.map((set) => (set === null ? null : [...set])),
      left: Array.from(nodes.left),
      value: Array.from(nodes.value),
      impurity: Array.from(nodes.impurity),
      gain: Array.from(nodes.gain),
      weight: Array.from(nodes.weight),
      count: Array.from(nodes.count),
    };
  }

  /** Reads a tree saved by {@link toJSON}, checking every field. */
  static fromJSON(json: unknown, valueWidth: number, numFeatures: number, source: string): DecisionTree {
    const bad = (field: string) =>
      new InputError(`tree field "${field}" is missing or malformed`, {
        file: source,
        expected: 'a tree saved by eddy',
      });
    if (json === null || typeof json !== 'object') throw bad('tree');
    const tree = json as Record<string, unknown>;
    const numbers = (field: keyof TreeJSON) => {
      const value = tree[field];
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v)))
        throw bad(field);
      return value as number[];
    };
    const categories = tree.categories;
    if (
      !Array.isArray(categories) ||
      !categories.every(
        (set) => set === null || (Array.isArray(set) && set.every((v) => Number.isInteger(v))),
      )
    ) {
      throw bad('categories');
    }
    try {
      return new DecisionTree(
        {
          feature: Int32Array.from(numbers('feature')),
          threshold: Float64Array.from(numbers('threshold')),
          categories: categories as (number[] | null)[],
          left: Int32Array.from(numbers('left')),
          value: Float64Array.from(numbers('value')),
          impurity: Float64Array.from(numbers('impurity')),
          gain: Float64Array.from(numbers('gain')),
          weight: Float64Array.from(numbers('weight')),
          count: Float64Array.from(numbers('count')),
        },
        valueWidth,
        numFeatures,
      );
    } catch (error) {
      if (error instanceof ParamError)
        throw new InputError(`malformed tree: ${error.message}`, { file: source });
      throw error;
    }
  }
}

/** `values` scaled in place to sum to 1 (left as they are when they sum to 0). */
export function normalized(values: Float64Array): Float64Array {
  let total = 0;
  for (const value of values) total += value;
  if (total > 0) for (let i = 0; i < values.length; i++) values[i] /= total;
  return values;
}
