/**
 * The shape of a library estimator's passes over its data: a bulk iteration whose partial
 * solution is one model record, broadcast to a `mapPartition` kernel over fixed-size row
 * chunks; the kernel emits one partial result per chunk, and the partials are combined in
 * chunk order into the next model. The chunk layout is fixed by the data, not by the
 * parallelism (partitions hold contiguous runs of whole chunks), so the model is the same, bit
 * for bit, at every parallelism.
 *
 * The iteration runs as a DataSet plan ({@link modelIterationPlan}, `explain()` shows it): the
 * kernel on worker threads when it is exported and there is more than one partition. Callers
 * that must stay synchronous (an Estimator's `fitTable`, which pipelines call) run the same
 * supersteps with {@link runModelIterationHere}: the kernel over every chunk on the calling
 * thread, the same combination in the same order, hence the same model.
 */
import type { Progress } from '../core/progress.js';
import { chunkRanges } from './chunks.js';
import { TaskContext } from './context.js';
import type { DataSet } from './dataset.js';
import type { ExecutionEnvironment } from './environment.js';
import { callable, type ExportedFunction, type MapPartitionFunction } from './functions.js';

/**
 * Rows per chunk: small enough to balance the threads, large enough that a chunk's partial
 * result costs nothing beside its rows.
 */
export const CHUNK_ROWS = 4096;

/** The rows [start, end) of each chunk of a data set of `rows` rows: a layout fixed by the row count alone. */
export function rowChunks(rows: number): [number, number][] {
  return chunkRanges(rows, 1, CHUNK_ROWS)[0];
}

/** The broadcast set the kernel reads the model from: `context.broadcast<M>(MODEL_BROADCAST)[0]`. */
export const MODEL_BROADCAST = 'model';

/** A kernel's result for one chunk; `chunk` is the chunk's index in the fixed layout. */
export interface ChunkPartial {
  readonly chunk: number;
}

/** One estimator pass, repeated: what {@link modelIterationPlan} and {@link runModelIterationHere} run. */
export interface ModelIteration<C, M, P extends ChunkPartial> {
  /** Shown by explain(). */
  readonly name: string;
  /** The row chunks, in order (chunk i has index i); typed arrays in shared memory for workers. */
  readonly chunks: readonly C[];
  /** The first model. */
  readonly initial: M;
  /** The most supersteps. */
  readonly maxIterations: number;
  /** The per-chunk work: one partial per chunk of its partition, the model read from {@link MODEL_BROADCAST}. */
  readonly kernel: ExportedFunction<MapPartitionFunction<C, P>>;
  /** The next model from the last one and every chunk's partial, in chunk order (calling thread). */
  update(model: M, partials: readonly P[]): M;
  /** Whether the iteration stops at this model. */
  done(model: M): boolean;
}

function inChunkOrder<P extends ChunkPartial>(partials: readonly P[]): P[] {
  return [...partials].sort((a, b) => a.chunk - b.chunk);
}

/**
 * The iteration as a DataSet plan: chunks (a source of `environment`'s parallelism) ->
 * mapPartition(kernel) with the model broadcast -> reduceGroup combining the partials in chunk
 * order into the next model; it stops after `maxIterations` or when `done` holds.
 */
export function modelIterationPlan<C, M, P extends ChunkPartial>(
  environment: ExecutionEnvironment,
  iteration: ModelIteration<C, M, P>,
): DataSet<M> {
  const model = environment
    .fromCollection([iteration.initial])
    .setParallelism(1)
    .iterate(iteration.maxIterations, { name: iteration.name });
  const partials = environment
    .fromCollection(iteration.chunks)
    .name(`${iteration.chunks.length} row chunks`)
    .mapPartition(iteration.kernel)
    .withBroadcastSet(model, MODEL_BROADCAST);
  const next = partials
    .reduceGroup((ordered: readonly P[], context) => [
      iteration.update(context.broadcast<M>(MODEL_BROADCAST)[0], inChunkOrder(ordered)),
    ])
    .name('combine in chunk order')
    .withBroadcastSet(model, MODEL_BROADCAST);
  return model.closeWith(next, next.filter((candidate) => !iteration.done(candidate)).name('not done'));
}

/**
 * The same supersteps on the calling thread, synchronously: the kernel over all chunks as one
 * partition, the partials combined in chunk order. Gives the model the plan gives.
 */
export function runModelIterationHere<C, M, P extends ChunkPartial>(iteration: ModelIteration<C, M, P>): M {
  const kernel = callable(iteration.kernel);
  let model = iteration.initial;
  for (let superstep = 1; superstep <= iteration.maxIterations; superstep++) {
    const broadcasts = new Map([[MODEL_BROADCAST, [model]]]);
    const context = new TaskContext(0, 1, superstep, broadcasts, undefined, iteration.name);
    const partials = Array.from(kernel(iteration.chunks, context));
    model = iteration.update(model, inChunkOrder(partials));
    if (iteration.done(model)) break;
  }
  return model;
}

// biome-ignore lint/suspicious/noExplicitAny: a sequence mixes iterations of any chunk, model and partial types.
type AnyIteration = ModelIteration<any, any, any>;

/**
 * A fit written as a sequence of model iterations: a generator that yields each iteration
 * (through {@link iterationStep}) and gets back its last model, then returns the fit's result.
 * The same sequence runs on the engine ({@link runIterations}) or on the calling thread
 * ({@link runIterationsHere}), with the same result.
 */
// biome-ignore lint/suspicious/noExplicitAny: see AnyIteration.
export type IterationSequence<R> = Generator<AnyIteration, R, any>;

/** Yields one iteration of a sequence and returns its last model, typed. */
export function* iterationStep<C, M, P extends ChunkPartial>(
  iteration: ModelIteration<C, M, P>,
): Generator<AnyIteration, M, M> {
  return yield iteration;
}

/** Options of {@link runIterations}. */
export interface RunIterationsOptions {
  /** Where the explain() text of each plan goes. */
  plans?: string[];
  /**
   * Told of every superstep as it ends: the supersteps of all the sequence's iterations so far
   * (a count that never goes back), with the running iteration's name as the note.
   */
  progress?: Progress;
}

/** Runs every iteration of `fit` as a DataSet plan of `environment`. */
export async function runIterations<R>(
  environment: ExecutionEnvironment,
  fit: IterationSequence<R>,
  { plans, progress }: RunIterationsOptions = {},
): Promise<R> {
  const counted = countingSupersteps(progress);
  let step = fit.next();
  while (step.done !== true) {
    const plan = modelIterationPlan(environment, counted(step.value));
    plans?.push(plan.explain());
    const [model] = await plan.collect();
    step = fit.next(model);
  }
  progress?.finish();
  return step.value;
}

/**
 * The iterations of a sequence, each telling `progress` of its supersteps as they end: the
 * count goes on from one iteration to the next, with the running one's name as the note.
 */
function countingSupersteps(progress: Progress | undefined): (iteration: AnyIteration) => AnyIteration {
  let supersteps = 0;
  // The combining step runs on the calling thread once per superstep: where progress is counted.
  return (iteration) =>
    progress === undefined
      ? iteration
      : {
          ...iteration,
          update(model: unknown, partials: readonly ChunkPartial[]) {
            const next = iteration.update(model, partials);
            progress.update(++supersteps, iteration.name);
            return next;
          },
        };
}

/**
 * Runs every iteration of `fit` on the calling thread ({@link runModelIterationHere});
 * `progress` as for {@link runIterations}.
 */
export function runIterationsHere<R>(fit: IterationSequence<R>, { progress }: RunIterationsOptions = {}): R {
  const counted = countingSupersteps(progress);
  let step = fit.next();
  while (step.done !== true) step = fit.next(runModelIterationHere(counted(step.value)));
  progress?.finish();
  return step.value;
}

/** The explain() texts of the plans `run` makes {@link runIterations} add to its list. */
export async function explainRuns(run: (plans: string[]) => Promise<unknown>): Promise<string[]> {
  const plans: string[] = [];
  await run(plans);
  return plans;
}
