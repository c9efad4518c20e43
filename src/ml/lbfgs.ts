/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4) with a backtracking Armijo line
 * search, for smooth convex objectives such as L2-regularised logistic loss.
 */

/** Computes f(x) and writes its gradient into `gradient`. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  maxIterations: number;
  /** Stop when the largest gradient component is at most this. */
  tolerance: number;
  /** How many correction pairs to keep (default 10). */
  memory?: number;
}

/** Where L-BFGS stopped. */
export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function largestMagnitude(a: Float64Array): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]));
  return largest;
}

/**
 * A request of a minimiser written as a generator: evaluate the objective at `x` (not to be
 * kept: the minimiser reuses it), write its gradient into `gradient`, and send back f(x). So the
 * objective's passes over the data can run anywhere (a superstep of a DataSet iteration).
 */
export interface Evaluation {
  readonly x: Float64Array;
  readonly gradient: Float64Array;
}

/** A minimiser as a generator of {@link Evaluation}s, returning R. */
export type Minimization<R> = Generator<Evaluation, R, number>;

/** Runs a minimiser with the objective evaluated on the calling thread. */
export function evaluateHere<R>(minimization: Minimization<R>, objective: Objective): R {
  let step = minimization.next();
  while (step.done !== true) step = minimization.next(objective(step.value.x, step.value.gradient));
  return step.value;
}

/** Minimises `objective` from `start` (not modified). */
export function minimizeLbfgs(objective: Objective, start: Float64Array, options: LbfgsOptions): LbfgsResult {
  return evaluateHere(lbfgsSteps(start, options), objective);
}

/** {@link minimizeLbfgs} as a generator of the evaluations it needs. */
export function* lbfgsSteps(start: Float64Array, options: LbfgsOptions): Minimization<LbfgsResult> {
  const size = start.length;
  const memory = options.memory ?? 10;
  let x = start.slice();
  let gradient = new Float64Array(size);
  let value = yield { x, gradient };
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const rhos: number[] = [];
  const direction = new Float64Array(size);
  const alphas = new Float64Array(memory);
  let nextX = new Float64Array(size);
  let nextGradient = new Float64Array(size);
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    if (largestMagnitude(gradient) <= options.tolerance)
      return { x, value, iterations: iteration - 1, converged: true };
    // Two-loop recursion: direction = -H * gradient.
    for (let i = 0; i < size; i++) direction[i] = -gradient[i];
    for (let m = steps.length - 1; m >= 0; m--) {
      alphas[m] = rhos[m] * dot(steps[m], direction);
      for (let i = 0; i < size; i++) direction[i] -= alphas[m] * changes[m][i];
    }
    if (steps.length > 0) {
      const last = steps.length - 1;
      const scale = dot(steps[last], changes[last]) / dot(changes[last], changes[last]);
      for (let i = 0; i < size; i++) direction[i] *= scale;
    } else {
      const scale = 1 / Math.max(1, largestMagnitude(gradient));
      for (let i = 0; i < size; i++) direction[i] *= scale;
    }
    for (let m = 0; m < steps.length; m++) {
      const beta = rhos[m] * dot(changes[m], direction);
      for (let i = 0; i < size; i++) direction[i] += steps[m][i] * (alphas[m] - beta);
    }
    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      steps.length = changes.length = rhos.length = 0;
      for (let i = 0; i < size; i++) direction[i] = -gradient[i];
      slope = dot(gradient, direction);
    }
    let step = 1;
    let nextValue = Number.POSITIVE_INFINITY;
    for (let trial = 0; trial < 60; trial++) {
      for (let i = 0; i < size; i++) nextX[i] = x[i] + step * direction[i];
      nextValue = yield { x: nextX, gradient: nextGradient };
      if (nextValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextValue <= value)) return { x, value, iterations: iteration, converged: false };
    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = nextX[i] - x[i];
      y[i] = nextGradient[i] - gradient[i];
    }
    const curvature = dot(s, y);
    if (curvature > 1e-12 * dot(y, y)) {
      if (steps.length === memory) {
        steps.shift();
        changes.shift();
        rhos.shift();
      }
      steps.push(s);
      changes.push(y);
      rhos.push(1 / curvature);
    }
    const decrease = value - nextValue;
    [x, nextX] = [nextX, x];
    [gradient, nextGradient] = [nextGradient, gradient];
    value = nextValue;
    // A step that no longer changes the objective in its 15th digit: as good as it gets.
    if (decrease <= 1e-15 * Math.max(1, Math.abs(value))) {
      return { x, value, iterations: iteration, converged: largestMagnitude(gradient) <= options.tolerance };
    }
  }
  return {
    x,
    value,
    iterations: options.maxIterations,
    converged: largestMagnitude(gradient) <= options.tolerance,
  };
}
