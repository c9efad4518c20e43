/**
 * TensorFlow.js, loaded on first use rather than with the public entry: its packages take about
 * half a second to load and most runs never build a network. The WebAssembly backend (SIMD,
 * one thread) is 3.3x the plain JavaScript one on eddy's benchmark network (bench/RESULTS.md);
 * the plain one is the fallback where WebAssembly cannot start.
 */
import type * as TensorFlowCore from '@tensorflow/tfjs-core';
import type * as TensorFlowLayers from '@tensorflow/tfjs-layers';
import { UsageError } from './errors.js';
import { loadOnFirstUse } from './lazy-module.js';

/** The backends eddy runs TensorFlow.js on. */
export type TensorFlowBackend = 'wasm' | 'cpu';

/** TensorFlow.js as eddy uses it: the core ops, the layers API, and the backend in use. */
export interface TensorFlow {
  readonly core: typeof TensorFlowCore;
  readonly layers: typeof TensorFlowLayers;
  readonly backend: TensorFlowBackend;
}

const core = loadOnFirstUse<typeof TensorFlowCore>('@tensorflow/tfjs-core');
const layers = loadOnFirstUse<typeof TensorFlowLayers>('@tensorflow/tfjs-layers');
const cpuBackend = loadOnFirstUse<unknown>('@tensorflow/tfjs-backend-cpu');
const wasmBackend = loadOnFirstUse<unknown>('@tensorflow/tfjs-backend-wasm');

let ready: TensorFlow | undefined;
let starting: Promise<TensorFlow> | undefined;

async function start(backend: TensorFlowBackend): Promise<TensorFlow> {
  const tf = core();
  cpuBackend();
  if (backend === 'wasm') wasmBackend();
  // Production mode: no per-op NaN checks, and no advice to install tfjs-node on every start.
  tf.enableProdMode();
  // setBackend reports a backend that fails to start (WebAssembly refused) by returning false.
  const used: TensorFlowBackend = (await tf.setBackend(backend)) ? backend : 'cpu';
  if (used !== backend) await tf.setBackend('cpu');
  await tf.ready();
  ready = { core: tf, layers: layers(), backend: used };
  return ready;
}

/**
 * Loads TensorFlow.js and starts its backend (once; `backend` switches a started one). Fitting
 * a network, loading one and transforming with one call this; call it yourself before the
 * synchronous `fitTable`, `transformTable` or `predict` of a model read with `fromJSON`.
 * @param backend `'wasm'` (the default) or `'cpu'`; the environment variable
 *   `EDDY_TENSORFLOW_BACKEND` gives the default. Weights are reproducible on one backend, not across.
 */
export async function loadTensorFlow(
  backend: TensorFlowBackend = (process.env.EDDY_TENSORFLOW_BACKEND as TensorFlowBackend) ?? 'wasm',
): Promise<TensorFlow> {
  if (backend !== 'wasm' && backend !== 'cpu') {
    throw new UsageError(`unknown TensorFlow.js backend '${backend}': expected 'wasm' or 'cpu'`);
  }
  if (ready !== undefined && ready.backend === backend) return ready;
  const previous = starting ?? Promise.resolve(undefined);
  starting = previous.then(() => (ready?.backend === backend ? ready : start(backend)));
  return starting;
}

/** TensorFlow.js, once {@link loadTensorFlow} has started it; a clear error before. */
export function tensorflow(): TensorFlow {
  if (ready === undefined) {
    throw new UsageError(
      'TensorFlow.js is not started: await loadTensorFlow() first (fit(), transform() and load() do it)',
    );
  }
  return ready;
}
