import { evaluateHere, type Minimization, type Objective } from './lbfgs.js';
import { softThreshold } from './shrinkage.js';

/**
 * FISTA (Beck and Teboulle): accelerated proximal gradient with backtracking, for a smooth
 * loss plus an L1 penalty on some coordinates, as elastic-net logistic regression needs.
 */

/** Options of {@link minimizeProximal}. */
export interface ProximalOptions {
  maxIterations: number;
  /** Stop when no coordinate moves more than this in one step. */
  tolerance: number;
  /** The L1 weight of each coordinate (0 for unpenalised ones such as intercepts). */
  l1: Float64Array;
}

/** Where FISTA stopped. */
export interface ProximalResult {
  x: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Minimises `smooth(x) + sum_i l1[i] |x_i|` from `start`. */
export function minimizeProximal(
  smooth: Objective,
  start: Float64Array,
  options: ProximalOptions,
): ProximalResult {
  return evaluateHere(proximalSteps(start, options), smooth);
}

/** {@link minimizeProximal} as a generator of the evaluations of `smooth` it needs. */
export function* proximalSteps(start: Float64Array, options: ProximalOptions): Minimization<ProximalResult> {
  const size = start.length;
  let x = start.slice();
  let momentum = start.slice();
  let t = 1;
  let lipschitz = 1;
  const gradient = new Float64Array(size);
  const scratch = new Float64Array(size);
  const next = new Float64Array(size);
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    const value = yield { x: momentum, gradient };
    // Backtracking: grow the Lipschitz estimate until the quadratic model bounds the loss.
    for (let trial = 0; trial < 60; trial++) {
      let model = value;
      for (let i = 0; i < size; i++) {
        next[i] = softThreshold(momentum[i] - gradient[i] / lipschitz, options.l1[i] / lipschitz);
        const delta = next[i] - momentum[i];
        model += gradient[i] * delta + 0.5 * lipschitz * delta * delta;
      }
      if ((yield { x: next, gradient: scratch }) <= model + 1e-12 * Math.abs(model)) break;
      lipschitz *= 2;
    }
    let largestMove = 0;
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const previous = x;
    x = next.slice();
    const nextMomentum = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      largestMove = Math.max(largestMove, Math.abs(x[i] - previous[i]));
      nextMomentum[i] = x[i] + ((t - 1) / tNext) * (x[i] - previous[i]);
    }
    momentum = nextMomentum;
    t = tNext;
    lipschitz *= 0.9;
    if (largestMove <= options.tolerance) return { x, iterations: iteration, converged: true };
  }
  return { x, iterations: options.maxIterations, converged: false };
}
