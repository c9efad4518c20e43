import { describe, expect, it } from 'vitest';
import { OnlineLogisticRegression } from '../../../algorithms/ml/online-logistic-regression.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';

/** Labels drawn from a logistic model with weights [2, -3, 0, 0] and intercept 0.5. */
function sample(rows: number, seed: number) {
  const rng = random(seed);
  const x = new DenseMatrix(rows, 4);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 4; j++) x.set(i, j, rng.normal());
    const margin = 0.5 + 2 * x.get(i, 0) - 3 * x.get(i, 1);
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
  }
  return { x, y };
}

function train(params: ConstructorParameters<typeof OnlineLogisticRegression>[0], rows = 20_000) {
  const { x, y } = sample(rows, 1);
  const model = new OnlineLogisticRegression(params);
  for (let start = 0; start < rows; start += 50)
    model.partialFit(x.sliceRows(start, start + 50), y.subarray(start, start + 50));
  return model;
}

describe('OnlineLogisticRegression (FTRL-Proximal)', () => {
  it('follows the FTRL update by hand on one step', () => {
    const model = new OnlineLogisticRegression({ alpha: 0.5, beta: 1, fitIntercept: false });
    model.partialFit(DenseMatrix.fromRows([[2]]), [1]);
    // w = 0, p = 0.5, g = (0.5 - 1)·2 = -1, σ = (√1 - 0)/0.5 = 2, z = -1, n = 1, w = 1 / ((1 + 1)/0.5) = 0.25.
    expect(Array.from(model.coefficients)).toEqual([0.25]);
  });

  it('learns the generating model well enough to predict held-out points', () => {
    const model = train({ alpha: 0.5, beta: 1 });
    const [a, b, c, d] = model.coefficients;
    expect(Math.abs(a - 2)).toBeLessThan(0.3);
    expect(Math.abs(b + 3)).toBeLessThan(0.3);
    expect(Math.abs(model.intercept - 0.5)).toBeLessThan(0.15);
    expect(Math.abs(c) + Math.abs(d)).toBeLessThan(0.3);
    const test = sample(5000, 2);
    const predictions = model.predict(test.x);
    let correct = 0;
    for (let i = 0; i < 5000; i++) if (predictions[i] === test.y[i]) correct++;
    // The Bayes rate for this model is about 0.86.
    expect(correct / 5000).toBeGreaterThan(0.83);
  });

  it('with an L1 penalty, the irrelevant weights are exactly zero', () => {
    // z sums one mean gradient per batch, so λ1 is on the scale of the number of batches.
    const model = train({ alpha: 0.5, beta: 1, reg: 2, elasticNet: 1 });
    const [a, b, c, d] = model.coefficients;
    expect([c, d]).toEqual([0, 0]);
    expect(a).toBeGreaterThan(1.5);
    expect(b).toBeLessThan(-2.5);
  });

  it('restores its state exactly and rejects bad labels', () => {
    const { x, y } = sample(200, 3);
    const first = new OnlineLogisticRegression().partialFit(x.sliceRows(0, 100), y.subarray(0, 100));
    const second = new OnlineLogisticRegression();
    second.restoreState(JSON.parse(JSON.stringify(first.snapshotState())));
    first.partialFit(x.sliceRows(100, 200), y.subarray(100, 200));
    second.partialFit(x.sliceRows(100, 200), y.subarray(100, 200));
    expect(second.toJSON()).toEqual(first.toJSON());
    expect(() => first.partialFit(x.sliceRows(0, 1), [2])).toThrow(/0 or 1/);
    expect(() => new OnlineLogisticRegression({ elasticNet: 2 })).toThrow(/elasticNet/);
  });
});
