/**
 * The E-step of variational Bayes for LDA over one chunk of documents: the kernel the core
 * driver runs on every thread (worker threads load this module by itself; it imports only the
 * special functions). Each chunk writes its documents' rows of `gamma` and returns its part of
 * the bound and its sufficient statistics over the terms its documents hold (memory in
 * proportion to the chunk, not to the vocabulary); the caller adds them in chunk order, so the
 * result is the same, bit for bit, at every parallelism.
 *
 * Topic-word arrays are word-major here (`[word * k + topic]`): a document's update reads the k
 * values of each of its words, which then lie side by side.
 */
import { exported } from '../../../src/dataset/functions.js';
import { digamma, logGamma } from './special-functions.js';

/** What every chunk of one E-step shares (typed arrays in shared memory when workers take part). */
export interface EStepArrays {
  /** The corpus, CSR: document offsets, term ids, counts. */
  readonly offsets: Int32Array;
  readonly terms: Int32Array;
  readonly counts: Float64Array;
  /** The documents of this step: [first, first + documents) of the corpus. */
  readonly first: number;
  readonly documents: number;
  /** Documents per chunk (the last chunk may hold fewer). */
  readonly chunkDocuments: number;
  readonly k: number;
  readonly vocabularySize: number;
  /** The document-topic prior alpha. */
  readonly alpha: number;
  /** exp(E[log beta]), V x k word-major. */
  readonly expElogBeta: Float64Array;
  /** E[log beta], V x k word-major: given when the chunks compute their part of the bound. */
  readonly elogBeta: Float64Array | null;
  /** Starting gamma of every document (documents x k), or null to start from ones. */
  readonly gammaStart: Float64Array | null;
  /** Out: the documents' variational Dirichlet parameters (documents x k). */
  readonly gamma: Float64Array;
  /** Whether the chunks gather sufficient statistics (fitting) or not (inference). */
  readonly statistics: boolean;
  /** Most updates of one document's gamma. */
  readonly maxDocumentIterations: number;
  /** A document's updates stop when gamma moves by less than this on average. */
  readonly documentTolerance: number;
}

// Smallest double step: what scikit-learn adds to phi's normaliser so it is never 0.
const EPS = 2.220446049250313e-16;

/** exp(E[log theta]) of a Dirichlet with parameters `gamma` (k values from `at`), into `out`. */
export function expDirichletExpectation(gamma: Float64Array, at: number, k: number, out: Float64Array): void {
  let sum = 0;
  for (let t = 0; t < k; t++) sum += gamma[at + t];
  const psiSum = digamma(sum);
  for (let t = 0; t < k; t++) out[t] = Math.exp(digamma(gamma[at + t]) - psiSum);
}

/** One chunk's result: its part of the bound, and its statistics over the terms it holds. */
export interface EStepChunkResult {
  readonly score: number;
  /** The chunk's distinct terms, ascending (empty without statistics). */
  readonly terms: Int32Array;
  /** terms x k statistics, term-major. */
  readonly statistics: Float64Array;
}

// Where each term sits in a chunk's term list (-1: absent); this thread's scratch, reset after use.
let termSlots = new Int32Array(0);

/** The distinct terms of documents [start, end), ascending. */
function chunkTerms(arrays: EStepArrays, start: number, end: number): Int32Array {
  const { offsets, terms, vocabularySize } = arrays;
  if (termSlots.length < vocabularySize) termSlots = new Int32Array(vocabularySize).fill(-1);
  const from = offsets[arrays.first + start];
  const to = offsets[arrays.first + end];
  const found: number[] = [];
  for (let j = from; j < to; j++) {
    if (termSlots[terms[j]] < 0) {
      termSlots[terms[j]] = 0;
      found.push(terms[j]);
    }
  }
  const sorted = Int32Array.from(found).sort();
  for (let i = 0; i < sorted.length; i++) termSlots[sorted[i]] = i;
  return sorted;
}

/**
 * One chunk's E-step: for each document, the fixed point of gamma = alpha + expElogTheta *
 * sum_w count_w expElogBeta_w / phiNorm_w (Hoffman, Blei and Bach 2010, figure 1), then its
 * sufficient statistics and its part of the bound when asked (0 without `elogBeta`).
 */
export function eStepChunk(arrays: EStepArrays, chunk: number): EStepChunkResult {
  const { offsets, terms, counts, k, alpha, expElogBeta, elogBeta, gammaStart, gamma } = arrays;
  const start = chunk * arrays.chunkDocuments;
  const end = Math.min(start + arrays.chunkDocuments, arrays.documents);
  const local = arrays.statistics ? chunkTerms(arrays, start, end) : new Int32Array(0);
  const statistics = new Float64Array(local.length * k);
  const expTheta = new Float64Array(k);
  const next = new Float64Array(k);
  let score = 0;
  for (let d = start; d < end; d++) {
    const from = offsets[arrays.first + d];
    const to = offsets[arrays.first + d + 1];
    const at = d * k;
    if (gammaStart === null) gamma.fill(1, at, at + k);
    else for (let t = 0; t < k; t++) gamma[at + t] = gammaStart[at + t];
    expDirichletExpectation(gamma, at, k, expTheta);
    for (let iteration = 0; iteration < arrays.maxDocumentIterations; iteration++) {
      next.fill(0);
      for (let j = from; j < to; j++) {
        const w = terms[j] * k;
        let norm = EPS;
        for (let t = 0; t < k; t++) norm += expTheta[t] * expElogBeta[w + t];
        const weight = counts[j] / norm;
        for (let t = 0; t < k; t++) next[t] += weight * expElogBeta[w + t];
      }
      let change = 0;
      for (let t = 0; t < k; t++) {
        const value = alpha + expTheta[t] * next[t];
        change += Math.abs(value - gamma[at + t]);
        gamma[at + t] = value;
      }
      expDirichletExpectation(gamma, at, k, expTheta);
      if (change / k < arrays.documentTolerance) break;
    }
    if (arrays.statistics) {
      for (let j = from; j < to; j++) {
        const w = terms[j] * k;
        let norm = EPS;
        for (let t = 0; t < k; t++) norm += expTheta[t] * expElogBeta[w + t];
        const weight = counts[j] / norm;
        const out = termSlots[terms[j]] * k;
        for (let t = 0; t < k; t++) statistics[out + t] += expTheta[t] * weight * expElogBeta[w + t];
      }
    }
    if (elogBeta !== null) score += documentBound(arrays, elogBeta, d, from, to);
  }
  for (let i = 0; i < local.length; i++) termSlots[local[i]] = -1;
  return { score, terms: local, statistics };
}

/**
 * A document's part of the variational bound: E[log p(w | theta, beta)] (a log-sum-exp over
 * topics per word) + E[log p(theta | alpha)] - E[log q(theta | gamma)].
 */
function documentBound(
  arrays: EStepArrays,
  elogBeta: Float64Array,
  d: number,
  from: number,
  to: number,
): number {
  const { terms, counts, k, alpha, gamma } = arrays;
  const at = d * k;
  let sum = 0;
  for (let t = 0; t < k; t++) sum += gamma[at + t];
  const psiSum = digamma(sum);
  const elogTheta = new Float64Array(k);
  for (let t = 0; t < k; t++) elogTheta[t] = digamma(gamma[at + t]) - psiSum;
  let score = 0;
  for (let j = from; j < to; j++) {
    const w = terms[j] * k;
    let most = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < k; t++) most = Math.max(most, elogTheta[t] + elogBeta[w + t]);
    let total = 0;
    for (let t = 0; t < k; t++) total += Math.exp(elogTheta[t] + elogBeta[w + t] - most);
    score += counts[j] * (most + Math.log(total));
  }
  for (let t = 0; t < k; t++) {
    score += (alpha - gamma[at + t]) * elogTheta[t] + logGamma(gamma[at + t]) - logGamma(alpha);
  }
  return score + logGamma(alpha * k) - logGamma(sum);
}

/** {@link eStepChunk} as the driver's kernel. */
export const eStepKernel = exported(eStepChunk, import.meta.url);
