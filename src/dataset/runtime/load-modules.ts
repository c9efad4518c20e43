/**
 * What a worker thread runs to warm up (ExecutionEnvironment.warmUp): it imports the modules a
 * job's tasks will load, so that the first superstep does not wait for them.
 */

/** Imports every module of `modules` (URLs) and returns how many. */
export async function loadModules(modules: readonly string[]): Promise<number> {
  for (const module of modules) await import(module);
  return modules.length;
}
