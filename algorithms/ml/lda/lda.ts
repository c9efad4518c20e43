import { ParamError } from '../../../src/core/errors.js';
import { SparseRows } from '../../../src/core/sparse-rows.js';
import type { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { loadData, type MLData } from '../../../src/ml/data.js';
import type { Frame } from '../../../src/ml/frame.js';
import type { ModelVersion } from '../../../src/ml/online.js';
import type { FluentParams, ParamValues } from '../../../src/ml/params.js';
import { Estimator } from '../../../src/ml/stage.js';
import { frameCorpus, LDAModel } from './model.js';
import { type LdaSpecs, ldaParams } from './params.js';
import {
  initialTopics,
  onlineStep,
  runSteps,
  runStepsHere,
  type TopicState,
  type TrainingSettings,
  type TrainingSteps,
  trainingPasses,
} from './training.js';

/** Options of {@link LDA.fitCorpus}. */
export interface LdaFitOptions {
  /** The word of every term id, kept by the model (describeTopics shows words). */
  vocabulary?: readonly string[];
  /** Called after each pass over the corpus (1-based), for progress. */
  onPass?: (pass: number) => void;
  /** The pool the E-steps' worker threads come from (default: the process-wide pool). */
  pool?: WorkerPool;
}

/** Flink ML's fluent setters and getters (`setK(20)`, `getK()`, ...), defined at run time by WithParams. */
export interface LDA extends FluentParams<LdaSpecs, LDA> {}

/**
 * Latent Dirichlet Allocation by variational Bayes (Spark ML's LDA, scikit-learn's
 * LatentDirichletAllocation): `learningMethod` 'online' (Hoffman, Blei and Bach 2010: mini-batches of
 * `batchSize` documents, step size (learningOffset + update)^-learningDecay) or 'batch'.
 * Documents are sparse rows of term counts ({@link SparseRows}, or a vector column `featuresCol`);
 * each E-step runs over chunks of documents on `parallelism` threads of the core driver, with
 * the same topics at every parallelism. `partialFit(batch)` applies one online update and
 * `fitStream(stream)` one per mini-batch of a stream.
 * @example
 * const corpus = SparseRows.fromEntries(4, [[[0, 2], [1, 1]], [[2, 3], [3, 1]]]);
 * const model = await new LDA({ k: 2, seed: 1 }).fit(corpus);
 * model.describeTopics(2);
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class LDA extends Estimator<LdaSpecs, LDAModel> {
  /** The model type this estimator fits. */
  static readonly Model: typeof LDAModel;
  /** What partialFit and fitStream have learned so far. */
  private online?: { state: TopicState; vocabulary?: readonly string[] };

  constructor(options: Partial<ParamValues<LdaSpecs>> = {}) {
    super(ldaParams, options);
  }

  private trainingSettings(share: boolean): TrainingSettings {
    const k = this.get('k');
    return {
      alpha: this.get('docConcentration') ?? 1 / k,
      eta: this.get('topicConcentration') ?? 1 / k,
      learningOffset: this.get('learningOffset'),
      learningDecay: this.get('learningDecay'),
      maxDocumentIterations: this.get('maxDocumentIterations'),
      documentTolerance: this.get('documentTolerance'),
      seed: this.get('seed'),
      share,
    };
  }

  private passes(
    corpus: SparseRows,
    share: boolean,
    onPass?: (pass: number) => void,
  ): TrainingSteps<TopicState> {
    const state = initialTopics(this.get('k'), corpus.columns, this.get('seed'));
    const settings = this.trainingSettings(share);
    const method = this.get('learningMethod');
    const batchSize = this.get('batchSize');
    const passes = trainingPasses(
      state,
      corpus,
      this.get('maxIterations'),
      method,
      batchSize,
      settings,
      onPass,
    );
    return (function* () {
      yield* passes;
      return state;
    })();
  }

  /** The model of a fit's topics, with this estimator's inference parameters. */
  private modelOf(state: TopicState, vocabulary?: readonly string[]): LDAModel {
    const settings = this.trainingSettings(false);
    return new LDAModel(state.lambda.slice(), state.k, {
      params: {
        featuresCol: this.get('featuresCol'),
        topicDistributionCol: this.get('topicDistributionCol'),
        maxDocumentIterations: this.get('maxDocumentIterations'),
        documentTolerance: this.get('documentTolerance'),
        parallelism: this.get('parallelism'),
      },
      alpha: settings.alpha,
      eta: settings.eta,
      vocabulary,
      updates: state.updates,
    });
  }

  private checkCorpus(corpus: SparseRows, vocabulary?: readonly string[]): void {
    if (corpus.rows === 0 || corpus.columns === 0) {
      throw new ParamError(
        'corpus',
        `${corpus.rows} documents of ${corpus.columns} terms`,
        'at least one document and one term',
      );
    }
    for (let i = 0; i < corpus.values.length; i++) {
      if (!(corpus.values[i] >= 0)) throw new ParamError('corpus', corpus.values[i], 'term counts >= 0');
    }
    if (vocabulary !== undefined && vocabulary.length !== corpus.columns) {
      throw new ParamError('vocabulary', `${vocabulary.length} words`, `one per term (${corpus.columns})`);
    }
  }

  /**
   * Fits the topics of a corpus: `maxIterations` passes, each E-step on the core driver. The
   * same topics at every parallelism and as {@link fitFrame}.
   */
  async fitCorpus(corpus: SparseRows, options: LdaFitOptions = {}): Promise<LDAModel> {
    this.checkCorpus(corpus, options.vocabulary);
    const parallelism = this.get('parallelism');
    const share = parallelism > 1;
    const steps = this.passes(share ? corpus.shared() : corpus, share, options.onPass);
    const state = await runSteps(steps, { parallelism, pool: options.pool });
    return this.modelOf(state, options.vocabulary);
  }

  /** Fits sparse rows, or the `featuresCol` vectors of tabular data, on the core driver. */
  override async fit(data: SparseRows | MLData): Promise<LDAModel> {
    if (data instanceof SparseRows) return this.fitCorpus(data);
    return this.fitCorpus(frameCorpus(await loadData(data), this.get('featuresCol')));
  }

  /** Fits on the calling thread (what pipelines call): the topics {@link fitCorpus} gives. */
  fitFrame(frame: Frame): LDAModel {
    const corpus = frameCorpus(frame, this.get('featuresCol'));
    this.checkCorpus(corpus);
    return this.modelOf(runStepsHere(this.passes(corpus, false)));
  }

  /**
   * One online update from a mini-batch, the learned topics kept for the next call (the first
   * call starts them from the seed). The batch counts as `batch.rows` of `totalSamples`
   * documents, as scikit-learn's `partial_fit`. Returns the model so far.
   */
  async partialFit(
    batch: SparseRows,
    options: Pick<LdaFitOptions, 'vocabulary' | 'pool'> = {},
  ): Promise<LDAModel> {
    this.checkCorpus(batch, options.vocabulary ?? this.online?.vocabulary);
    if (this.online === undefined) {
      this.online = {
        state: initialTopics(this.get('k'), batch.columns, this.get('seed')),
        vocabulary: options.vocabulary,
      };
    } else if (batch.columns !== this.online.state.vocabularySize) {
      throw new ParamError(
        'batch',
        `${batch.columns} terms`,
        `the ${this.online.state.vocabularySize} terms of the first batch`,
      );
    }
    const parallelism = this.get('parallelism');
    const share = parallelism > 1;
    const { state } = this.online;
    const corpus = share ? batch.shared() : batch;
    const step = onlineStep(
      state,
      corpus,
      0,
      batch.rows,
      this.get('totalSamples'),
      this.trainingSettings(share),
    );
    await runSteps(step, { parallelism, pool: options.pool });
    return this.modelOf(state, this.online.vocabulary);
  }

  /**
   * Online LDA over a stream of documents: the stream's sparse rows are cut into mini-batches of
   * `batchSize` (the last one may be smaller), each applied with {@link partialFit}; yields the
   * model after each, as a version.
   */
  async *fitStream(
    stream: AsyncIterable<SparseRows> | Iterable<SparseRows>,
    options: Pick<LdaFitOptions, 'vocabulary' | 'pool'> = {},
  ): AsyncGenerator<ModelVersion<LDAModel>> {
    const batchSize = this.get('batchSize');
    let pending: SparseRows[] = [];
    let pendingRows = 0;
    let seen = 0;
    let version = 0;
    const apply = async (rows: SparseRows): Promise<ModelVersion<LDAModel>> => {
      const model = await this.partialFit(rows, options);
      seen += rows.rows;
      return { version: ++version, recordsSeen: seen, timestamp: Date.now(), model };
    };
    for await (const rows of stream) {
      pending.push(rows);
      pendingRows += rows.rows;
      while (pendingRows >= batchSize) {
        const all = SparseRows.concat(pending);
        yield await apply(all.sliceRows(0, batchSize));
        pending = [all.sliceRows(batchSize, all.rows)];
        pendingRows -= batchSize;
      }
    }
    if (pendingRows > 0) yield await apply(SparseRows.concat(pending));
  }

  /** Forgets what partialFit and fitStream learned. */
  resetOnline(): void {
    this.online = undefined;
  }
}

(LDA as { Model: typeof LDAModel }).Model = LDAModel;
