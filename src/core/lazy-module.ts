/**
 * Packages loaded on first use rather than with the public entry, so that importing eddy (and so
 * every `eddy` command's start-up) does not pay for what a run may never need.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * A function that returns the package `specifier`, loading it synchronously on its first call.
 * The package is resolved as `import` resolves it and loaded with require() of an ES module
 * (Node >= 20.19), which gives the same module instance as `import`: the classes here are the
 * ones a user's `import { X } from specifier` gives, so `instanceof` holds either way.
 */
export function loadOnFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(fileURLToPath(import.meta.resolve(specifier))) as T;
    return loaded;
  };
}
