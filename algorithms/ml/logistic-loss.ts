/**
 * The log-loss pass of logistic regression as a `mapPartition` kernel of the DataSet engine:
 * each chunk of rows gives its part of the weighted mean log-loss and of its gradient at the
 * broadcast parameters; the parts are added in chunk order (logistic-regression.ts). Worker
 * threads load this module by itself.
 */
import type { DenseMatrix } from '../../src/core/matrix.js';
import { shared } from '../../src/core/shared-memory.js';
import type { RuntimeContext } from '../../src/dataset/context.js';
import { exported } from '../../src/dataset/functions.js';
import { MODEL_BROADCAST, rowChunks } from '../../src/dataset/model-iteration.js';

/** A chunk of training rows. */
export interface LabelledChunk {
  readonly chunk: number;
  readonly rows: number;
  readonly columns: number;
  /** The rows' features, row-major (a view of the whole matrix). */
  readonly data: Float64Array;
  /** The rows' class indices. */
  readonly labels: Int32Array;
  readonly weights: Float64Array;
}

/** The rows of a training set in chunks, in shared memory when `share` (for worker threads). */
export function labelledChunks(
  features: DenseMatrix,
  labels: Int32Array,
  weights: Float64Array,
  share: boolean,
): LabelledChunk[] {
  const d = features.columns;
  const data = share ? shared(features.data) : features.data;
  const classes = share ? shared(labels) : labels;
  const rowWeights = share ? shared(weights) : weights;
  return rowChunks(features.rows).map(([start, end], chunk) => ({
    chunk,
    rows: end - start,
    columns: d,
    data: data.subarray(start * d, end * d),
    labels: classes.subarray(start, end),
    weights: rowWeights.subarray(start, end),
  }));
}

/** What the kernel reads of the model: where to evaluate the loss. */
export interface LogLossBroadcast {
  /** Parameters per output row: `[coefficients (d) ..., intercept]`. */
  readonly x: Float64Array;
  /** 1 (binomial) or the number of classes. */
  readonly outputs: number;
  /** The sum of all rows' weights. */
  readonly totalWeight: number;
}

/** One chunk's part of the loss and of its gradient. */
export interface LogLossPartial {
  readonly chunk: number;
  readonly loss: number;
  readonly gradient: Float64Array;
}

/** The weighted mean log-loss (without penalty) of each chunk, and its gradient, at the broadcast parameters. */
export function logLossChunks(chunks: readonly LabelledChunk[], context: RuntimeContext): LogLossPartial[] {
  const { x, outputs, totalWeight } = context.broadcast<LogLossBroadcast>(MODEL_BROADCAST)[0];
  const margins = new Float64Array(outputs);
  const partials: LogLossPartial[] = [];
  for (const chunk of chunks) {
    const { rows: n, columns: d, data, labels, weights } = chunk;
    const stride = d + 1;
    const gradient = new Float64Array(x.length);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const offset = i * d;
      const w = weights[i] / totalWeight;
      if (w === 0) continue;
      let largest = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < outputs; c++) {
        let m = x[c * stride + d];
        for (let j = 0; j < d; j++) m += x[c * stride + j] * data[offset + j];
        margins[c] = m;
        if (m > largest) largest = m;
      }
      if (outputs === 1) {
        const m = margins[0];
        // log(1 + e^m) - y m, computed without overflow.
        loss += w * ((m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - labels[i] * m);
        margins[0] = w * (1 / (1 + Math.exp(-m)) - labels[i]);
      } else {
        let total = 0;
        for (let c = 0; c < outputs; c++) total += Math.exp(margins[c] - largest);
        const logTotal = largest + Math.log(total);
        loss += w * (logTotal - margins[labels[i]]);
        for (let c = 0; c < outputs; c++) {
          margins[c] = w * (Math.exp(margins[c] - logTotal) - (c === labels[i] ? 1 : 0));
        }
      }
      for (let c = 0; c < outputs; c++) {
        const residual = margins[c];
        if (residual === 0) continue;
        for (let j = 0; j < d; j++) gradient[c * stride + j] += residual * data[offset + j];
        gradient[c * stride + d] += residual;
      }
    }
    partials.push({ chunk: chunk.chunk, loss, gradient });
  }
  return partials;
}

/** The kernel as a function worker threads can load. */
export const logLossKernel = exported(logLossChunks, import.meta.url);
