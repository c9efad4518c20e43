/**
 * ml-matrix, loaded on first use rather than with the public entry (it is needed only for
 * decompositions and for ml-matrix inputs). Its ES module entry re-exports this same CommonJS
 * module, so the classes here are the ones a user's `import { Matrix } from 'ml-matrix'` gives.
 */
import { createRequire } from 'node:module';
import type * as MlMatrix from 'ml-matrix';

const require = createRequire(import.meta.url);
let loaded: typeof MlMatrix | undefined;

/** The ml-matrix module. */
export function mlMatrix(): typeof MlMatrix {
  loaded ??= require('ml-matrix') as typeof MlMatrix;
  return loaded;
}

/** Whether `value` is an ml-matrix `Matrix`; loads ml-matrix only for objects shaped like one. */
export function isMlMatrix(value: unknown): value is MlMatrix.Matrix {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { get?: unknown }).get === 'function' &&
    typeof (value as { rows?: unknown }).rows === 'number' &&
    value instanceof mlMatrix().Matrix
  );
}
