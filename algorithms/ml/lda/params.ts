/**
 * The parameters of LDA and its model, named as in Spark ML (docConcentration,
 * topicConcentration, learningOffset, learningDecay, topicDistributionCol) with scikit-learn's
 * defaults where the two differ (learningOffset 10, learningDecay 0.7, batchSize 128), so that
 * a fit compares with scikit-learn's LatentDirichletAllocation as it is.
 */
import { commonParams, type ParamSpec, param } from '../../../src/ml/params.js';

function optionalPositive(description: string): ParamSpec<number | null> {
  return {
    default: null,
    description,
    accepted: 'a finite number > 0, or null for 1/k',
    isValid: (value): value is number | null =>
      value === null || (typeof value === 'number' && Number.isFinite(value) && value > 0),
  };
}

/** Parameters of a fitted LDA model: what inference on new documents needs. */
export const ldaModelParams = {
  featuresCol: param.column('features', 'the column of term-count vectors (sparse or dense)'),
  topicDistributionCol: param.column(
    'topicDistribution',
    "the column that receives each document's topic mixture",
  ),
  maxDocumentIterations: param.integer(100, "the most updates of one document's topic mixture per E-step", {
    min: 1,
  }),
  documentTolerance: param.number(
    1e-3,
    "a document's updates stop when its mixture moves by less than this on average (scikit-learn mean_change_tol)",
    { min: 0 },
  ),
  parallelism: commonParams.parallelism,
};

/** Parameters of {@link LDA}. */
export const ldaParams = {
  ...ldaModelParams,
  k: param.integer(10, 'the number of topics', { min: 1 }),
  maxIterations: param.integer(10, 'passes over the corpus', { min: 1 }),
  learningMethod: param.choice(
    'online',
    "'online' variational Bayes in mini-batches, or 'batch' over the whole corpus",
    ['online', 'batch'] as const,
  ),
  docConcentration: optionalPositive('alpha, the prior of document-topic mixtures (null: 1/k)'),
  topicConcentration: optionalPositive('eta, the prior of topic-word distributions (null: 1/k)'),
  learningOffset: param.number(10, 'tau0: down-weights the first online updates', { min: 0 }),
  learningDecay: param.number(
    0.7,
    'kappa: how fast the online step size decays, in (0.5, 1] for convergence',
    {
      min: 0,
      max: 1,
      exclusiveMin: true,
    },
  ),
  batchSize: param.integer(128, 'documents per online update', { min: 1 }),
  totalSamples: param.number(
    1e6,
    'the corpus size partialFit and fit(stream) assume when they scale a mini-batch (scikit-learn total_samples)',
    { min: 0, exclusiveMin: true },
  ),
  seed: commonParams.seed,
};

export type LdaModelSpecs = typeof ldaModelParams;
export type LdaSpecs = typeof ldaParams;
