/**
 * The global side of variational Bayes for LDA, on the calling thread: the expectations of the
 * topics (E[log beta] from lambda), the online and batch M-steps, the topics' part of the bound,
 * and the E-step run over the corpus in chunks on the core driver (e-step.ts), the chunks'
 * results added in chunk order.
 *
 * lambda, like every topic-word array here, is word-major: `lambda[word * k + topic]`.
 */

import { float64Array } from '../../../src/core/shared-memory.js';
import type { SparseRows } from '../../../src/core/sparse-rows.js';
import { runChunks, type Threads, threadCount } from '../../../src/core/threads/driver.js';
import { type EStepArrays, type EStepChunkResult, eStepChunk, eStepKernel } from './e-step.js';
import { digamma, logGamma } from './special-functions.js';

/** E[log beta] and exp(E[log beta]) of the topics, word-major. */
export interface TopicExpectations {
  readonly elogBeta: Float64Array;
  readonly expElogBeta: Float64Array;
}

/** Each topic's total weight: the sums of lambda's topic columns. */
export function topicSums(lambda: Float64Array, k: number): Float64Array {
  const sums = new Float64Array(k);
  for (let at = 0; at < lambda.length; at += k) for (let t = 0; t < k; t++) sums[t] += lambda[at + t];
  return sums;
}

/** E[log beta_tw] = psi(lambda_tw) - psi(sum_w lambda_tw), and its exponential. */
export function topicExpectations(lambda: Float64Array, k: number, share: boolean): TopicExpectations {
  const psiSums = topicSums(lambda, k).map(digamma);
  const elogBeta = float64Array(lambda.length, share);
  const expElogBeta = float64Array(lambda.length, share);
  for (let at = 0; at < lambda.length; at += k) {
    for (let t = 0; t < k; t++) {
      const value = digamma(lambda[at + t]) - psiSums[t];
      elogBeta[at + t] = value;
      expElogBeta[at + t] = Math.exp(value);
    }
  }
  return { elogBeta, expElogBeta };
}

/**
 * The online M-step: lambda <- (1 - rho) lambda + rho (eta + scale * statistics), rho =
 * (learningOffset + update)^-learningDecay, update counting from 1 (scikit-learn's n_batch_iter_),
 * scale the corpus size over the batch size.
 */
export function onlineUpdate(
  lambda: Float64Array,
  statistics: Float64Array,
  eta: number,
  scale: number,
  rho: number,
): void {
  for (let i = 0; i < lambda.length; i++)
    lambda[i] = (1 - rho) * lambda[i] + rho * (eta + scale * statistics[i]);
}

/** The batch M-step: lambda <- eta + statistics. */
export function batchUpdate(lambda: Float64Array, statistics: Float64Array, eta: number): void {
  for (let i = 0; i < lambda.length; i++) lambda[i] = eta + statistics[i];
}

/** The topics' part of the bound: E[log p(beta | eta)] - E[log q(beta | lambda)]. */
export function topicBound(lambda: Float64Array, elogBeta: Float64Array, eta: number, k: number): number {
  const vocabularySize = lambda.length / k;
  let score = 0;
  for (let i = 0; i < lambda.length; i++) {
    score += (eta - lambda[i]) * elogBeta[i] + logGamma(lambda[i]) - logGamma(eta);
  }
  const sums = topicSums(lambda, k);
  for (let t = 0; t < k; t++) score += logGamma(eta * vocabularySize) - logGamma(sums[t]);
  return score;
}

/** The most chunks of one E-step (enough to balance 16 threads). */
const MAX_CHUNKS = 16;
/** The fewest documents worth a chunk of their own. */
const MIN_CHUNK_DOCUMENTS = 8;

/** Documents per chunk for an E-step over `documents`: fixed by the count alone, never by the threads. */
export function chunkDocuments(documents: number): number {
  return Math.max(MIN_CHUNK_DOCUMENTS, Math.ceil(documents / MAX_CHUNKS));
}

/** One E-step to run: documents [first, first + documents) of `corpus`. */
export interface EStepRequest {
  readonly corpus: SparseRows;
  readonly first: number;
  readonly documents: number;
  /** Starting gamma per document (documents x k), or null for ones. */
  readonly gammaStart: Float64Array | null;
  /** Whether to gather sufficient statistics (fitting) and the documents' part of the bound. */
  readonly statistics: boolean;
  readonly bound: boolean;
}

/** What the E-step settings are beside the request. */
export interface EStepSettings {
  readonly k: number;
  readonly alpha: number;
  readonly maxDocumentIterations: number;
  readonly documentTolerance: number;
  readonly topics: TopicExpectations;
}

/** An E-step's result, combined in chunk order. */
export interface EStepResult {
  /** documents x k variational parameters. */
  readonly gamma: Float64Array;
  /** V x k sufficient statistics (the chunks' slots added), when asked for. */
  readonly statistics: Float64Array | null;
  /** The documents' part of the bound (0 when not asked for). */
  readonly score: number;
}

function stepArrays(request: EStepRequest, settings: EStepSettings, share: boolean): EStepArrays {
  const { corpus, documents } = request;
  const { k } = settings;
  const perChunk = chunkDocuments(documents);
  return {
    offsets: corpus.offsets,
    terms: corpus.indices,
    counts: corpus.values,
    first: request.first,
    documents,
    chunkDocuments: perChunk,
    k,
    vocabularySize: corpus.columns,
    alpha: settings.alpha,
    expElogBeta: settings.topics.expElogBeta,
    elogBeta: request.bound ? settings.topics.elogBeta : null,
    gammaStart: request.gammaStart,
    gamma: float64Array(documents * k, share),
    statistics: request.statistics,
    maxDocumentIterations: settings.maxDocumentIterations,
    documentTolerance: settings.documentTolerance,
  };
}

function combine(arrays: EStepArrays, chunks: readonly EStepChunkResult[]): EStepResult {
  const { k } = arrays;
  let score = 0;
  for (const part of chunks) score += part.score;
  let statistics: Float64Array | null = null;
  if (arrays.statistics) {
    statistics = new Float64Array(arrays.vocabularySize * k);
    for (const part of chunks) {
      for (let i = 0; i < part.terms.length; i++) {
        const to = part.terms[i] * k;
        for (let t = 0; t < k; t++) statistics[to + t] += part.statistics[i * k + t];
      }
    }
  }
  // Plain memory for the caller, whatever the step ran on.
  const gamma = arrays.gamma.buffer instanceof SharedArrayBuffer ? arrays.gamma.slice() : arrays.gamma;
  return { gamma, statistics, score };
}

function chunkCount(arrays: EStepArrays): number {
  return Math.ceil(arrays.documents / arrays.chunkDocuments);
}

/** The E-step on the calling thread: every chunk in order. */
export function eStepHere(request: EStepRequest, settings: EStepSettings): EStepResult {
  const arrays = stepArrays(request, settings, false);
  const parts: EStepChunkResult[] = [];
  for (let chunk = 0; chunk < chunkCount(arrays); chunk++) parts.push(eStepChunk(arrays, chunk));
  return combine(arrays, parts);
}

/**
 * The E-step on this thread and up to `parallelism - 1` workers of the core driver; the same
 * result as {@link eStepHere}. With more than one thread, the corpus and the topics' arrays
 * must be in shared memory ({@link SparseRows.shared}, `topicExpectations(..., true)`).
 */
export async function eStepParallel(
  request: EStepRequest,
  settings: EStepSettings,
  threads: Threads,
): Promise<EStepResult> {
  const documents = request.documents;
  const chunks = Math.ceil(documents / chunkDocuments(documents));
  if (threadCount(threads, chunks) === 1) return eStepHere(request, settings);
  const arrays = stepArrays(request, settings, true);
  const kernel = { module: eStepKernel.module, exportName: eStepKernel.exportName, local: eStepKernel.fn };
  return combine(arrays, await runChunks<EStepChunkResult>(kernel, [arrays], chunkCount(arrays), threads));
}
