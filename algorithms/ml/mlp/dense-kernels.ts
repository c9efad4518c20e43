/**
 * The ready-made networks' forward and backward pass, on typed arrays with the matrix products
 * in a WebAssembly SIMD kernel of eddy's own (dense-gemm.wat; worker threads load this module,
 * so it only defines functions). Not on TensorFlow.js ops: for the small products of a
 * mini-batch chunk (128 x 64 by 64 x 128), tfjs's per-op costs (tensor creation, dispatch, the
 * backend repacking each new kernel operand, reading results back) were about half of an epoch,
 * and a worker had to start TensorFlow.js before its first chunk (bench/RESULTS.md). The same
 * kernel runs on every thread and sums every value in a fixed order, so a chunk's gradient is
 * the same bytes wherever it runs.
 *
 * Weights are one flat float32 array: per layer, the kernel (inputs x units, row-major) and then
 * the bias, in the order of a tfjs dense network's `getWeights()`.
 */
import { setFlagsFromString } from 'node:v8';
import { random } from '../../../src/core/random.js';
import { compileBase64, type WasmMemory, webAssembly } from '../../../src/core/webassembly.js';
import { DENSE_GEMM_FUSED_WASM, DENSE_GEMM_WASM } from './dense-gemm-module.js';
import type { Activation } from './network.js';

/** A dense network as its kernels see it. */
export interface DenseLayout {
  /** Widths: the inputs, each hidden layer, the outputs. */
  readonly sizes: readonly number[];
  readonly activation: Activation;
  /** `softmax`: cross-entropy over softmax outputs (classes); `squared`: half the mean squared error. */
  readonly loss: 'softmax' | 'squared';
  /** The share of hidden units dropped in training. */
  readonly dropout: number;
}

/** Rows of a mini-batch that one gradient chunk covers: fixed, so that results do not depend on the threads. */
export const GRADIENT_CHUNK_ROWS = 128;

/** Rows that one block of {@link denseOutputs} runs through the network. */
const OUTPUT_BLOCK_ROWS = 1024;

/** Where layer `layer`'s kernel starts in the flat weights (its bias follows it). */
export function kernelOffset(sizes: readonly number[], layer: number): number {
  let at = 0;
  for (let l = 0; l < layer; l++) at += (sizes[l] + 1) * sizes[l + 1];
  return at;
}

/** The number of weights of a network of `sizes`. */
export function weightCount(sizes: readonly number[]): number {
  return kernelOffset(sizes, sizes.length - 1);
}

/**
 * Which kernel this process runs: `fused` (the inner loops' multiply-adds as relaxed SIMD's
 * `relaxed_madd`, one FMA instruction on processors that have it: about 10% less CPU per MLP
 * epoch, bench/RESULTS.md) when this Node can compile it, else `plain`. Node 20 has relaxed
 * SIMD behind a V8 flag, which is set here before the first compile; it only adds that
 * instruction set, and it is process-wide, so every worker thread makes the same choice and a
 * model's bits do not depend on the parallelism. A fused multiply-add rounds once where the
 * plain kernel rounds twice, so weights differ in their last bits between the two (and between
 * machines with and without FMA): `EDDY_WASM_FMA=0` keeps the plain kernel everywhere.
 */
export function denseKernelVariant(): 'fused' | 'plain' {
  if (variant === undefined) {
    const fused = Buffer.from(DENSE_GEMM_FUSED_WASM, 'base64');
    if (process.env.EDDY_WASM_FMA === '0') variant = 'plain';
    else if (webAssembly.validate(fused)) variant = 'fused';
    else {
      setFlagsFromString('--experimental-wasm-relaxed-simd');
      variant = webAssembly.validate(fused) ? 'fused' : 'plain';
    }
  }
  return variant;
}

let variant: 'fused' | 'plain' | undefined;

/** dense-gemm.wat's exports (offsets and strides in bytes). */
export interface GemmExports {
  readonly memory: WasmMemory;
  gemm(
    c: number,
    a: number,
    b: number,
    rows: number,
    cols: number,
    inner: number,
    aRow: number,
    aInner: number,
    add: number,
  ): void;
  fillRows(c: number, bias: number, rows: number, cols: number): void;
  relu(x: number, count: number): void;
  reluBack(d: number, a: number, count: number): void;
  transpose(c: number, a: number, rows: number, cols: number): void;
  update(
    w: number,
    m: number,
    v: number,
    g: number,
    chunks: number,
    stride: number,
    flags: number,
    count: number,
    decay: number,
    rate: number,
    adam: number,
  ): number;
}

/** This thread's instance of the kernel and a float view of its memory (renewed when it grows). */
interface Kernel {
  readonly exports: GemmExports;
  floats: Float32Array;
}

let instance: Kernel | undefined;

/** The kernel with memory for at least `floats` values. */
function kernel(floats: number): Kernel {
  if (instance === undefined) {
    const bytes = denseKernelVariant() === 'fused' ? DENSE_GEMM_FUSED_WASM : DENSE_GEMM_WASM;
    const exports = new webAssembly.Instance(compileBase64(bytes)).exports as GemmExports;
    instance = { exports, floats: new Float32Array(exports.memory.buffer) };
  }
  const bytes = floats * Float32Array.BYTES_PER_ELEMENT;
  const { memory } = instance.exports;
  if (memory.buffer.byteLength < bytes) {
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    instance.floats = new Float32Array(memory.buffer);
  }
  return instance;
}

/**
 * Where a pass keeps its values in the kernel's memory (float offsets) for `rows` rows: the
 * weights, each layer's input (`inputs[0]`: the rows; with dropout, a hidden layer's input is
 * its dropped activations), each layer's output (`outputs[last]`: the network's outputs), the
 * dropout masks, two buffers of deltas, a transposed kernel, the gradient, and a 1.
 */
interface Workspace {
  readonly weights: number;
  readonly inputs: number[];
  readonly outputs: number[];
  readonly masks: number[];
  readonly delta: number;
  readonly back: number;
  readonly transposed: number;
  readonly gradient: number;
  readonly one: number;
  readonly end: number;
}

function workspace(layout: DenseLayout, rows: number, backward: boolean): Workspace {
  const { sizes, dropout } = layout;
  const last = sizes.length - 2;
  let end = 0;
  const take = (count: number) => {
    end += count;
    return end - count;
  };
  const weights = take(weightCount(sizes));
  const inputs = [take(rows * sizes[0])];
  const outputs: number[] = [];
  const masks: number[] = [];
  for (let l = 0; l <= last; l++) {
    outputs.push(take(rows * sizes[l + 1]));
    if (l === last) break;
    const dropped = backward && dropout > 0;
    masks.push(dropped ? take(rows * sizes[l + 1]) : -1);
    inputs.push(dropped ? take(rows * sizes[l + 1]) : outputs[l]);
  }
  const widest = Math.max(...sizes);
  if (!backward) {
    return {
      weights,
      inputs,
      outputs,
      masks,
      delta: -1,
      back: -1,
      transposed: -1,
      gradient: -1,
      one: -1,
      end,
    };
  }
  const delta = take(rows * widest);
  const back = take(rows * widest);
  let largestKernel = 0;
  for (let l = 0; l <= last; l++) largestKernel = Math.max(largestKernel, sizes[l] * sizes[l + 1]);
  const transposed = take(largestKernel);
  const gradient = take(weightCount(sizes));
  const one = take(1);
  return { weights, inputs, outputs, masks, delta, back, transposed, gradient, one, end };
}

/** Applies the activation to `count` values at `at`, in place (ReLU in the kernel's SIMD). */
function activate(k: Kernel, at: number, count: number, activation: Activation): void {
  const f = k.floats;
  const end = at + count;
  switch (activation) {
    case 'relu':
      k.exports.relu(4 * at, count);
      return;
    case 'tanh':
      for (let i = at; i < end; i++) f[i] = Math.tanh(f[i]);
      return;
    case 'sigmoid':
      for (let i = at; i < end; i++) f[i] = 1 / (1 + Math.exp(-f[i]));
      return;
    case 'elu':
      for (let i = at; i < end; i++) if (f[i] < 0) f[i] = Math.expm1(f[i]);
      return;
    case 'linear':
      return;
  }
}

/** Multiplies `count` deltas at `at` by the activation's derivative, from its outputs at `outputs`. */
function backActivation(k: Kernel, at: number, outputs: number, count: number, activation: Activation): void {
  const f = k.floats;
  switch (activation) {
    case 'relu':
      k.exports.reluBack(4 * at, 4 * outputs, count);
      return;
    case 'tanh':
      for (let i = 0; i < count; i++) f[at + i] *= 1 - f[outputs + i] * f[outputs + i];
      return;
    case 'sigmoid':
      for (let i = 0; i < count; i++) f[at + i] *= f[outputs + i] * (1 - f[outputs + i]);
      return;
    case 'elu':
      for (let i = 0; i < count; i++) if (!(f[outputs + i] > 0)) f[at + i] *= f[outputs + i] + 1;
      return;
    case 'linear':
      return;
  }
}

/**
 * The forward pass of `rows` rows already at `space.inputs[0]`, with the weights at
 * `space.weights`; with `dropSeed`, hidden units are dropped (inverted dropout, masks kept).
 */
function forward(
  k: Kernel,
  layout: DenseLayout,
  space: Workspace,
  rows: number,
  dropSeed: string | undefined,
): void {
  const { sizes, activation, dropout } = layout;
  const last = sizes.length - 2;
  for (let l = 0; l <= last; l++) {
    const f = k.floats;
    const width = sizes[l];
    const units = sizes[l + 1];
    const kernelAt = space.weights + kernelOffset(sizes, l);
    const biasAt = kernelAt + width * units;
    const out = space.outputs[l];
    k.exports.fillRows(4 * out, 4 * biasAt, rows, units);
    k.exports.gemm(4 * out, 4 * space.inputs[l], 4 * kernelAt, rows, units, width, 4 * width, 4, 1);
    if (l === last) break;
    activate(k, out, rows * units, activation);
    if (dropSeed !== undefined && dropout > 0) {
      const rng = random(`${dropSeed}\u0000${l}`);
      const mask = space.masks[l];
      const dropped = space.inputs[l + 1];
      const keep = 1 / (1 - dropout);
      for (let i = 0; i < rows * units; i++) {
        f[mask + i] = rng.uniform() < dropout ? 0 : keep;
        f[dropped + i] = f[out + i] * f[mask + i];
      }
    }
  }
}

/** The network's outputs (logits for classes) for `rows` rows of `values`, in blocks of rows. */
export function denseOutputs(
  layout: DenseLayout,
  weights: Float32Array,
  values: Float32Array,
  rows: number,
): Float32Array {
  const { sizes } = layout;
  const width = sizes[0];
  const units = sizes[sizes.length - 1];
  const outputs = new Float32Array(rows * units);
  const space = workspace(layout, Math.min(rows, OUTPUT_BLOCK_ROWS), false);
  const k = kernel(space.end);
  k.floats.set(weights, space.weights);
  for (let from = 0; from < rows; from += OUTPUT_BLOCK_ROWS) {
    const to = Math.min(rows, from + OUTPUT_BLOCK_ROWS);
    k.floats.set(values.subarray(from * width, to * width), space.inputs[0]);
    forward(k, layout, space, to - from, undefined);
    const out = space.outputs[sizes.length - 2];
    outputs.set(k.floats.subarray(out, out + (to - from) * units), from * units);
  }
  return outputs;
}

/**
 * The gradient of a mini-batch's mean loss restricted to chunk `chunk` of its rows, written to
 * the chunk's slot of `gradients` (`weightCount` values per chunk); returns the chunk's share of
 * the mean loss. The mini-batch is rows `batch[0 .. pass[0])` of `features` and `targets` (all
 * the training rows, row-major); the chunk covers `batch[chunk * GRADIENT_CHUNK_ROWS ..]`, which
 * it gathers itself, so that the calling thread does not. The chunks' gradients, added in chunk
 * order, are the mini-batch's. `pass[1]` seeds the dropout masks of the mini-batch.
 */
export function denseGradients(
  layout: DenseLayout,
  weights: Float32Array,
  features: Float32Array,
  targets: Float32Array,
  batch: Int32Array,
  pass: Int32Array,
  gradients: Float32Array,
  chunk: number,
): number {
  const { sizes, activation } = layout;
  const last = sizes.length - 2;
  const [rows, seed] = pass;
  const from = chunk * GRADIENT_CHUNK_ROWS;
  const n = Math.min(rows, from + GRADIENT_CHUNK_ROWS) - from;
  const outputs = sizes[last + 1];
  const space = workspace(layout, n, true);
  const k = kernel(space.end + n * outputs);
  const f = k.floats;
  f.set(weights, space.weights);
  gatherRows(f, space.inputs[0], features, sizes[0], batch, from, n);
  // The chunk's targets, after the workspace.
  gatherRows(f, space.end, targets, outputs, batch, from, n);
  forward(k, layout, space, n, `${seed}\u0000${chunk}`);
  let { delta, back } = space;
  // The loss and its gradient by the outputs.
  const out = space.outputs[last];
  const loss = outputLoss(
    layout.loss,
    f.subarray(out, out + n * outputs),
    f.subarray(space.end, space.end + n * outputs),
    rows,
    outputs,
    f.subarray(delta, delta + n * outputs),
  );
  const { gemm, transpose } = k.exports;
  f[space.one] = 1;
  for (let l = last; l >= 0; l--) {
    const width = sizes[l];
    const units = sizes[l + 1];
    const kernelAt = kernelOffset(sizes, l);
    // The kernel's gradient: the layer's input transposed times the deltas.
    const gradientAt = space.gradient + kernelAt;
    gemm(4 * gradientAt, 4 * space.inputs[l], 4 * delta, width, units, n, 4, 4 * width, 0);
    // The bias's: the deltas summed over rows (a row of ones times the deltas).
    gemm(4 * (gradientAt + width * units), 4 * space.one, 4 * delta, 1, units, n, 0, 0, 0);
    if (l === 0) break;
    // The deltas of the layer below: these deltas times the kernel transposed, through the mask and activation.
    const weightsAt = space.weights + kernelAt;
    const { transposed } = space;
    transpose(4 * transposed, 4 * weightsAt, width, units);
    gemm(4 * back, 4 * delta, 4 * transposed, n, width, units, 4 * units, 4, 0);
    const mask = space.masks[l - 1];
    if (mask >= 0) for (let i = 0; i < n * width; i++) f[back + i] *= f[mask + i];
    backActivation(k, back, space.outputs[l - 1], n * width, activation);
    [delta, back] = [back, delta];
  }
  const slot = chunk * weightCount(sizes);
  gradients.set(f.subarray(space.gradient, space.gradient + weightCount(sizes)), slot);
  return loss;
}

/** Copies rows `batch[from .. from + count)` of `values` (`width` per row) to `to` in `f`, one after the other. */
export function gatherRows(
  f: Float32Array,
  to: number,
  values: Float32Array,
  width: number,
  batch: Int32Array,
  from: number,
  count: number,
): void {
  // A set per row: rows picked at random from tens of megabytes are cache misses, which a copy of
  // the whole row overlaps better than an element loop (57-75 against 85-314 ms for 200,000 rows
  // of 64, bench/RESULTS.md).
  let at = to;
  for (let i = from; i < from + count; i++) {
    const start = batch[i] * width;
    f.set(values.subarray(start, start + width), at);
    at += width;
  }
}

/** An optimizer's state for {@link denseUpdate}: Adam's moments, and 1 for the weights under the L2 penalty (kernels), padded to fours. */
export interface UpdateState {
  readonly first: Float32Array;
  readonly second: Float32Array;
  readonly penalised: Float32Array;
}

/** The optimizer state of a network of `sizes` before its first step. */
export function updateState(sizes: readonly number[]): UpdateState {
  const padded = Math.ceil(weightCount(sizes) / 4) * 4;
  const penalised = new Float32Array(padded);
  for (let l = 0; l < sizes.length - 1; l++) {
    const at = kernelOffset(sizes, l);
    penalised.fill(1, at, at + sizes[l] * sizes[l + 1]);
  }
  return { first: new Float32Array(padded), second: new Float32Array(padded), penalised };
}

/**
 * One optimizer step on `weights`, in float32 SIMD: the gradient is the sum of the `chunks`
 * slots of `gradients` (`weights.length` values each) in slot order, plus `decay` times the
 * kernel weights (the L2 penalty's gradient); Adam (scikit-learn's betas and epsilon, `rate`
 * the bias-corrected step size) or, without `adam`, plain SGD. Returns the sum of the squared
 * kernel weights before the step.
 */
export function denseUpdate(
  weights: Float32Array,
  state: UpdateState,
  gradients: Float32Array,
  chunks: number,
  decay: number,
  rate: number,
  adam: boolean,
): number {
  const count = weights.length;
  const padded = state.penalised.length;
  // The kernel's memory: weights, moments, penalty flags, then one slot per chunk's gradient.
  const k = kernel((4 + chunks) * padded);
  const f = k.floats;
  f.set(weights);
  f.fill(0, count, padded);
  f.set(state.first, padded);
  f.set(state.second, 2 * padded);
  f.set(state.penalised, 3 * padded);
  for (let c = 0; c < chunks; c++) {
    const slot = (4 + c) * padded;
    f.set(gradients.subarray(c * count, (c + 1) * count), slot);
    f.fill(0, slot + count, slot + padded);
  }
  const bytes = 4 * padded;
  const squares = k.exports.update(
    0,
    bytes,
    2 * bytes,
    4 * bytes,
    chunks,
    bytes,
    3 * bytes,
    padded,
    decay,
    rate,
    adam ? 1 : 0,
  );
  weights.set(f.subarray(0, count));
  state.first.set(f.subarray(padded, 2 * padded));
  state.second.set(f.subarray(2 * padded, 3 * padded));
  return squares;
}

/**
 * A chunk's share of the mini-batch's mean loss (`rows` rows in the mini-batch) from its
 * outputs and targets (`width` per row); writes the loss's gradient by the outputs to `deltas`.
 * Softmax: the cross-entropy of the softmax outputs (tf.losses.softmaxCrossEntropy); squared:
 * half the mean squared error over rows and outputs.
 */
function outputLoss(
  kind: DenseLayout['loss'],
  out: Float32Array,
  targets: Float32Array,
  rows: number,
  width: number,
  deltas: Float32Array,
): number {
  let loss = 0;
  if (kind === 'squared') {
    for (let i = 0; i < out.length; i++) {
      const difference = out[i] - targets[i];
      loss += difference * difference;
      deltas[i] = difference / (rows * width);
    }
    return loss / (2 * rows * width);
  }
  for (let at = 0; at < out.length; at += width) {
    let largest = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < width; c++) largest = Math.max(largest, out[at + c]);
    let total = 0;
    for (let c = 0; c < width; c++) total += Math.exp(out[at + c] - largest);
    const logTotal = Math.log(total);
    for (let c = 0; c < width; c++) {
      const logProbability = out[at + c] - largest - logTotal;
      loss -= targets[at + c] * logProbability;
      deltas[at + c] = (Math.exp(logProbability) - targets[at + c]) / rows;
    }
  }
  return loss / rows;
}
