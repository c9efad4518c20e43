/**
 * The fitted models of the tree family, on one representation: a list of trees and how their
 * leaves combine. One tree and a forest average their leaf values (class probabilities, or
 * predictions); boosting adds `init + sum of weight * leaf` (a log-odds for classification).
 */
import { InputError, ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { type ClassLabel, extractFeatures } from '../../../src/ml/data.js';
import {
  type FluentParams,
  type ParamSpecs,
  type ParamValues,
  paramsFromJSON,
} from '../../../src/ml/params.js';
import { checkStageJSON } from '../../../src/ml/persistence.js';
import { Transformer } from '../../../src/ml/stage.js';
import type { Table } from '../../../src/table/table.js';
import type { TableColumn } from '../../../src/table/typed-columns.js';
import { treeClassificationModelParams, treeModelParams } from './params.js';
import { DecisionTree, normalized } from './tree.js';

/** Trees and how they combine. */
export interface Ensemble {
  readonly trees: readonly DecisionTree[];
  /** Boosting: the starting score and each tree's weight; absent for trees that are averaged. */
  readonly boosting?: { readonly init: number; readonly weights: Float64Array };
}

type ModelSpecs = typeof treeModelParams;
type ClassificationSpecs = typeof treeClassificationModelParams;

/** What every tree model shares: its trees, their sizes, importances and text. */
export abstract class TreeModel<S extends ParamSpecs> extends Transformer<S> {
  readonly trees: readonly DecisionTree[];
  readonly boosting?: { readonly init: number; readonly weights: Float64Array };

  constructor(specs: S, ensemble: Ensemble, params: Partial<ParamValues<S>>) {
    super(specs, params);
    const { trees, boosting } = ensemble;
    if (trees.length === 0) throw new ParamError('trees', 'no trees', 'at least one tree');
    if (trees.some((tree) => tree.numFeatures !== trees[0].numFeatures)) {
      throw new ParamError('trees', 'trees of different widths', 'trees over the same features');
    }
    if (boosting !== undefined && boosting.weights.length !== trees.length) {
      throw new ParamError(
        'boosting.weights',
        `${boosting.weights.length} weights`,
        `${trees.length}, one per tree`,
      );
    }
    this.trees = trees;
    this.boosting = boosting;
  }

  /** The number of features a row has. */
  get numFeatures(): number {
    return this.trees[0].numFeatures;
  }

  /** The depth of the deepest tree. */
  get depth(): number {
    return Math.max(...this.trees.map((tree) => tree.depth));
  }

  /** The nodes of all trees together. */
  get numNodes(): number {
    return this.trees.reduce((total, tree) => total + tree.numNodes, 0);
  }

  /**
   * Feature importances (Spark's and scikit-learn's): each tree's weight-scaled impurity
   * decreases per feature, scaled to sum to 1, averaged over the trees, scaled to sum to 1.
   */
  featureImportances(): Float64Array {
    const total = new Float64Array(this.numFeatures);
    for (const tree of this.trees) {
      const importances = tree.featureImportances();
      for (let f = 0; f < total.length; f++) total[f] += importances[f];
    }
    return normalized(total);
  }

  /**
   * The trees as text (`if (f3 <= 0.5)` ...). `names` names the features; by default the
   * model's feature columns when they are a list (`f0`, `f1`, ... for one vector column).
   */
  toDebugString(names?: readonly string[]): string {
    if (names === undefined) {
      const columns = this.get('featuresCol') as string | readonly string[];
      if (Array.isArray(columns)) names = columns;
    }
    const format = (value: Float64Array) => this.formatValue(value);
    if (this.trees.length === 1 && this.boosting === undefined) return this.trees[0].dump(format, names);
    return this.trees
      .map((tree, t) => {
        const weight = this.boosting === undefined ? '' : ` (weight ${this.boosting.weights[t]})`;
        return `tree ${t}${weight}:\n${tree
          .dump(format, names)
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n')}`;
      })
      .join('\n');
  }

  /** How a leaf value is written in {@link toDebugString}. */
  protected abstract formatValue(value: Float64Array): string;

  protected checkRow(row: ArrayLike<number>): void {
    if (row.length !== this.numFeatures) {
      throw new ParamError('row', `a row of ${row.length} values`, `${this.numFeatures} values`);
    }
  }

  /** The boosted score `init + sum weight * leaf` of a row. */
  protected boostedScore(row: ArrayLike<number>): number {
    const { init, weights } = this.boosting!;
    let score = init;
    for (let t = 0; t < this.trees.length; t++) score += weights[t] * this.trees[t].predictValue(row)[0];
    return score;
  }

  /** The feature matrix of a frame, as wide as the model's rows. */
  protected features(frame: Table): DenseMatrix {
    const { matrix } = extractFeatures(frame, this.get('featuresCol') as string | readonly string[], [
      this.get('predictionCol') as string,
    ]);
    if (matrix.columns !== this.numFeatures) {
      throw new ParamError('data', `${matrix.columns} features`, `${this.numFeatures} like the model`);
    }
    return matrix;
  }

  protected ensembleJSON(): Record<string, unknown> {
    return {
      trees: this.trees.map((tree) => tree.toJSON()),
      numFeatures: this.numFeatures,
      ...(this.boosting === undefined
        ? {}
        : { init: this.boosting.init, treeWeights: Array.from(this.boosting.weights) }),
    };
  }
}

/** Flink ML's fluent getters and setters (`getFeaturesCol()`, ...), defined at run time by WithParams. */
export interface TreeClassificationModel extends FluentParams<ClassificationSpecs, TreeClassificationModel> {}

/** A fitted tree classifier: class probabilities per row, the most probable class as the prediction. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export abstract class TreeClassificationModel extends TreeModel<ClassificationSpecs> {
  /** The class labels as written in the training data, sorted. */
  readonly classes: readonly ClassLabel[];

  constructor(
    ensemble: Ensemble,
    classes: readonly ClassLabel[],
    params: Partial<ParamValues<ClassificationSpecs>> = {},
  ) {
    super(treeClassificationModelParams, ensemble, params);
    const width = ensemble.boosting === undefined ? classes.length : 1;
    if (classes.length < 2 || ensemble.trees.some((tree) => tree.valueWidth !== width)) {
      throw new ParamError(
        'classes',
        `${classes.length} classes`,
        `two or more, and trees with ${width} values a leaf`,
      );
    }
    if (ensemble.boosting !== undefined && classes.length !== 2) {
      throw new ParamError('classes', `${classes.length} classes`, 'two classes for boosted trees');
    }
    this.classes = classes;
  }

  /** The probability of each class, in the order of {@link classes}. */
  predictProbabilities(row: ArrayLike<number>): Float64Array {
    this.checkRow(row);
    if (this.boosting !== undefined) {
      const p = 1 / (1 + Math.exp(-this.boostedScore(row)));
      return Float64Array.of(1 - p, p);
    }
    const probabilities = new Float64Array(this.classes.length);
    for (const tree of this.trees) {
      const value = tree.predictValue(row);
      for (let c = 0; c < probabilities.length; c++) probabilities[c] += value[c];
    }
    for (let c = 0; c < probabilities.length; c++) probabilities[c] /= this.trees.length;
    return probabilities;
  }

  /** The most probable class (the first of equally probable ones). */
  predict(row: ArrayLike<number>): ClassLabel {
    return this.classes[mostProbable(this.predictProbabilities(row))];
  }

  transformTable(frame: Table): Table {
    const matrix = this.features(frame);
    const k = this.classes.length;
    const probability = new DenseMatrix(matrix.rows, k);
    const labels: ClassLabel[] = new Array(matrix.rows);
    for (let i = 0; i < matrix.rows; i++) {
      const p = this.predictProbabilities(matrix.row(i));
      probability.data.set(p, i * k);
      labels[i] = this.classes[mostProbable(p)];
    }
    const prediction: TableColumn =
      typeof this.classes[0] === 'string'
        ? { kind: 'string', values: labels as string[] }
        : { kind: 'number', values: Float64Array.from(labels as number[]) };
    const result = frame.withTypedColumn(this.get('predictionCol'), prediction);
    return result.withTypedColumn(this.get('probabilityCol'), { kind: 'vector', values: probability });
  }

  protected formatValue(value: Float64Array): string {
    if (this.boosting !== undefined) return String(value[0]);
    const best = mostProbable(value);
    return `${this.classes[best]} (${Number(value[best].toPrecision(4))})`;
  }

  protected stateJSON(): Record<string, unknown> {
    return { classes: [...this.classes], ...this.ensembleJSON() };
  }
}

/** Flink ML's fluent getters and setters, defined at run time by WithParams. */
export interface TreeRegressionModel extends FluentParams<ModelSpecs, TreeRegressionModel> {}

/** A fitted tree regressor. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export abstract class TreeRegressionModel extends TreeModel<ModelSpecs> {
  constructor(ensemble: Ensemble, params: Partial<ParamValues<ModelSpecs>> = {}) {
    super(treeModelParams, ensemble, params);
    if (ensemble.trees.some((tree) => tree.valueWidth !== 1)) {
      throw new ParamError('trees', 'trees with several values a leaf', 'one value a leaf');
    }
  }

  /** The predicted value of a row. */
  predict(row: ArrayLike<number>): number {
    this.checkRow(row);
    if (this.boosting !== undefined) return this.boostedScore(row);
    let sum = 0;
    for (const tree of this.trees) sum += tree.predictValue(row)[0];
    return sum / this.trees.length;
  }

  transformTable(frame: Table): Table {
    const matrix = this.features(frame);
    const values = Float64Array.from({ length: matrix.rows }, (_, i) => this.predict(matrix.row(i)));
    return frame.withTypedColumn(this.get('predictionCol'), { kind: 'number', values });
  }

  protected formatValue(value: Float64Array): string {
    return String(value[0]);
  }

  protected stateJSON(): Record<string, unknown> {
    return this.ensembleJSON();
  }
}

function mostProbable(probabilities: Float64Array): number {
  let best = 0;
  for (let c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[best]) best = c;
  return best;
}

/** The parts of a saved tree model: its parameters, trees, boosting and classes. */
export interface SavedTreeModel<S extends ParamSpecs> {
  readonly params: ParamValues<S>;
  readonly ensemble: Ensemble;
  readonly classes: ClassLabel[];
}

/** Reads a saved tree model of `type` (classes when `classification`), checking every field. */
export function readTreeModel<S extends ParamSpecs>(
  json: unknown,
  source: string,
  type: string,
  specs: S,
  classification: boolean,
): SavedTreeModel<S> {
  const stage = checkStageJSON(json, source, type);
  const params = paramsFromJSON(specs, stage.params, type).getAll();
  const bad = (field: string, expected: string) =>
    new InputError(`'${type}' model field "${field}" is missing or malformed`, { file: source, expected });
  const classes = stage.classes;
  if (
    classification &&
    !(
      Array.isArray(classes) &&
      (classes.every((c) => typeof c === 'number') || classes.every((c) => typeof c === 'string'))
    )
  ) {
    throw bad('classes', 'a list of class labels');
  }
  const numFeatures = stage.numFeatures;
  if (!Number.isInteger(numFeatures) || (numFeatures as number) < 1)
    throw bad('numFeatures', 'an integer >= 1');
  if (!Array.isArray(stage.trees) || stage.trees.length === 0)
    throw bad('trees', 'a non-empty list of trees');
  const boosted = stage.treeWeights !== undefined;
  const valueWidth = classification && !boosted ? (classes as unknown[]).length : 1;
  const trees = stage.trees.map((tree) =>
    DecisionTree.fromJSON(tree, valueWidth, numFeatures as number, source),
  );
  let boosting: Ensemble['boosting'];
  if (boosted) {
    const weights: unknown[] = Array.isArray(stage.treeWeights) ? stage.treeWeights : [];
    if (
      typeof stage.init !== 'number' ||
      !weights.every((w) => typeof w === 'number' && Number.isFinite(w))
    ) {
      throw bad('treeWeights', 'numbers, with a number "init"');
    }
    if (weights.length !== trees.length) throw bad('treeWeights', `${trees.length} weights, one per tree`);
    boosting = { init: stage.init, weights: Float64Array.from(weights as number[]) };
  }
  return { params, ensemble: { trees, boosting }, classes: (classes ?? []) as ClassLabel[] };
}
