import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DENSE_GEMM_FUSED_WASM, DENSE_GEMM_WASM } from '../../../algorithms/ml/mlp/dense-gemm-module.js';
import {
  type DenseLayout,
  denseGradients,
  denseKernelVariant,
  denseOutputs,
  type GemmExports,
  GRADIENT_CHUNK_ROWS,
  weightCount,
} from '../../../algorithms/ml/mlp/dense-kernels.js';
import { ACTIVATIONS, buildDenseNetwork, setNetworkWeights } from '../../../algorithms/ml/mlp/network.js';
// @ts-expect-error: a build script in JavaScript, without declarations
import { compileDenseGemm, fuseMultiplyAdds } from '../../../scripts/dense-gemm-wasm.mjs';
import { random } from '../../../src/core/random.js';
import { loadTensorFlow, tensorflow } from '../../../src/core/tensorflow-module.js';

beforeAll(async () => {
  await loadTensorFlow();
});

/** Random weights, inputs and targets for a network of `sizes` (one-hot targets for `softmax`). */
function problem(sizes: number[], rows: number, loss: DenseLayout['loss']) {
  const rng = random(`${sizes.join('-')}${loss}`);
  const weights = Float32Array.from({ length: weightCount(sizes) }, () => rng.uniformIn(-0.5, 0.5));
  const inputs = Float32Array.from({ length: rows * sizes[0] }, () => rng.normal());
  const outputs = sizes[sizes.length - 1];
  const targets = new Float32Array(rows * outputs);
  for (let i = 0; i < rows; i++) {
    if (loss === 'softmax') targets[i * outputs + rng.integer(0, outputs)] = 1;
    else for (let c = 0; c < outputs; c++) targets[i * outputs + c] = rng.normal();
  }
  return { weights, inputs, targets };
}

/** The gradient TensorFlow.js's automatic differentiation finds for the same network and loss, flat. */
function autodiffGradient(
  layout: DenseLayout,
  weights: Float32Array,
  inputs: Float32Array,
  targets: Float32Array,
  rows: number,
) {
  const tf = tensorflow().core;
  const { sizes } = layout;
  const architecture = {
    inputs: sizes[0],
    hiddenLayers: sizes.slice(1, -1),
    outputs: sizes[sizes.length - 1],
    activation: layout.activation,
  };
  const network = buildDenseNetwork(architecture);
  const shapes = network.getWeights().map((w) => w.shape);
  let at = 0;
  setNetworkWeights(
    network,
    shapes.map((shape) => {
      const size = shape.reduce((a, b) => a * b, 1);
      at += size;
      return { shape, values: weights.slice(at - size, at) };
    }),
    'test',
  );
  const x = tf.tensor2d(inputs, [rows, sizes[0]]);
  const y = tf.tensor2d(targets, [rows, architecture.outputs]);
  const { value, grads } = tf.variableGrads(() => {
    const out = network.apply(x) as Tensor;
    return (
      layout.loss === 'softmax'
        ? tf.losses.softmaxCrossEntropy(y, out)
        : tf.mul(tf.losses.meanSquaredError(y, out), 0.5)
    ) as Scalar;
  });
  const flat = new Float32Array(weightCount(sizes));
  at = 0;
  for (const weight of network.trainableWeights) {
    const g = grads[(weight.read() as Variable).name].dataSync();
    flat.set(g, at);
    at += g.length;
  }
  return { loss: value.dataSync()[0], gradient: flat };
}

describe('the dense networks hand-written passes', () => {
  for (const activation of ACTIVATIONS) {
    for (const loss of ['softmax', 'squared'] as const) {
      it(`give the gradient and loss of automatic differentiation (${activation}, ${loss})`, () => {
        const sizes = loss === 'softmax' ? [5, 7, 6, 3] : [4, 9, 2];
        const layout: DenseLayout = { sizes, activation, loss, dropout: 0 };
        // Two chunks, the second one partial.
        const rows = GRADIENT_CHUNK_ROWS + 37;
        const { weights, inputs, targets } = problem(sizes, rows, loss);
        const count = weightCount(sizes);
        const gradients = new Float32Array(2 * count);
        // The mini-batch is every row, in order, gathered by the kernel.
        const batch = Int32Array.from({ length: rows }, (_, i) => i);
        let total = 0;
        for (const chunk of [0, 1]) {
          total += denseGradients(
            layout,
            weights,
            inputs,
            targets,
            batch,
            Int32Array.of(rows, 1),
            gradients,
            chunk,
          );
        }
        const expected = autodiffGradient(layout, weights, inputs, targets, rows);
        expect(total).toBeCloseTo(expected.loss, 5);
        for (let i = 0; i < count; i++) {
          expect(gradients[i] + gradients[count + i]).toBeCloseTo(expected.gradient[i], 5);
        }
      });
    }
  }

  it('give the outputs of the tfjs network of the same weights', () => {
    const tf = tensorflow().core;
    const sizes = [3, 8, 4];
    const layout: DenseLayout = { sizes, activation: 'tanh', loss: 'softmax', dropout: 0 };
    const { weights, inputs } = problem(sizes, 20, 'softmax');
    const network = buildDenseNetwork({ inputs: 3, hiddenLayers: [8], outputs: 4, activation: 'tanh' });
    setNetworkWeights(
      network,
      [
        { shape: [3, 8], values: weights.slice(0, 24) },
        { shape: [8], values: weights.slice(24, 32) },
        { shape: [8, 4], values: weights.slice(32, 64) },
        { shape: [4], values: weights.slice(64, 68) },
      ],
      'test',
    );
    const expected = (network.apply(tf.tensor2d(inputs, [20, 3])) as Tensor).dataSync();
    const outputs = denseOutputs(layout, weights, inputs, 20);
    expect(outputs).toHaveLength(80);
    for (let i = 0; i < 80; i++) expect(outputs[i]).toBeCloseTo(expected[i], 5);
  });

  it('run the WebAssembly that dense-gemm.wat compiles to (scripts/build-dense-gemm.mjs was run after the last edit)', async () => {
    const source = readFileSync(
      new URL('../../../algorithms/ml/mlp/dense-gemm.wat', import.meta.url),
      'utf8',
    );
    const { plain, fused } = await compileDenseGemm(source);
    expect(plain.toString('base64')).toBe(DENSE_GEMM_WASM);
    expect(fused.toString('base64')).toBe(DENSE_GEMM_FUSED_WASM);
    expect(() =>
      fuseMultiplyAdds(source.replace('f32x4.add (local.get $c00)', 'f32x4.sub (local.get $c00)')),
    ).toThrow(/fused 7 block and 1 row multiply-adds, expected 8 and 1/);
  });

  it('fuse multiply-adds in this Node (relaxed SIMD), with the plain kernel as EDDY_WASM_FMA=0 asks', () => {
    expect(denseKernelVariant()).toBe('fused');
    const script = `import('${new URL('../../../dist/algorithms/ml/mlp/dense-kernels.js', import.meta.url).href}').then((m) => console.log(m.denseKernelVariant()))`;
    const run = (fma: string | undefined) =>
      execFileSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, EDDY_WASM_FMA: fma },
      }).trim();
    expect(run('0')).toBe('plain');
    expect(run(undefined)).toBe('fused');
  });

  it('compute the same products with and without fused multiply-adds, to float32 rounding', () => {
    const wasm = (
      globalThis as unknown as {
        WebAssembly: {
          Module: new (bytes: Uint8Array) => object;
          Instance: new (module: object) => { exports: unknown };
        };
      }
    ).WebAssembly;
    const instances = [DENSE_GEMM_WASM, DENSE_GEMM_FUSED_WASM].map(
      (bytes) =>
        new wasm.Instance(new wasm.Module(Buffer.from(bytes, 'base64'))).exports as unknown as GemmExports,
    );
    const rng = random(3);
    const [rows, cols, inner] = [9, 13, 21];
    const a = Float32Array.from({ length: rows * inner }, () => rng.normal());
    const b = Float32Array.from({ length: inner * cols }, () => rng.normal());
    const products = instances.map(({ memory, gemm }) => {
      const floats = new Float32Array(memory.buffer);
      floats.set(a, 0);
      floats.set(b, a.length);
      const c = a.length + b.length;
      gemm(c * 4, 0, a.length * 4, rows, cols, inner, inner * 4, 4, 0);
      return floats.slice(c, c + rows * cols);
    });
    let differ = 0;
    for (let i = 0; i < rows * cols; i++) {
      let exact = 0;
      const [r, j] = [Math.floor(i / cols), i % cols];
      for (let q = 0; q < inner; q++) exact += a[r * inner + q] * b[q * cols + j];
      expect(products[0][i]).toBeCloseTo(exact, 4);
      expect(products[1][i]).toBeCloseTo(exact, 4);
      if (products[0][i] !== products[1][i]) differ++;
    }
    // Where the processor has FMA (x86-64 with FMA3) relaxed_madd fuses, and some sums round
    // differently; without it, V8 multiplies and adds, and the two kernels agree bit for bit.
    const fma = /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
    if (fma) expect(differ).toBeGreaterThan(0);
    else expect(differ).toBe(0);
  });
});
