/**
 * The execution environment: the parallelism and worker threads a job uses, and the
 * sources that start a plan. `env({ parallelism: 4 }).fromCollection([...])`.
 */
import { availableParallelism } from 'node:os';
import type { NumericArray } from '../core/arrow.js';
import type { CsvRecord } from '../core/csv.js';
import { ParamError } from '../core/errors.js';
import type { DenseMatrix } from '../core/matrix.js';
import { sharedWorkerPool, type WorkerPool } from '../core/threads/worker-pool.js';
import {
  type ChunkOptions,
  type ColumnChunk,
  columnChunks,
  type MatrixChunk,
  matrixChunks,
} from './chunks.js';
import { checkCount, DataSet } from './dataset.js';
import type { ExportedFunction } from './functions.js';
import { createNode, type Partitions, type PlanNode } from './plan.js';
import { Executor, type JobReport, partitionTaskUrl } from './runtime/executor.js';
import { splitEvenly } from './runtime/partitioning.js';
import { type ReadCsvOptions, readArrowRecords, readCsvRecords } from './sources.js';

/** Options of {@link env}. */
export interface EnvironmentOptions {
  /** Number of partitions of sources and shuffles (default: the number of cores). */
  parallelism?: number;
  /** Whether exported functions run on worker threads (default true). */
  workers?: boolean;
  /** The worker pool to use (default: the process-wide one). */
  pool?: WorkerPool;
}

const loadModulesUrl = new URL(
  `./runtime/load-modules.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
  import.meta.url,
).href;

/** Where DataSet plans start and run. */
export class ExecutionEnvironment {
  /** Default number of partitions. */
  readonly parallelism: number;
  /** Whether exported functions may run on worker threads. */
  readonly workers: boolean;
  /** What the last job run in this environment reported (its iterations). */
  lastJob: JobReport | undefined;
  private readonly pool: WorkerPool | undefined;

  constructor(options: EnvironmentOptions = {}) {
    const parallelism = options.parallelism ?? availableParallelism();
    checkCount('parallelism', parallelism, 1);
    if (options.workers !== undefined && typeof options.workers !== 'boolean') {
      throw new ParamError('workers', options.workers, 'true or false');
    }
    this.parallelism = parallelism;
    this.workers = options.workers ?? true;
    this.pool = options.pool;
  }

  private source<T>(
    operation: string,
    detail: string,
    load: () => Partitions | Promise<Partitions>,
  ): DataSet<T> {
    return new DataSet<T>(
      this,
      createNode({
        kind: 'source',
        operation,
        detail,
        inputs: [],
        parallelism: this.parallelism,
        evaluate: load,
      }),
    );
  }

  /** A data set of the given records (copied when the plan is built), split into contiguous partitions. */
  fromCollection<T>(records: Iterable<T>): DataSet<T> {
    const copy = Array.from(records);
    const node = createNode({
      kind: 'source',
      operation: 'fromCollection',
      detail: `${copy.length} records`,
      inputs: [],
      parallelism: this.parallelism,
      evaluate: (_inputs, runtime) => splitEvenly(copy, runtime.parallelism),
    });
    return new DataSet<T>(this, node);
  }

  /** The integers from `from` to `to`, both included. */
  generateSequence(from: number, to: number): DataSet<number> {
    if (!Number.isSafeInteger(from)) throw new ParamError('from', from, 'a safe integer');
    if (!Number.isSafeInteger(to) || to < from - 1)
      throw new ParamError('to', to, `a safe integer >= ${from - 1}`);
    const node = createNode({
      kind: 'source',
      operation: 'generateSequence',
      detail: `${from}..${to}`,
      inputs: [],
      parallelism: this.parallelism,
      evaluate: (_inputs, runtime) =>
        splitEvenly(
          Array.from({ length: to - from + 1 }, (_, i) => from + i),
          runtime.parallelism,
        ),
    });
    return new DataSet<number>(this, node);
  }

  /**
   * A matrix as chunks of contiguous rows (one chunk per partition unless `chunkRows` is
   * given). With worker threads enabled and parallelism > 1 the data is copied once into a
   * SharedArrayBuffer so workers read it without copies.
   */
  fromMatrix(matrix: DenseMatrix, options: ChunkOptions = {}): DataSet<MatrixChunk> {
    return this.source<MatrixChunk>('fromMatrix', `${matrix.rows} x ${matrix.columns}`, () =>
      matrixChunks(matrix, this.parallelism, options, this.sharesMemory()),
    );
  }

  /** Equal-length typed arrays (columns) as chunks of contiguous rows, shared like {@link fromMatrix}. */
  fromTypedArrays<C extends Record<string, NumericArray>>(
    columns: C,
    options: ChunkOptions = {},
  ): DataSet<ColumnChunk<C>> {
    const names = Object.keys(columns);
    return this.source<ColumnChunk<C>>('fromTypedArrays', names.join(', '), () =>
      columnChunks(columns, this.parallelism, options, this.sharesMemory()),
    );
  }

  /**
   * Reads a CSV file (when the plan runs) into one record per row: numbers for numeric
   * columns, strings otherwise. Malformed rows fail with file:line:column.
   */
  readCsv(path: string, options: ReadCsvOptions = {}): DataSet<CsvRecord> {
    return this.source<CsvRecord>('readCsv', path, async () =>
      splitEvenly(await readCsvRecords(path, options), this.parallelism),
    );
  }

  /** Reads an Arrow IPC file or stream (when the plan runs) into one record per row. */
  readArrow(path: string): DataSet<Record<string, unknown>> {
    return this.source('readArrow', path, async () =>
      splitEvenly(await readArrowRecords(path), this.parallelism),
    );
  }

  /** @internal Runs the plan ending in `node`. */
  async execute(node: PlanNode): Promise<Partitions> {
    const executor = new Executor({
      workers: this.workers,
      pool: () => this.pool ?? sharedWorkerPool(),
    });
    try {
      return await executor.run(node);
    } finally {
      this.lastJob = executor.report;
    }
  }

  /**
   * Starts the worker threads a job of this environment runs on (`parallelism` of them) and has
   * each load the engine's partition task and the modules of `functions`, so that their start
   * overlaps other work (reading the input) instead of delaying the first superstep. Nothing to
   * do without workers or at parallelism 1.
   */
  async warmUp(functions: readonly ExportedFunction<unknown>[] = []): Promise<void> {
    if (!this.sharesMemory()) return;
    const pool = this.pool ?? sharedWorkerPool();
    const modules = [partitionTaskUrl, ...functions.map((fn) => fn.module)];
    const loads: Promise<number>[] = [];
    for (let worker = 0; worker < Math.min(this.parallelism, pool.size); worker++) {
      loads.push(pool.run<number>({ module: loadModulesUrl, exportName: 'loadModules' }, [modules]));
    }
    await Promise.all(loads);
  }

  private sharesMemory(): boolean {
    return this.workers && this.parallelism > 1;
  }
}

/** An execution environment. `env()` uses every core; `env({ parallelism: 1 })` runs in the calling thread. */
export function env(options: EnvironmentOptions = {}): ExecutionEnvironment {
  return new ExecutionEnvironment(options);
}
