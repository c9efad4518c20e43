/**
 * What a tree measures at a node, from the sums of its rows' statistics (a histogram cell, a
 * node's total). Every layout starts with the row count (stat 0: bootstrap multiplicities add
 * up there); the rest depends on the task:
 * - classification: `[count, w_0, ..., w_{K-1}]`, the weight of each class;
 * - regression: `[count, w, w y, w y^2]`;
 * - boosting: `[count, w, w r]`: splits by the variance of the residuals r (as scikit-learn's
 *   GradientBoosting does); the nodes' variances and Newton-step values `sum w r / sum w h`
 *   come from `[count, w, w r, w r^2, w h]` summed over their rows after growth.
 */

/** A node impurity with the leaf value it implies. */
export interface Criterion {
  /** Statistics per row (the width of every histogram cell). */
  readonly width: number;
  /** Values per node: the class probabilities, or one prediction. */
  readonly valueWidth: number;
  /** The total weight of the rows summed at `stats[at ..]`. */
  weight(stats: Float64Array, at: number): number;
  /** Their impurity (0 for a pure node). */
  impurity(stats: Float64Array, at: number): number;
  /** Whether no split can improve them (every row the same class or value). */
  pure(stats: Float64Array, at: number): boolean;
  /** Writes the node's value to `out[outAt ..]`. */
  value(stats: Float64Array, at: number, out: Float64Array, outAt: number): void;
  /** Orders a categorical feature's categories for a split (by label mean or impurity). */
  categoryKey(stats: Float64Array, at: number): number;
  /** Gains up to this are rounding noise, not a split (absent: any gain counts). */
  noise?(stats: Float64Array, at: number): number;
}

/** The impurities of classification trees. */
export const CLASSIFICATION_IMPURITIES = ['gini', 'entropy'] as const;
export type ClassificationImpurity = (typeof CLASSIFICATION_IMPURITIES)[number];

/** Gini or entropy (in bits) over `classes` class weights. */
export function classificationCriterion(impurity: ClassificationImpurity, classes: number): Criterion {
  const weight = (stats: Float64Array, at: number) => {
    let total = 0;
    for (let c = 1; c <= classes; c++) total += stats[at + c];
    return total;
  };
  const measure =
    impurity === 'gini'
      ? (stats: Float64Array, at: number) => {
          const total = weight(stats, at);
          if (total <= 0) return 0;
          let sum = 0;
          for (let c = 1; c <= classes; c++) sum += (stats[at + c] / total) ** 2;
          return 1 - sum;
        }
      : (stats: Float64Array, at: number) => {
          const total = weight(stats, at);
          if (total <= 0) return 0;
          let sum = 0;
          for (let c = 1; c <= classes; c++) {
            const p = stats[at + c] / total;
            if (p > 0) sum -= p * Math.log2(p);
          }
          return sum;
        };
  return {
    width: classes + 1,
    valueWidth: classes,
    weight,
    impurity: measure,
    pure(stats, at) {
      let present = 0;
      for (let c = 1; c <= classes; c++) if (stats[at + c] > 0) present++;
      return present <= 1;
    },
    value(stats, at, out, outAt) {
      const total = weight(stats, at);
      for (let c = 0; c < classes; c++) out[outAt + c] = total > 0 ? stats[at + 1 + c] / total : 1 / classes;
    },
    // Two classes: by the share of class 1 (this order finds the best subset); more: by impurity (Spark).
    categoryKey:
      classes === 2 ? (stats, at) => stats[at + 2] / Math.max(weight(stats, at), Number.MIN_VALUE) : measure,
  };
}

/** The weighted variance of `[count, w, w y, w y^2, ...]`, never below 0. */
function variance(stats: Float64Array, at: number): number {
  const w = stats[at + 1];
  if (w <= 0) return 0;
  const mean = stats[at + 2] / w;
  return Math.max(0, stats[at + 3] / w - mean * mean);
}

/** Whether the variance is rounding error of the mean's square: every value the same. */
function constant(stats: Float64Array, at: number): boolean {
  const w = stats[at + 1];
  if (w <= 0) return true;
  const mean = stats[at + 2] / w;
  return variance(stats, at) <= 1e-12 * Math.max(1, mean * mean);
}

const mean = (stats: Float64Array, at: number) => (stats[at + 1] > 0 ? stats[at + 2] / stats[at + 1] : 0);

/** Variance of the label, the mean as the value (regression trees). */
export const varianceCriterion: Criterion = {
  width: 4,
  valueWidth: 1,
  weight: (stats, at) => stats[at + 1],
  impurity: variance,
  pure: constant,
  value(stats, at, out, outAt) {
    out[outAt] = mean(stats, at);
  },
  categoryKey: mean,
};

/**
 * The splits of gradient boosting's trees: the variance decrease of the residuals r (as
 * scikit-learn's GradientBoosting), from `[count, w, w r]` per row. That decrease needs no
 * `w r^2`: with S and W the sums of `w r` and `w`, it is `(S_l^2 / W_l + S_r^2 / W_r - S^2 / W) / W`
 * (scikit-learn's friedman_mse improvement), which is what an "impurity" of `-(S / W)^2` gives.
 * Three statistics a histogram cell instead of five make the histogram pass, most of boosting's
 * time, faster; the trees' true node variances and Newton leaf values are set from every row
 * once a tree is grown ({@link boostingNodeStatistics}).
 */
export const residualSplitCriterion: Criterion = {
  width: 3,
  valueWidth: 1,
  weight: (stats, at) => stats[at + 1],
  impurity: (stats, at) => -(mean(stats, at) ** 2),
  // Constant residuals cannot be seen without w r^2; such a node's best gain is rounding noise.
  pure: (stats, at) => !(stats[at + 1] > 0),
  noise: (stats, at) => 1e-12 * Math.max(1, mean(stats, at) ** 2),
  value(stats, at, out, outAt) {
    out[outAt] = mean(stats, at);
  },
  categoryKey: mean,
};

/** The width of {@link boostingNodeStatistics}' sums: `[count, w, w r, w r^2, w h]`. */
export const BOOSTING_NODE_WIDTH = 5;

/**
 * A boosting node's variance of the residuals and its Newton step `sum w r / sum w h` from its
 * rows' sums `[count, w, w r, w r^2, w h]` at `sums[at ..]`.
 */
export function boostingNodeStatistics(sums: Float64Array, at: number): { impurity: number; value: number } {
  const hessian = sums[at + 4];
  return { impurity: variance(sums, at), value: hessian > 0 ? sums[at + 2] / hessian : 0 };
}
