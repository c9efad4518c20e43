/**
 * The typed-combiner path of the gather-sum-apply model: for numeric programs whose gather is
 * "the neighbour's message, times the edge's weight when there are weights" and whose sum is a
 * built-in combiner (sum, min, max). Vertex values and messages live in Float64Arrays; every
 * superstep combines each vertex's in-edge messages over the CSR in-edge index and runs the
 * program's apply function over vertex ranges, on this thread and `parallelism - 1` workers of
 * the core driver. Every vertex is applied in every superstep (bulk, as PageRank needs); the
 * run stops after `maxIterations` or when the convergence criterion holds for an aggregator.
 *
 * The ranges (chunks) are fixed by the graph, never by the parallelism, and partial aggregates
 * are combined in chunk order, so the values are bit-identical at every parallelism. Apply
 * functions cross threads by name: give them as `exported(fn, import.meta.url)` (a plain
 * function runs on this thread only). PageRank and HITS are programs on this path. The
 * unweighted sum runs in WebAssembly (wasm-sum.ts: the same bits, half the time), the other
 * combiners in JavaScript.
 *
 * A superstep can be more than one combination: a program may `finish` each step once the
 * step's aggregates are combined (normalising by a global norm, say), and may add further
 * `steps`, each over an edge index of its own and with values of its own, that run in order
 * and combine the messages of the step before (HITS: authorities over the in-edges, then hubs
 * over the out-edges, each L2-normalised by its finish).
 */
import { ParamError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import { float64Array, shared } from '../../core/shared-memory.js';
import {
  type Kernel,
  runChunks,
  segmentBytes,
  type Threads,
  threadCount,
} from '../../core/threads/driver.js';
import type { ConvergenceCriterion } from '../../dataset/aggregators.js';
import type { ExportedFunction, UserFunction } from '../../dataset/functions.js';
import type { EdgeOffsets } from '../csr.js';
import type { Graph } from '../graph.js';
import { type EdgeSegments, sharedSegments } from '../in-edge-index.js';
import type { VertexKey } from '../vertex-dictionary.js';
import { splitByEdges } from '../vertex-ranges.js';
import type { IterationResult } from './options.js';
import {
  combinerIdentity,
  mapChunk,
  superstepChunk,
  type TypedCombiner,
  type TypedVertexFunction,
} from './typed-superstep.js';
import { loadMessages, type SumArena, sumArenas } from './wasm-sum.js';

export type { TypedCombiner, TypedVertexFunction, TypedVertexRange } from './typed-superstep.js';

/**
 * A further step of every superstep of a typed program ({@link TypedGatherSumApplyProgram.steps}):
 * it combines the messages the step before it wrote over one of the run's edge indexes, and
 * keeps values of its own (`range.values` / `next` are the step's).
 */
export interface TypedStep {
  /** Which of the run's edge indexes the step combines over (0 is the first step's). */
  edges: number;
  /** How the messages of a vertex's edges in that index are combined. */
  combiner: TypedCombiner;
  /** As the program's `apply`, for this step's values. */
  apply: UserFunction<TypedVertexFunction>;
  /** As the program's `finish`, for this step's values. */
  finish?: UserFunction<TypedVertexFunction>;
}

/** A program on the typed path. */
export interface TypedGatherSumApplyProgram {
  /** How the messages of a vertex's in-edges are combined (Gelly's SumFunction). */
  combiner: TypedCombiner;
  /**
   * Runs over a range of vertices in every superstep: turns each vertex's combined messages
   * (in `next`) into its new value, writes the message it sends next and its part of the
   * aggregators. `exported(fn, import.meta.url)` to run on worker threads.
   */
  apply: UserFunction<TypedVertexFunction>;
  /**
   * Runs over every range after `apply`, once the aggregates of all ranges' applies are
   * combined (`range.aggregates`): may rewrite the new values (`next`) and the messages of its
   * range (divide by a norm the apply aggregated) and write aggregators of its own.
   */
  finish?: UserFunction<TypedVertexFunction>;
  /**
   * Further steps of every superstep, run in order after `apply` (and `finish`). Each step's
   * values start as the initial values; the result's `stepValues` holds them all.
   */
  steps?: readonly TypedStep[];
  /**
   * Runs once before superstep 1 over the initial values: writes each vertex's first message
   * and the aggregators superstep 1 reads (default: the message is the value).
   */
  scatter?: UserFunction<TypedVertexFunction>;
  /** Aggregators by name, each combined by sum, min or max; kernels see them in this order. */
  aggregators?: Record<string, TypedCombiner>;
}

/** The in-edges a typed program combines over (a CSR's `inEdges()`, or an in-edge index). */
export interface TypedInEdges {
  /** Vertex `v`'s in-edges are positions `offsets[v] .. offsets[v + 1] - 1`. */
  readonly offsets: EdgeOffsets;
  /**
   * The source of each in-edge: one array, or segments of consecutive vertices (an in-edge
   * index larger than the driver's largest segment, 8 GiB).
   */
  readonly sources: Int32Array | EdgeSegments<Int32Array>;
  /**
   * Each in-edge's weight, by which its message is multiplied (in the segments of `sources`);
   * none: messages as sent.
   */
  readonly weights?: Float64Array | EdgeSegments<Float64Array> | null;
}

/** Options of {@link runTypedGatherSumApply}. */
export interface TypedGatherSumApplyOptions extends Threads {
  /** A name, shown in errors. */
  name?: string;
  /** The most supersteps to run. */
  maxIterations: number;
  /** Stop after the first superstep whose value of `aggregator` satisfies `criterion`. */
  convergence?: { aggregator: string; criterion: ConvergenceCriterion<number> };
  /** Read-only per-vertex arrays the apply and scatter functions read (`range.arrays`). */
  arrays?: readonly Float64Array[];
  /** Numbers the apply and scatter functions read (`range.parameters`). */
  parameters?: readonly number[];
  /** Told the supersteps done after each one. */
  progress?: Progress;
}

/** What a typed run returns. */
export interface TypedIterationResult {
  /** The final value of every vertex. */
  values: Float64Array;
  /** Supersteps run. */
  iterations: number;
  /** Whether the convergence criterion stopped it. */
  converged: boolean;
  /** Every aggregator's value after the last superstep. */
  aggregates: Record<string, number>;
  /** The final values of every step, in order: the first is `values`. */
  stepValues: Float64Array[];
}

/** Graphs with fewer in-edges than this run in this thread: a superstep is cheaper than a message. */
export const PARALLEL_EDGE_MINIMUM = 1 << 16;

/** Vertex ranges a superstep is cut into, whatever the parallelism (fewer on small graphs). */
const CHUNKS = 64;

/** Each vertex costs about as much as this many in-edges (its apply and its message). */
const VERTEX_COST = 2;

// Workers load the chunk kernels from the same tree as this module: .js in dist, .ts under tsx.
const kernelModule = new URL(
  `./typed-superstep${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * Runs a typed gather-sum-apply program on this thread from `initialValues` (left unchanged).
 * `inEdges` is the edge index the program combines over, or a list of them, one for each
 * {@link TypedStep.edges} (the first is the first step's; chunks are cut by its edges).
 * @example
 * // Labels that fall to the smallest label among in-neighbours, until none changes.
 * const { values } = runTypedGatherSumApply(csr.inEdges(), labels, {
 *   combiner: 'min',
 *   aggregators: { changes: 'sum' },
 *   apply({ start, end, values, next, messages, partial }) {
 *     for (let v = start; v < end; v++) {
 *       const value = next[v] < values[v] ? next[v] : values[v];
 *       if (value !== values[v]) partial[0]++;
 *       next[v] = messages[v] = value;
 *     }
 *   },
 * }, { maxIterations: 100, convergence: { aggregator: 'changes', criterion: (c) => c === 0 } });
 */
export function runTypedGatherSumApply(
  inEdges: TypedInEdges | readonly TypedInEdges[],
  initialValues: Float64Array,
  program: TypedGatherSumApplyProgram,
  options: TypedGatherSumApplyOptions & { parallelism?: undefined },
): TypedIterationResult;
/**
 * The same on this thread and `parallelism - 1` workers (apply and scatter given as exported
 * functions): bit-identical values at every parallelism.
 */
export function runTypedGatherSumApply(
  inEdges: TypedInEdges | readonly TypedInEdges[],
  initialValues: Float64Array,
  program: TypedGatherSumApplyProgram,
  options: TypedGatherSumApplyOptions & { parallelism: number },
): Promise<TypedIterationResult>;
export function runTypedGatherSumApply(
  inEdges: TypedInEdges | readonly TypedInEdges[],
  initialValues: Float64Array,
  program: TypedGatherSumApplyProgram,
  options: TypedGatherSumApplyOptions,
): TypedIterationResult | Promise<TypedIterationResult> {
  const run = (share: boolean) => typedSupersteps(inEdges, initialValues, program, options, share);
  if (options.parallelism === undefined) return runHere(run(false));
  return (async () => {
    const indexes = edgeIndexes(inEdges);
    const edges = indexes.reduce((sum, index) => sum + index.offsets[index.offsets.length - 1], 0);
    const count = typedThreads(edges, options);
    return count === 1 ? runHere(run(false)) : runOnThreads(run(true), options);
  })();
}

/**
 * {@link runTypedGatherSumApply} over a graph: its numeric vertex values are the initial values,
 * its CSR's in-edge index edge index 0 and its out-edges index 1 (for {@link TypedStep.edges}),
 * its numeric edge values (when it has them) the weights messages are multiplied by. Returns
 * the graph with the final values (of the first step), as the other models do.
 */
export function runTypedGatherSumApplyIteration<K extends VertexKey, EV>(
  graph: Graph<K, number, EV>,
  program: TypedGatherSumApplyProgram,
  options: TypedGatherSumApplyOptions & { parallelism?: undefined },
): IterationResult<K, number, EV>;
/** The same on this thread and `parallelism - 1` workers: bit-identical values. */
export function runTypedGatherSumApplyIteration<K extends VertexKey, EV>(
  graph: Graph<K, number, EV>,
  program: TypedGatherSumApplyProgram,
  options: TypedGatherSumApplyOptions & { parallelism: number },
): Promise<IterationResult<K, number, EV>>;
export function runTypedGatherSumApplyIteration<K extends VertexKey, EV>(
  graph: Graph<K, number, EV>,
  program: TypedGatherSumApplyProgram,
  options: TypedGatherSumApplyOptions,
): IterationResult<K, number, EV> | Promise<IterationResult<K, number, EV>> {
  const initial = graph.numericVertexValues();
  if (initial === undefined) {
    throw new ParamError(
      'vertex values',
      'non-numeric values',
      'numbers (the typed path holds them in a Float64Array)',
    );
  }
  const { csr } = graph;
  const { offsets, sources, edgePositions } = csr.inEdges();
  const weights = csr.weights;
  const inEdges = [
    {
      offsets,
      sources,
      weights:
        weights === undefined ? null : Float64Array.from(edgePositions, (position) => weights[position]),
    },
    { offsets: csr.offsets, sources: csr.targets, weights: weights ?? null },
  ];
  const result = (run: TypedIterationResult): IterationResult<K, number, EV> => ({
    graph: graph.withVertexValueStore(run.values),
    iterations: run.iterations,
    converged: run.converged,
    aggregates: run.aggregates,
  });
  if (options.parallelism === undefined) {
    return result(runTypedGatherSumApply(inEdges, initial, program, { ...options, parallelism: undefined }));
  }
  return runTypedGatherSumApply(inEdges, initial, program, {
    ...options,
    parallelism: options.parallelism,
  }).then(result);
}

/** How many threads a typed run over `inEdges` uses (1 below {@link PARALLEL_EDGE_MINIMUM} in-edges). */
export function typedThreads(edgeCount: number, threads: Threads): number {
  return edgeCount < PARALLEL_EDGE_MINIMUM ? 1 : threadCount(threads, CHUNKS);
}

/** One phase of a run, for the caller to run over every chunk. */
interface Phase {
  /** A step's combination and apply, or a phase that only runs its function (scatter, finish). */
  kind: 'map' | 'superstep';
  /** The program's function it runs, for errors. */
  role: 'scatter' | 'apply' | 'finish';
  fn: UserFunction<TypedVertexFunction>;
  /** The chunk kernel's arguments after the function, before the chunk. */
  args: unknown[];
  chunks: number;
}

/**
 * The in-edge arrays as segments (one when given as arrays), in shared memory for worker
 * threads when `share`: segments below the driver's largest segment, with the weights
 * cut where the sources are.
 */
function segmentsFor(
  inEdges: TypedInEdges,
  offsets: EdgeOffsets,
  share: boolean,
  threads: Threads,
): { sources: EdgeSegments<Int32Array>; weights: EdgeSegments<Float64Array> | null } {
  const whole = Int32Array.of(0, offsets.length - 1);
  const asSegments = <A extends Int32Array | Float64Array>(array: A | EdgeSegments<A>): EdgeSegments<A> =>
    ArrayBuffer.isView(array) ? { bounds: whole, arrays: [array] } : array;
  let sources = asSegments(inEdges.sources);
  let weights = inEdges.weights == null ? null : asSegments(inEdges.weights);
  if (share) {
    const maxEdges = Math.floor(segmentBytes(threads) / (weights === null ? 4 : 8));
    sources = sharedSegments(offsets, sources, maxEdges);
    weights = weights === null ? null : sharedSegments(offsets, weights, maxEdges);
  }
  const bounds = sources.bounds;
  if (weights?.bounds.some((bound, s) => bound !== bounds[s])) {
    throw new ParamError('weights', 'segments of other vertices', 'the segments of the sources');
  }
  return { sources, weights };
}

/**
 * The run as a generator: it checks the program and options, allocates the arrays (shared
 * memory when `share`), yields each phase to be run over every chunk, combines the aggregates
 * in chunk order and decides when to stop. One body for this thread and for workers.
 */
function* typedSupersteps(
  inEdges: TypedInEdges | readonly TypedInEdges[],
  initialValues: Float64Array,
  program: TypedGatherSumApplyProgram,
  options: TypedGatherSumApplyOptions,
  share: boolean,
): Generator<Phase, TypedIterationResult, void> {
  const indexes = edgeIndexes(inEdges);
  const { steps, names, kinds, maxIterations, criterion } = checkProgram(
    indexes,
    initialValues,
    program,
    options,
  );
  const n = initialValues.length;
  const offsets = indexes.map((index) => (share ? shared(index.offsets) : index.offsets));
  const segments = indexes.map((index, i) => segmentsFor(index, offsets[i], share, options));
  // The unweighted sums run in WebAssembly where each segment's arena fits a memory.
  const arenasOf = new Map<number, SumArena[] | null>();
  const arenas = steps.map((step) => {
    const { sources, weights } = segments[step.edges];
    if (step.combiner !== 'sum' || weights !== null) return null;
    if (!arenasOf.has(step.edges)) {
      arenasOf.set(step.edges, sumArenas(offsets[step.edges], sources, n) ?? null);
    }
    return arenasOf.get(step.edges)!;
  });
  const arrays = (options.arrays ?? []).map((array) => (share ? shared(array) : array));
  const parameters = [...(options.parameters ?? [])];
  const bounds = splitByEdges(offsets[0], Math.max(1, Math.min(CHUNKS, n)), VERTEX_COST);
  const chunks = bounds.length - 1;
  const count = kinds.length;
  // Each step's current and next values.
  const values = steps.map(() => {
    const array = float64Array(n, share);
    array.set(initialValues);
    return array;
  });
  const next = steps.map(() => float64Array(n, share));
  let messages = float64Array(n, share);
  let nextMessages = float64Array(n, share);
  const partials = float64Array(chunks * count, share);
  const aggregates = new Float64Array(count);
  const resetPartials = () => {
    for (let a = 0; a < count; a++) {
      const identity = combinerIdentity(kinds[a]);
      for (let c = 0; c < chunks; c++) partials[c * count + a] = identity;
    }
  };
  const combinePartials = () => {
    for (let a = 0; a < count; a++) aggregates[a] = foldInChunkOrder(kinds[a], partials, a, count, chunks);
  };
  const map = (role: Phase['role'], fn: UserFunction<TypedVertexFunction>, args: unknown[]): Phase => ({
    kind: 'map',
    role,
    fn,
    args,
    chunks,
  });
  resetPartials();
  if (program.scatter === undefined) messages.set(values[0]);
  else {
    const zeros = new Float64Array(count);
    yield map('scatter', program.scatter, [
      values[0],
      values[0],
      messages,
      arrays,
      parameters,
      zeros,
      partials,
      bounds,
      0,
    ]);
  }
  combinePartials();
  const convergenceIndex = names.indexOf(options.convergence?.aggregator ?? '');
  let superstep = 0;
  let converged = false;
  while (!converged && superstep < maxIterations) {
    superstep++;
    const previous = aggregates.slice();
    resetPartials();
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s];
      const { sources, weights } = segments[step.edges];
      const stepArenas = arenas[s];
      if (stepArenas !== null) loadMessages(stepArenas, messages);
      yield {
        kind: 'superstep',
        role: 'apply',
        fn: step.apply,
        args: [
          step.combiner,
          offsets[step.edges],
          sources.arrays,
          weights === null ? null : weights.arrays,
          arenas[s],
          sources.bounds,
          messages,
          values[s],
          next[s],
          nextMessages,
          arrays,
          parameters,
          s === 0 ? previous : aggregates.slice(),
          partials,
          bounds,
          superstep,
        ],
        chunks,
      };
      combinePartials();
      if (step.finish !== undefined) {
        yield map('finish', step.finish, [
          values[s],
          next[s],
          nextMessages,
          arrays,
          parameters,
          aggregates.slice(),
          partials,
          bounds,
          superstep,
        ]);
        combinePartials();
      }
      [values[s], next[s]] = [next[s], values[s]];
      [messages, nextMessages] = [nextMessages, messages];
    }
    options.progress?.update(superstep, `superstep ${superstep}`);
    converged = criterion?.(aggregates[convergenceIndex], superstep) === true;
  }
  options.progress?.finish();
  const result: Record<string, number> = {};
  for (let a = 0; a < count; a++) result[names[a]] = aggregates[a];
  return { values: values[0], iterations: superstep, converged, aggregates: result, stepValues: values };
}

/** The run's edge indexes as a list. */
function edgeIndexes(inEdges: TypedInEdges | readonly TypedInEdges[]): readonly TypedInEdges[] {
  return 'offsets' in inEdges ? [inEdges] : inEdges;
}

function checkProgram(
  indexes: readonly TypedInEdges[],
  initialValues: Float64Array,
  program: TypedGatherSumApplyProgram,
  options: TypedGatherSumApplyOptions,
) {
  const name = options.name ?? 'iteration';
  const steps: TypedStep[] = [
    { edges: 0, combiner: program.combiner, apply: program.apply, finish: program.finish },
    ...(program.steps ?? []),
  ];
  steps.forEach((step, s) => {
    const at = s === 0 ? '' : `steps[${s - 1}].`;
    const combiner = step.combiner;
    if (combiner !== 'sum' && combiner !== 'min' && combiner !== 'max') {
      throw new ParamError(`${at}combiner`, combiner, "'sum', 'min' or 'max'");
    }
    if (step.apply === undefined)
      throw new ParamError(`${at}apply`, undefined, 'a function over a vertex range');
    if (!Number.isInteger(step.edges) || step.edges < 0 || step.edges >= indexes.length) {
      throw new ParamError(
        `${at}edges`,
        step.edges,
        `the index of one of the run's ${indexes.length} edge indexes`,
      );
    }
  });
  const maxIterations = options.maxIterations;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new ParamError('maxIterations', maxIterations, 'an integer >= 1');
  }
  const n = initialValues.length;
  for (const inEdges of indexes) {
    if (inEdges.offsets.length !== n + 1) {
      throw new ParamError(
        'initialValues',
        `${n} values`,
        `one per vertex of ${name}'s in-edge index (${inEdges.offsets.length - 1})`,
      );
    }
    const edges = inEdges.offsets[n] ?? 0;
    const lengths = (array: Int32Array | Float64Array | EdgeSegments<Int32Array | Float64Array>) =>
      ArrayBuffer.isView(array) ? array.length : array.arrays.reduce((sum, part) => sum + part.length, 0);
    if (lengths(inEdges.sources) !== edges) {
      throw new ParamError('sources', `${lengths(inEdges.sources)} sources`, `one per in-edge (${edges})`);
    }
    if (inEdges.weights != null && lengths(inEdges.weights) !== edges) {
      throw new ParamError('weights', `${lengths(inEdges.weights)} weights`, `one per in-edge (${edges})`);
    }
  }
  for (const array of options.arrays ?? []) {
    if (!(array instanceof Float64Array) || array.length !== n) {
      throw new ParamError('arrays', array, `Float64Arrays of one value per vertex (${n})`);
    }
  }
  const names = Object.keys(program.aggregators ?? {});
  const kinds = names.map((key) => {
    const kind = program.aggregators![key];
    if (kind !== 'sum' && kind !== 'min' && kind !== 'max') {
      throw new ParamError(`aggregators.${key}`, kind, "'sum', 'min' or 'max'");
    }
    return kind;
  });
  const convergence = options.convergence;
  if (convergence !== undefined && !names.includes(convergence.aggregator)) {
    throw new ParamError(
      'convergence.aggregator',
      convergence.aggregator,
      `an aggregator of the program (${names.join(', ') || 'none'})`,
    );
  }
  return { steps, names, kinds, maxIterations, criterion: convergence?.criterion };
}

/** Aggregator `a`'s partials folded in chunk order (the same bits at any parallelism). */
function foldInChunkOrder(
  kind: TypedCombiner,
  partials: Float64Array,
  a: number,
  count: number,
  chunks: number,
): number {
  let value = combinerIdentity(kind);
  for (let c = 0; c < chunks; c++) {
    const partial = partials[c * count + a];
    if (kind === 'sum') value += partial;
    else if (kind === 'min') value = partial < value ? partial : value;
    else value = partial > value ? partial : value;
  }
  return value;
}

function callable(fn: UserFunction<TypedVertexFunction>): TypedVertexFunction {
  return typeof fn === 'function' ? fn : fn.fn;
}

/** The chunk kernel of a phase, its function given. */
function chunkKernelOf(kind: Phase['kind']): (fn: TypedVertexFunction, ...rest: unknown[]) => void {
  return (kind === 'map' ? mapChunk : superstepChunk) as (
    fn: TypedVertexFunction,
    ...rest: unknown[]
  ) => void;
}

/** Runs every phase on this thread, chunk by chunk. */
function runHere(run: Generator<Phase, TypedIterationResult, void>): TypedIterationResult {
  let step = run.next();
  while (step.done !== true) {
    const { kind, fn, args, chunks } = step.value;
    const local = callable(fn);
    const chunkKernel = chunkKernelOf(kind);
    for (let chunk = 0; chunk < chunks; chunk++) chunkKernel(local, ...args, chunk);
    step = run.next();
  }
  return step.value;
}

/** Runs every phase over the chunks on this thread and the workers, through the core driver. */
async function runOnThreads(
  run: Generator<Phase, TypedIterationResult, void>,
  threads: Threads,
): Promise<TypedIterationResult> {
  let step = run.next();
  while (step.done !== true) {
    const { kind, role, fn, args, chunks } = step.value;
    if (typeof fn === 'function') {
      throw new ParamError(
        role,
        fn.name || 'a plain function',
        'an exported function (exported(fn, import.meta.url)) to run on worker threads',
      );
    }
    const exported = fn as ExportedFunction<TypedVertexFunction>;
    const local = exported.fn;
    const chunkKernel = chunkKernelOf(kind);
    const kernel: Kernel = {
      module: kernelModule,
      exportName: kind === 'map' ? 'mapChunkByName' : 'superstepChunkByName',
      // This thread runs the function it was given, not a second copy imported by URL.
      local: (_module: string, _name: string, ...rest: unknown[]) => chunkKernel(local, ...rest),
    };
    await runChunks(kernel, [exported.module, exported.exportName, ...args], chunks, threads);
    step = run.next();
  }
  return step.value;
}
