/**
 * Loading a named export of an ES module, once per module per thread: what a worker does
 * for every task, and what the calling thread does when it takes part in a parallel round.
 */

/** Names a function a worker can load: export `exportName` of the ES module at `module`. */
export interface ModuleExport {
  /** URL of the module (`import.meta.url` of the file that exports the function), or a path. */
  readonly module: string | URL;
  /** Name of the export; it must be a function (it may be async). */
  readonly exportName: string;
}

/** A function loaded from a module. */
export type LoadedExport = (...args: unknown[]) => unknown;

const modules = new Map<string, Promise<Record<string, unknown>>>();
const loaders = new Map<string, () => Promise<Record<string, unknown>>>();
let importing = 0;

/** The URL of a module given as a URL, a URL string or a path (relative to the working directory). */
export function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module)) return module;
  return new URL(module, `file://${process.cwd()}/`).href;
}

/**
 * Tells this thread how to load modules it carries, by the URL tasks name them with: the bundled
 * command line (scripts/bundle-cli.mjs) carries the kernels inside its own chunks, and the
 * calling thread must run those copies rather than import the separate files a second time.
 * Each loader runs only when a task first names its module, so that start-up does not pay for
 * the kernels a command never uses.
 */
export function registerModuleLoaders(
  entries: Iterable<readonly [string, () => Promise<Record<string, unknown>>]>,
): void {
  for (const [url, load] of entries) loaders.set(url, load);
}

/** Loads export `exportName` of `module` (imported once per thread); it must be a function. */
export async function loadExport(module: string, exportName: string): Promise<LoadedExport> {
  let loaded = modules.get(module);
  if (!loaded) {
    importing++;
    const load = loaders.get(module) ?? (() => import(module) as Promise<Record<string, unknown>>);
    loaded = load().finally(() => importing--);
    modules.set(module, loaded);
  }
  const exported = (await loaded)[exportName];
  if (typeof exported !== 'function') {
    throw new TypeError(`module ${module} has no exported function named '${exportName}'`);
  }
  return exported as LoadedExport;
}

/** Whether this thread is importing a module for a task right now (its top level is running). */
export function importingTaskModule(): boolean {
  return importing > 0;
}
