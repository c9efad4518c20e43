/**
 * The special functions variational Bayes for LDA needs: the digamma function (expectations
 * of log Dirichlet variables), the log-gamma function (the bound), and Gamma variates (the
 * random starting points, drawn as scikit-learn and Hoffman's onlineldavb draw them). This
 * module imports nothing, so worker threads load it with the E-step kernel at no cost.
 */
import type { RandomSource } from '../../../src/core/random.js';

/**
 * ψ(x), the derivative of log Γ(x), for x > 0: the recurrence ψ(x) = ψ(x + 1) - 1/x up to
 * x >= 10, then the asymptotic series (error below 1e-15 there).
 */
export function digamma(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  const series =
    f * (-1 / 12 + f * (1 / 120 + f * (-1 / 252 + f * (1 / 240 + f * (-1 / 132 + f * (691 / 32760))))));
  return shift + Math.log(x) - 0.5 / x + series;
}

// Lanczos approximation, g = 7, nine coefficients: about 15 significant digits for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * A Gamma(shape, scale) variate for shape >= 1 (Marsaglia and Tsang 2000), from `rng`'s
 * normal and uniform draws.
 */
export function gammaVariate(rng: RandomSource, shape: number, scale: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const root = 1 + c * x;
    if (root <= 0) continue;
    const v = root * root * root;
    const u = rng.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}
