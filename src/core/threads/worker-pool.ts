/**
 * A generic pool of worker threads that run named exports of ES modules.
 *
 * Nothing here knows about DataSets: a task is "call export `exportName` of module `module`
 * with these arguments", which is all a parallel kernel needs (the DataSet engine's
 * partition tasks, and later the graph layer's PageRank kernels). Arguments and results
 * travel by structured clone, so typed arrays over a `SharedArrayBuffer` reach the worker
 * without a copy: that is how large numeric inputs are shared instead of sent.
 */
import { availableParallelism } from 'node:os';
import { type ResourceLimits, type TransferListItem, Worker } from 'node:worker_threads';
import { ParamError } from '../errors.js';
import { type ModuleExport, moduleUrl } from './module-export.js';
import { decodeViews, encodeViews } from './transfer.js';

export type { ModuleExport } from './module-export.js';

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Number of worker threads (started lazily, on demand). Default: the number of cores. */
  size?: number;
  /**
   * Whether workers must load TypeScript modules (through the `tsx` loader). Default: true
   * when this module itself runs from a `.ts` file or a task names a `.ts` module.
   */
  typescript?: boolean;
  /**
   * Heap limits of each worker (default: Node's). A worker that reaches them ends, and the
   * task it ran fails with Node's out-of-memory error.
   */
  resourceLimits?: ResourceLimits;
}

/** An error a task threw inside a worker, with the worker's message, name and stack. */
export class WorkerTaskError extends Error {
  /** The module and export that failed. */
  readonly task: string;
  constructor(task: string, name: string, message: string, stack: string | undefined) {
    super(message);
    this.name = name;
    this.task = task;
    if (stack) this.stack = stack;
  }
}

interface PendingTask {
  readonly id: number;
  readonly module: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
  readonly transfer: readonly TransferListItem[];
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface PoolWorker {
  readonly worker: Worker;
  task: PendingTask | undefined;
}

interface WorkerReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string; stack?: string };
}

const ownUrlIsTypeScript = import.meta.url.endsWith('.ts');
const entryUrl = new URL(`./worker-entry.${ownUrlIsTypeScript ? 'ts' : 'js'}`, import.meta.url);

function tsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    throw new Error('worker threads need the tsx package to load TypeScript modules (npm install -D tsx)');
  }
}

/**
 * The bootstrap each worker runs: registers tsx's loader when TypeScript is needed (loader
 * flags of the parent thread do not reach workers), then loads the entry module.
 */
const bootstrap = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((error) => { setImmediate(() => { throw error; }); });
`;

/**
 * A fixed-size pool of worker threads. Tasks queue when every worker is busy; idle workers
 * do not keep the process alive, so a pool need not be closed before exit.
 *
 * @example
 * const pool = new WorkerPool({ size: 4 });
 * const sum = await pool.run<number>({ module: import.meta.url, exportName: 'sumRange' }, [0, 1e6]);
 */
export class WorkerPool {
  /** Number of worker threads the pool runs at most. */
  readonly size: number;
  private typescript: boolean;
  private readonly resourceLimits: ResourceLimits | undefined;
  private readonly workers: PoolWorker[] = [];
  private readonly queue: PendingTask[] = [];
  private nextId = 0;
  private closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    const size = options.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) throw new ParamError('size', size, 'an integer >= 1');
    this.size = size;
    this.typescript = options.typescript ?? ownUrlIsTypeScript;
    this.resourceLimits = options.resourceLimits;
  }

  /**
   * Calls `target` in a worker with `args` and resolves to its (awaited) result. Typed arrays
   * over SharedArrayBuffers are shared, other arguments copied; buffers in `transfer` are
   * moved. A function that throws rejects the promise with a {@link WorkerTaskError}.
   */
  run<R>(
    target: ModuleExport,
    args: readonly unknown[] = [],
    transfer: readonly TransferListItem[] = [],
  ): Promise<R> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    const module = moduleUrl(target.module);
    if (module.endsWith('.ts') && !this.typescript) {
      // Workers started from now on load TypeScript; running ones are replaced when idle.
      this.typescript = true;
      for (const entry of [...this.workers]) if (!entry.task) this.retire(entry);
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        module,
        exportName: target.exportName,
        args,
        transfer,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.dispatch();
    });
  }

  /** Stops every worker; queued and running tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error('the worker pool was closed'));
    await Promise.all(
      this.workers.splice(0).map(async (entry) => {
        entry.task?.reject(new Error('the worker pool was closed'));
        entry.task = undefined;
        await entry.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let entry = this.workers.find((candidate) => candidate.task === undefined);
      if (!entry) {
        if (this.workers.length >= this.size) return;
        entry = this.spawn();
      }
      const task = this.queue.shift()!;
      entry.task = task;
      entry.worker.ref();
      try {
        entry.worker.postMessage(
          { id: task.id, module: task.module, exportName: task.exportName, args: encodeViews(task.args) },
          task.transfer as TransferListItem[],
        );
      } catch (error) {
        // Arguments that cannot be cloned (functions, for one): the worker stays free.
        entry.task = undefined;
        entry.worker.unref();
        task.reject(error as Error);
      }
    }
  }

  private spawn(): PoolWorker {
    const worker = new Worker(bootstrap, {
      eval: true,
      workerData: { entry: entryUrl.href, tsx: this.typescript ? tsxApi() : undefined },
      resourceLimits: this.resourceLimits,
    });
    const entry: PoolWorker = { worker, task: undefined };
    worker.on('message', (reply: WorkerReply) => {
      const task = entry.task;
      if (!task || task.id !== reply.id) return;
      entry.task = undefined;
      worker.unref();
      if (reply.ok) task.resolve(decodeViews(reply.result));
      else {
        const error = reply.error ?? { name: 'Error', message: 'unknown worker failure' };
        task.reject(
          new WorkerTaskError(`${task.module}#${task.exportName}`, error.name, error.message, error.stack),
        );
      }
      this.dispatch();
    });
    // A worker that dies, or a reply that cannot be read, fails its task: the caller gets an
    // error, never a wait for a reply that will not come.
    const fail = (error: Error) => {
      const index = this.workers.indexOf(entry);
      if (index >= 0) this.workers.splice(index, 1);
      const task = entry.task;
      entry.task = undefined;
      task?.reject(
        new Error(`a worker thread running ${task.module}#${task.exportName} failed: ${error.message}`, {
          cause: error,
        }),
      );
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('messageerror', (error) => {
      fail(error);
      void worker.terminate();
    });
    worker.on('exit', (code) => fail(new Error(`the thread exited with code ${code}`)));
    this.workers.push(entry);
    return entry;
  }

  private retire(entry: PoolWorker): void {
    this.workers.splice(this.workers.indexOf(entry), 1);
    void entry.worker.terminate();
  }
}

let shared: WorkerPool | undefined;

/** The process-wide pool (one worker per core), created on first use. */
export function sharedWorkerPool(): WorkerPool {
  shared ??= new WorkerPool();
  return shared;
}
