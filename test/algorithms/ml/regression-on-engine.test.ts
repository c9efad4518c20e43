import { describe, expect, it } from 'vitest';
import { LinearRegression } from '../../../algorithms/ml/linear-regression.js';
import { LogisticRegression } from '../../../algorithms/ml/logistic-regression.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';
import { CHUNK_ROWS } from '../../../src/dataset/model-iteration.js';

/** Rows enough for three chunks (the last one partial), a linear target and three classes. */
function dataset(seed: number) {
  const rng = random(seed);
  const n = 2 * CHUNK_ROWS + 777;
  const d = 4;
  const features = new DenseMatrix(n, d);
  const target = new Float64Array(n);
  const classes: string[] = [];
  const binary: number[] = [];
  for (let i = 0; i < n; i++) {
    let value = 3;
    for (let j = 0; j < d; j++) {
      const x = rng.normal(0, 1 + j);
      features.set(i, j, x);
      value += (j - 1.5) * x;
    }
    target[i] = value + rng.normal(0, 0.5);
    classes.push(value + rng.normal(0, 2) < 0 ? 'low' : value < 6 ? 'middle' : 'high');
    binary.push(value + rng.normal(0, 2) > 3 ? 1 : 0);
  }
  return { features, target, rows: features.toRows(), classes, binary };
}

const data = dataset(3);

/** The model as JSON text: equal texts are equal doubles, bit for bit. */
async function fitted(estimator: { fit(data: unknown): Promise<{ toJSON(): unknown }> }, input: unknown) {
  return JSON.stringify((await estimator.fit(input)).toJSON());
}

describe('LinearRegression on the DataSet engine', () => {
  const input = { features: data.rows, labels: Array.from(data.target) };
  for (const options of [
    { solver: 'qr' as const },
    { solver: 'coordinate-descent' as const, reg: 0.1, elasticNet: 0.5 },
    { solver: 'sgd' as const, reg: 0.01, learningRate: 0.02, maxIterations: 30 },
  ]) {
    it(`${options.solver}: the same model, bit for bit, at parallelism 1, 2 and 3, and as fitMatrix`, async () => {
      const models = [];
      for (const parallelism of [1, 2, 3])
        models.push(await fitted(new LinearRegression({ ...options, parallelism }), input));
      expect(models[1]).toBe(models[0]);
      expect(models[2]).toBe(models[0]);
      const here = new LinearRegression(options).fitMatrix(data.features, data.target);
      const model = JSON.parse(models[0]);
      expect(model.coefficients).toEqual(Array.from(here.coefficients));
      expect(model.intercept).toBe(here.intercept);
      // The relation is recovered (noise aside).
      if (options.solver === 'qr')
        expect(model.coefficients.map((c: number) => Math.round(c * 10) / 10)).toEqual([
          -1.5, -0.5, 0.5, 1.5,
        ]);
    });
  }

  it('shows its plan: a bulk iteration whose mapPartition kernel reads the broadcast model', async () => {
    const [plan] = await new LinearRegression({ parallelism: 2 }).explainFit(input);
    expect(plan).toMatch(/bulk iteration 'linear regression' begins \(maxIterations 1\)/);
    expect(plan).toMatch(/fromCollection\(3 records\) '3 row chunks' {2}\[parallelism 2\]/);
    expect(plan).toMatch(
      /mapPartition 'rFactorChunks' <- #\d+ {2}\[parallelism 2, broadcast 'model' <- #\d+\]/,
    );
    expect(plan).toMatch(
      /reduceGroup 'combine in chunk order' <- #\d+ {2}\[parallelism 1, broadcast 'model' <- #\d+\]/,
    );
    const [sgd] = await new LinearRegression({ solver: 'sgd', maxIterations: 2, parallelism: 3 }).explainFit(
      input,
    );
    expect(sgd).toMatch(
      /mapPartition 'squaredLossChunks' <- #\d+ {2}\[parallelism 3, broadcast 'model' <- #\d+\]/,
    );
  });
});

describe('LogisticRegression on the DataSet engine', () => {
  for (const [name, labels, options] of [
    ['binomial, L2 (L-BFGS)', data.binary, { reg: 0.01 }],
    ['multinomial, elastic net (FISTA)', data.classes, { reg: 0.01, elasticNet: 0.5, maxIterations: 40 }],
    ['multinomial without intercepts', data.classes, { fitIntercept: false, maxIterations: 40 }],
  ] as const) {
    it(`${name}: the same model, bit for bit, at parallelism 1, 2 and 3, and as fitMatrix`, async () => {
      const input = { features: data.rows, labels: [...labels] };
      const models = [];
      for (const parallelism of [1, 2, 3])
        models.push(await fitted(new LogisticRegression({ ...options, parallelism }), input));
      expect(models[1]).toBe(models[0]);
      expect(models[2]).toBe(models[0]);
      const model = JSON.parse(models[0]);
      const classes: (string | number)[] = model.classes;
      const indices = Int32Array.from(labels as readonly (string | number)[], (label) =>
        classes.indexOf(label),
      );
      const here = new LogisticRegression(options).fitMatrix(data.features, indices, classes.length);
      expect(model.coefficients).toEqual(here.coefficients.toRows());
      expect(model.intercepts).toEqual(Array.from(here.intercepts));
    });
  }

  it('shows its plan: a bulk iteration whose mapPartition kernel reads the broadcast parameters', async () => {
    const [plan] = await new LogisticRegression({ parallelism: 3, maxIterations: 5 }).explainFit({
      features: data.rows,
      labels: data.binary,
    });
    expect(plan).toMatch(/bulk iteration 'logistic regression' begins \(maxIterations 306\)/);
    expect(plan).toMatch(/#\d+ partial solution 'logistic regression' {2}\[parallelism 1\]/);
    expect(plan).toMatch(
      /mapPartition 'logLossChunks' <- #\d+ {2}\[parallelism 3, broadcast 'model' <- #\d+\]/,
    );
    expect(plan).toMatch(
      /reduceGroup 'combine in chunk order' <- #\d+ {2}\[parallelism 1, broadcast 'model' <- #\d+\]/,
    );
    expect(plan).toMatch(
      /bulk iteration 'logistic regression' ends \(next #\d+, terminates when #\d+ is empty\)/,
    );
  });
});
