import { InputError, ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { SparseRows } from '../../../src/core/sparse-rows.js';
import type { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { extractFeatures } from '../../../src/ml/data.js';
import { type FluentParams, type ParamValues, paramsFromJSON } from '../../../src/ml/params.js';
import {
  checkStageJSON,
  jsonNumbers,
  jsonRows,
  readModelJSON,
  registerModelType,
} from '../../../src/ml/persistence.js';
import { Transformer } from '../../../src/ml/stage.js';
import type { Table } from '../../../src/table/table.js';
import { type LdaModelSpecs, ldaModelParams } from './params.js';
import {
  type EStepRequest,
  type EStepResult,
  type EStepSettings,
  eStepHere,
  eStepParallel,
  topicBound,
  topicExpectations,
  topicSums,
} from './variational.js';

/** A topic's most probable terms, as Spark's `describeTopics` gives them. */
export interface TopicDescription {
  readonly topic: number;
  /** Term ids, most probable first. */
  readonly termIndices: Int32Array;
  /** Their probabilities under the topic. */
  readonly termWeights: Float64Array;
  /** Their words, when the model knows its vocabulary. */
  readonly terms?: readonly string[];
}

/** What an LDA model is made from beside its topics. */
export interface LdaModelOptions {
  params?: Partial<ParamValues<LdaModelSpecs>>;
  /** The document-topic prior alpha and the topic-word prior eta the model was fitted with. */
  alpha: number;
  eta: number;
  /** The word of every term id, when known. */
  vocabulary?: readonly string[];
  /** Updates that made the topics (mini-batches or batch passes). */
  updates?: number;
}

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface LDAModel extends FluentParams<LdaModelSpecs, LDAModel> {}

/**
 * A fitted LDA model: k topics over a vocabulary of V terms, each a Dirichlet with parameters
 * lambda (`topicsMatrix`, k x V, scikit-learn's `components_`). `transform` adds each document's
 * topic mixture; {@link logLikelihood} and {@link perplexity} give the variational bound on any
 * corpus, as scikit-learn's `score` and `perplexity` do.
 *
 * Saved as JSON: `{ "type": "lda", "params": {...}, "alpha": a, "eta": e, "topics": [[...V numbers], ...k rows],
 * "vocabulary": ["word", ...] (optional), "updates": n }`.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class LDAModel extends Transformer<LdaModelSpecs> {
  readonly type = 'lda';
  readonly k: number;
  readonly vocabularySize: number;
  readonly alpha: number;
  readonly eta: number;
  readonly vocabulary?: readonly string[];
  readonly updates: number;
  /** V x k word-major lambda (the layout the E-step reads). */
  private readonly lambda: Float64Array;
  private readonly expectations = new Map<boolean, EStepSettings['topics']>();

  /** `lambda` is word-major (V x k, `lambda[word * k + topic]`) and is not copied. */
  constructor(lambda: Float64Array, k: number, options: LdaModelOptions) {
    super(ldaModelParams, options.params);
    if (!Number.isInteger(k) || k < 1 || lambda.length % k !== 0) {
      throw new ParamError('k', k, `a divisor >= 1 of the ${lambda.length} topic weights`);
    }
    this.lambda = lambda;
    this.k = k;
    this.vocabularySize = lambda.length / k;
    this.alpha = options.alpha;
    this.eta = options.eta;
    this.vocabulary = options.vocabulary;
    this.updates = options.updates ?? 0;
  }

  /** k x V: lambda, each topic's Dirichlet parameters over the vocabulary (a copy). */
  get topicsMatrix(): DenseMatrix {
    const { k, vocabularySize: v } = this;
    const matrix = new DenseMatrix(k, v);
    for (let w = 0; w < v; w++) for (let t = 0; t < k; t++) matrix.data[t * v + w] = this.lambda[w * k + t];
    return matrix;
  }

  /** k x V: each topic's expected word probabilities (rows of lambda normalised to sum 1). */
  topicWordDistributions(): DenseMatrix {
    const matrix = this.topicsMatrix;
    const sums = topicSums(this.lambda, this.k);
    for (let t = 0; t < this.k; t++) {
      const row = matrix.row(t);
      for (let w = 0; w < row.length; w++) row[w] /= sums[t];
    }
    return matrix;
  }

  /** Each topic's `maxTerms` most probable terms, with their probabilities (ties: lower id first). */
  describeTopics(maxTerms = 10): TopicDescription[] {
    if (!Number.isInteger(maxTerms) || maxTerms < 1)
      throw new ParamError('maxTerms', maxTerms, 'an integer >= 1');
    const distributions = this.topicWordDistributions();
    const count = Math.min(maxTerms, this.vocabularySize);
    return Array.from({ length: this.k }, (_, topic) => {
      const row = distributions.row(topic);
      const order = Int32Array.from(row.keys()).sort((a, b) => row[b] - row[a] || a - b);
      const termIndices = order.slice(0, count);
      const termWeights = Float64Array.from(termIndices, (w) => row[w]);
      const terms = this.vocabulary ? Array.from(termIndices, (w) => this.vocabulary![w]) : undefined;
      return { topic, termIndices, termWeights, ...(terms ? { terms } : {}) };
    });
  }

  private settings(share: boolean): EStepSettings {
    let topics = this.expectations.get(share);
    if (topics === undefined) {
      topics = topicExpectations(this.lambda, this.k, share);
      this.expectations.set(share, topics);
    }
    return {
      k: this.k,
      alpha: this.alpha,
      maxDocumentIterations: this.get('maxDocumentIterations'),
      documentTolerance: this.get('documentTolerance'),
      topics,
    };
  }

  private checkCorpus(corpus: SparseRows): void {
    if (corpus.columns > this.vocabularySize) {
      throw new ParamError(
        'corpus',
        `a corpus of ${corpus.columns} terms`,
        `at most the model's ${this.vocabularySize} terms`,
      );
    }
  }

  /** The inference E-step over a corpus: gamma from ones, on `parallelism` threads. */
  private async infer(corpus: SparseRows, bound: boolean, pool?: WorkerPool): Promise<EStepResult> {
    this.checkCorpus(corpus);
    const parallelism = this.get('parallelism');
    const share = parallelism > 1;
    const request: EStepRequest = {
      corpus: share ? corpus.shared() : corpus,
      first: 0,
      documents: corpus.rows,
      gammaStart: null,
      statistics: false,
      bound,
    };
    return eStepParallel(request, this.settings(share), { parallelism, pool });
  }

  /** The same inference on the calling thread. */
  private inferHere(corpus: SparseRows): EStepResult {
    this.checkCorpus(corpus);
    const request = {
      corpus,
      first: 0,
      documents: corpus.rows,
      gammaStart: null,
      statistics: false,
      bound: false,
    };
    return eStepHere(request, this.settings(false));
  }

  /** Each document's topic mixture (documents x k, rows summing to 1), as scikit-learn's `transform`. */
  async topicDistributions(corpus: SparseRows, pool?: WorkerPool): Promise<DenseMatrix> {
    return normalisedRows((await this.infer(corpus, false, pool)).gamma, corpus.rows, this.k);
  }

  /**
   * The variational lower bound on log p(corpus) (scikit-learn's `score`, Spark's
   * `logLikelihood`): the documents' terms, from their inferred mixtures, plus the topics' term.
   */
  async logLikelihood(corpus: SparseRows, pool?: WorkerPool): Promise<number> {
    const { score } = await this.infer(corpus, true, pool);
    return score + topicBound(this.lambda, this.settings(false).topics.elogBeta, this.eta, this.k);
  }

  /** exp(-bound / tokens): scikit-learn's `perplexity` (Spark's `logPerplexity` is its log). */
  async perplexity(corpus: SparseRows, pool?: WorkerPool): Promise<number> {
    return Math.exp(-(await this.logLikelihood(corpus, pool)) / corpus.total());
  }

  /**
   * Held-out perplexity by document completion: each document's mixture is inferred from its
   * `observed` part, and the perplexity is that of its `heldOut` part under the mixture and the
   * topics' expected word probabilities: exp(-sum count log sum_t theta_t beta_tw / tokens).
   * Row i of both corpora is the same document.
   */
  async completionPerplexity(observed: SparseRows, heldOut: SparseRows, pool?: WorkerPool): Promise<number> {
    if (observed.rows !== heldOut.rows) {
      throw new ParamError(
        'heldOut',
        `${heldOut.rows} documents`,
        `${observed.rows}, one per observed document`,
      );
    }
    this.checkCorpus(heldOut);
    const theta = await this.topicDistributions(observed, pool);
    const beta = this.topicWordDistributions();
    const { k, vocabularySize: v } = this;
    let logSum = 0;
    for (let d = 0; d < heldOut.rows; d++) {
      for (let at = heldOut.offsets[d]; at < heldOut.offsets[d + 1]; at++) {
        const w = heldOut.indices[at];
        let p = 0;
        for (let t = 0; t < k; t++) p += theta.data[d * k + t] * beta.data[t * v + w];
        logSum += heldOut.values[at] * Math.log(p);
      }
    }
    return Math.exp(-logSum / heldOut.total());
  }

  transformTable(frame: Table): Table {
    const corpus = frameCorpus(frame, this.get('featuresCol'));
    const mixtures = normalisedRows(this.inferHere(corpus).gamma, corpus.rows, this.k);
    return frame.withTypedColumn(this.get('topicDistributionCol'), { kind: 'vector', values: mixtures });
  }

  protected stateJSON(): Record<string, unknown> {
    return {
      alpha: this.alpha,
      eta: this.eta,
      updates: this.updates,
      topics: this.topicsMatrix.toRows(),
      ...(this.vocabulary ? { vocabulary: [...this.vocabulary] } : {}),
    };
  }

  /** Reads a model from its JSON (see the class documentation for the format). */
  static fromJSON(json: unknown, source = '<json>'): LDAModel {
    const stage = checkStageJSON(json, source, 'lda');
    const params = paramsFromJSON(ldaModelParams, stage.params, 'lda').getAll();
    const topics = DenseMatrix.fromRows(jsonRows(stage, 'topics', source));
    const [alpha, eta] = jsonNumbers({ ...stage, priors: [stage.alpha, stage.eta] }, 'priors', source);
    const { rows: k, columns: v } = topics;
    if (!(alpha > 0 && eta > 0) || !topics.data.every((value) => value > 0)) {
      throw new InputError("'lda' model with a prior or topic weight that is not positive", {
        file: source,
        expected: 'alpha, eta and topics > 0',
      });
    }
    const vocabulary = stage.vocabulary;
    if (vocabulary !== undefined && (!Array.isArray(vocabulary) || vocabulary.length !== v)) {
      throw new InputError('\'lda\' model field "vocabulary" is not one word per term', {
        file: source,
        expected: `${v} strings`,
      });
    }
    const lambda = new Float64Array(k * v);
    for (let t = 0; t < k; t++) for (let w = 0; w < v; w++) lambda[w * k + t] = topics.data[t * v + w];
    return new LDAModel(lambda, k, {
      params,
      alpha,
      eta,
      vocabulary: vocabulary as string[] | undefined,
      updates: typeof stage.updates === 'number' ? stage.updates : 0,
    });
  }

  /** Loads a model saved with `save(path)`. */
  static async load(path: string): Promise<LDAModel> {
    return LDAModel.fromJSON(await readModelJSON(path), path);
  }
}

registerModelType('lda', LDAModel.fromJSON);

/** documents x k mixtures from gamma, each row divided by its sum. */
function normalisedRows(gamma: Float64Array, rows: number, k: number): DenseMatrix {
  const data = new Float64Array(rows * k);
  for (let d = 0; d < rows; d++) {
    let sum = 0;
    for (let t = 0; t < k; t++) sum += gamma[d * k + t];
    for (let t = 0; t < k; t++) data[d * k + t] = gamma[d * k + t] / sum;
  }
  return new DenseMatrix(rows, k, data);
}

/** The term counts of a frame's features column (sparse vectors, or dense ones), as sparse rows. */
export function frameCorpus(frame: Table, featuresCol: string): SparseRows {
  const index = frame.names.indexOf(featuresCol);
  const column = index < 0 ? undefined : frame.columns[index];
  let corpus: SparseRows;
  if (column?.kind === 'sparse') corpus = column.values;
  else {
    const { matrix } = extractFeatures(frame, featuresCol);
    corpus = SparseRows.fromDense(Array.from({ length: matrix.rows }, (_, i) => matrix.row(i)));
  }
  for (let at = 0; at < corpus.values.length; at++) {
    if (!(corpus.values[at] >= 0)) {
      throw new InputError(`negative or missing term count in column '${featuresCol}'`, {
        file: frame.source,
        text: String(corpus.values[at]),
        expected: 'counts >= 0',
      });
    }
  }
  return corpus;
}
