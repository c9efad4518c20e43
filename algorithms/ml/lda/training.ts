/**
 * The passes of LDA's variational Bayes as a sequence of E-steps: a generator yields each
 * E-step and gets its result back, then applies the M-step. The same sequence runs on the
 * calling thread ({@link runStepsHere}) or on the core driver ({@link runSteps}) with the same
 * result, bit for bit: every random draw is made here, from streams derived from the seed and
 * the update's number, never in the chunks.
 */
import { random, type Seed } from '../../../src/core/random.js';
import type { SparseRows } from '../../../src/core/sparse-rows.js';
import type { Threads } from '../../../src/core/threads/driver.js';
import { gammaVariate } from './special-functions.js';
import {
  batchUpdate,
  type EStepRequest,
  type EStepResult,
  type EStepSettings,
  eStepHere,
  eStepParallel,
  onlineUpdate,
  topicExpectations,
} from './variational.js';

/** What a fit learns and carries from one update to the next. */
export interface TopicState {
  readonly k: number;
  readonly vocabularySize: number;
  /** V x k, word-major: the variational parameters of the topics. */
  readonly lambda: Float64Array;
  /** Updates applied so far (online mini-batches or batch passes). */
  updates: number;
}

/** The settings of a fit's passes. */
export interface TrainingSettings {
  readonly alpha: number;
  readonly eta: number;
  readonly learningOffset: number;
  readonly learningDecay: number;
  readonly maxDocumentIterations: number;
  readonly documentTolerance: number;
  readonly seed: Seed;
  /** Whether the topics' expectations go into shared memory (E-steps on worker threads). */
  readonly share: boolean;
}

/** One E-step of the sequence. */
export interface TrainingStep {
  readonly request: EStepRequest;
  readonly settings: EStepSettings;
}

export type TrainingSteps<R = void> = Generator<TrainingStep, R, EStepResult>;

// Scikit-learn and Hoffman's onlineldavb start lambda and every gamma from Gamma(100, 1/100).
const START_SHAPE = 100;
const START_SCALE = 0.01;

/** The starting topics of a fit: Gamma(100, 0.01) draws from the seed. */
export function initialTopics(k: number, vocabularySize: number, seed: Seed): TopicState {
  const rng = random(seed).derive('topics');
  const lambda = new Float64Array(vocabularySize * k);
  for (let i = 0; i < lambda.length; i++) lambda[i] = gammaVariate(rng, START_SHAPE, START_SCALE);
  return { k, vocabularySize, lambda, updates: 0 };
}

function gammaStart(state: TopicState, documents: number, seed: Seed): Float64Array {
  const rng = random(seed).derive(`update ${state.updates}`);
  const start = new Float64Array(documents * state.k);
  for (let i = 0; i < start.length; i++) start[i] = gammaVariate(rng, START_SHAPE, START_SCALE);
  return start;
}

function settingsOf(state: TopicState, settings: TrainingSettings): EStepSettings {
  return {
    k: state.k,
    alpha: settings.alpha,
    maxDocumentIterations: settings.maxDocumentIterations,
    documentTolerance: settings.documentTolerance,
    topics: topicExpectations(state.lambda, state.k, settings.share),
  };
}

/**
 * One online update from documents [first, end) of `corpus`, scaled as if the corpus held
 * `totalDocuments` (Hoffman, Blei and Bach 2010, algorithm 2).
 */
export function* onlineStep(
  state: TopicState,
  corpus: SparseRows,
  first: number,
  end: number,
  totalDocuments: number,
  settings: TrainingSettings,
): TrainingSteps {
  const documents = end - first;
  const request: EStepRequest = {
    corpus,
    first,
    documents,
    gammaStart: gammaStart(state, documents, settings.seed),
    statistics: true,
    bound: false,
  };
  const result = yield { request, settings: settingsOf(state, settings) };
  const rho = (settings.learningOffset + state.updates + 1) ** -settings.learningDecay;
  onlineUpdate(state.lambda, result.statistics!, settings.eta, totalDocuments / documents, rho);
  state.updates++;
}

/** `passes` passes over `corpus`: online in mini-batches of `batchSize`, or batch. */
export function* trainingPasses(
  state: TopicState,
  corpus: SparseRows,
  passes: number,
  method: 'online' | 'batch',
  batchSize: number,
  settings: TrainingSettings,
  onPass?: (pass: number) => void,
): TrainingSteps {
  const n = corpus.rows;
  for (let pass = 1; pass <= passes; pass++) {
    if (method === 'online') {
      for (let first = 0; first < n; first += batchSize) {
        yield* onlineStep(state, corpus, first, Math.min(first + batchSize, n), n, settings);
      }
    } else {
      const request: EStepRequest = {
        corpus,
        first: 0,
        documents: n,
        gammaStart: gammaStart(state, n, settings.seed),
        statistics: true,
        bound: false,
      };
      const result = yield { request, settings: settingsOf(state, settings) };
      batchUpdate(state.lambda, result.statistics!, settings.eta);
      state.updates++;
    }
    onPass?.(pass);
  }
}

/** Runs a sequence on the calling thread. */
export function runStepsHere<R>(steps: TrainingSteps<R>): R {
  let step = steps.next(undefined as never);
  while (step.done !== true) step = steps.next(eStepHere(step.value.request, step.value.settings));
  return step.value;
}

/** Runs a sequence with each E-step on the core driver. */
export async function runSteps<R>(steps: TrainingSteps<R>, threads: Threads): Promise<R> {
  let step = steps.next(undefined as never);
  while (step.done !== true) {
    step = steps.next(await eStepParallel(step.value.request, step.value.settings, threads));
  }
  return step.value;
}
