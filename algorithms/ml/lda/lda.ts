import { ParamError } from '../../../src/core/errors.js';
import { SparseRows } from '../../../src/core/sparse-rows.js';
import type { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { loadData, type MLData } from '../../../src/ml/data.js';
import {
  type FitInput,
  type FitSummary,
  fitStream,
  type ModelVersion,
  type OnlineFitOptions,
  type OnlineFitting,
} from '../../../src/ml/online.js';
import type { FluentParams, ParamValues } from '../../../src/ml/params.js';
import { Estimator } from '../../../src/ml/stage.js';
import type { JsonValue } from '../../../src/stream/events.js';
import type { Table } from '../../../src/table/table.js';
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
  private online?: OnlineState;

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
   * same topics at every parallelism and as {@link fitTable}.
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
  fitTable(frame: Table): LDAModel {
    const corpus = frameCorpus(frame, this.get('featuresCol'));
    this.checkCorpus(corpus);
    return this.modelOf(runStepsHere(this.passes(corpus, false)));
  }

  /** The online step of one mini-batch, starting the topics from the seed on the first. */
  private onlineSteps(batch: SparseRows, share: boolean, vocabulary?: readonly string[]): TrainingSteps {
    this.checkCorpus(batch, vocabulary ?? this.online?.vocabulary);
    if (this.online === undefined) {
      this.online = {
        state: initialTopics(this.get('k'), batch.columns, this.get('seed')),
        vocabulary,
        recordsSeen: 0,
      };
    } else if (batch.columns !== this.online.state.vocabularySize) {
      throw new ParamError(
        'batch',
        `${batch.columns} terms`,
        `the ${this.online.state.vocabularySize} terms of the first batch`,
      );
    }
    this.online.recordsSeen += batch.rows;
    const corpus = share ? batch.shared() : batch;
    const settings = this.trainingSettings(share);
    return onlineStep(this.online.state, corpus, 0, batch.rows, this.get('totalSamples'), settings);
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
    const parallelism = this.get('parallelism');
    await runSteps(this.onlineSteps(batch, parallelism > 1, options.vocabulary), {
      parallelism,
      pool: options.pool,
    });
    return this.modelOf(this.online!.state, this.online!.vocabulary);
  }

  /** {@link partialFit} on the calling thread, with the same result. */
  partialFitHere(batch: SparseRows, vocabulary?: readonly string[]): LDAModel {
    runStepsHere(this.onlineSteps(batch, false, vocabulary));
    return this.modelOf(this.online!.state, this.online!.vocabulary);
  }

  /**
   * Online LDA over a stream of sparse rows: they are cut into mini-batches of `batchSize` (the
   * last one may be smaller), each applied as {@link partialFitHere} (E-steps on the calling
   * thread); yields the model after each, as a version. `options.checkpoint` makes the fit
   * exactly-once across a crash and `resume`: the topics, the documents of a partial mini-batch
   * and the source position are checkpointed together (see the online bridge's fitStream).
   */
  fitStream(
    stream: FitInput<SparseRows>,
    options: OnlineFitOptions<ModelVersion<LDAModel>> & { vocabulary?: readonly string[] } = {},
  ): AsyncGenerator<ModelVersion<LDAModel>, FitSummary> {
    const batchSize = this.get('batchSize');
    let pending: SparseRows[] = [];
    let pendingRows = 0;
    const apply = (rows: SparseRows): ModelVersion<LDAModel> => {
      const model = this.partialFitHere(rows, options.vocabulary);
      const { state, recordsSeen } = this.online!;
      return { version: state.updates, recordsSeen, timestamp: Date.now(), model };
    };
    const fitting: OnlineFitting<SparseRows, ModelVersion<LDAModel>> = {
      parameters: this.getParams() as unknown as JsonValue,
      *add(rows) {
        pending.push(rows);
        pendingRows += rows.rows;
        while (pendingRows >= batchSize) {
          const all = SparseRows.concat(pending);
          yield apply(all.sliceRows(0, batchSize));
          pending = [all.sliceRows(batchSize, all.rows)];
          pendingRows -= batchSize;
        }
      },
      *end() {
        if (pendingRows > 0) yield apply(SparseRows.concat(pending));
        pending = [];
        pendingRows = 0;
      },
      snapshot: () => ({
        online: this.online === undefined ? null : onlineJSON(this.online),
        pending: pendingRows === 0 ? null : rowsJSON(SparseRows.concat(pending)),
      }),
      restore: (saved) => {
        const { online, pending: rows } = saved as { online: OnlineJSON | null; pending: RowsJSON | null };
        this.online = online === null ? undefined : onlineFromJSON(online);
        pending = rows === null ? [] : [rowsFromJSON(rows)];
        pendingRows = rows === null ? 0 : rows.offsets.length - 1;
      },
    };
    return fitStream(stream, fitting, options);
  }

  /**
   * The model of what partialFit and fitStream have learned so far (undefined before the first
   * mini-batch). A fitStream resumed from the checkpoint of a finished fit restores its topics
   * without yielding a version: this is where they are then.
   */
  get model(): LDAModel | undefined {
    return this.online === undefined ? undefined : this.modelOf(this.online.state, this.online.vocabulary);
  }

  /** Forgets what partialFit and fitStream learned. */
  resetOnline(): void {
    this.online = undefined;
  }
}

(LDA as { Model: typeof LDAModel }).Model = LDAModel;

/** What partialFit and fitStream carry from one mini-batch to the next. */
interface OnlineState {
  state: TopicState;
  vocabulary?: readonly string[];
  recordsSeen: number;
}

type OnlineJSON = {
  k: number;
  lambda: number[];
  updates: number;
  recordsSeen: number;
  vocabulary: string[] | null;
};

type RowsJSON = {
  columns: number;
  offsets: number[];
  indices: number[];
  values: number[];
};

function onlineJSON(online: OnlineState): OnlineJSON {
  return {
    k: online.state.k,
    lambda: Array.from(online.state.lambda),
    updates: online.state.updates,
    recordsSeen: online.recordsSeen,
    vocabulary: online.vocabulary ? [...online.vocabulary] : null,
  };
}

function onlineFromJSON(json: OnlineJSON): OnlineState {
  const lambda = Float64Array.from(json.lambda);
  return {
    state: { k: json.k, vocabularySize: lambda.length / json.k, lambda, updates: json.updates },
    vocabulary: json.vocabulary ?? undefined,
    recordsSeen: json.recordsSeen,
  };
}

function rowsJSON(rows: SparseRows): RowsJSON {
  return {
    columns: rows.columns,
    offsets: Array.from(rows.offsets),
    indices: Array.from(rows.indices),
    values: Array.from(rows.values),
  };
}

function rowsFromJSON(json: RowsJSON): SparseRows {
  return new SparseRows(
    json.columns,
    Int32Array.from(json.offsets),
    Int32Array.from(json.indices),
    Float64Array.from(json.values),
  );
}
