/**
 * The script every {@link WorkerPool} thread runs: it loads the named export a task asks
 * for (once per module), calls it and posts the result back. Kept free of any DataSet code.
 */
import { parentPort } from 'node:worker_threads';
import { takeTransferList } from './transfer.js';

interface TaskMessage {
  id: number;
  module: string;
  exportName: string;
  args: unknown[];
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

async function load(module: string, exportName: string): Promise<(...args: unknown[]) => unknown> {
  let loaded = modules.get(module);
  if (!loaded) {
    loaded = import(module) as Promise<Record<string, unknown>>;
    modules.set(module, loaded);
  }
  const exported = (await loaded)[exportName];
  if (typeof exported !== 'function') {
    throw new TypeError(`module ${module} has no exported function named '${exportName}'`);
  }
  return exported as (...args: unknown[]) => unknown;
}

const port = parentPort!;
port.on('message', async (task: TaskMessage) => {
  try {
    const fn = await load(task.module, task.exportName);
    const { value, transfer } = takeTransferList(await fn(...task.args));
    port.postMessage({ id: task.id, ok: true, result: value }, transfer);
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    port.postMessage({
      id: task.id,
      ok: false,
      error: { name: error.name, message: error.message, stack: error.stack },
    });
  }
});
