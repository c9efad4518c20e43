/**
 * The script every {@link WorkerPool} thread runs: it loads the named export a task asks
 * for (once per module), calls it and posts the result back. Kept free of any DataSet code.
 */
import { parentPort } from 'node:worker_threads';
import { loadExport } from './module-export.js';
import { decodeViews, encodeViews, errorFields, takeTransferList } from './transfer.js';

interface TaskMessage {
  id: number;
  module: string;
  exportName: string;
  args: unknown[];
}

const port = parentPort!;
// A task that cannot be read (out of memory, say) would never be answered: end the thread
// instead, which fails the task in the pool.
port.on('messageerror', (error) => {
  throw error;
});
port.on('message', async (task: TaskMessage) => {
  try {
    const fn = await loadExport(task.module, task.exportName);
    const { value, transfer } = takeTransferList(await fn(...(decodeViews(task.args) as unknown[])));
    port.postMessage({ id: task.id, ok: true, result: encodeViews(value) }, transfer);
  } catch (caught) {
    port.postMessage({ id: task.id, ok: false, error: errorFields(caught) });
  }
});
