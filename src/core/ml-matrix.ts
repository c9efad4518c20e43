/**
 * ml-matrix, loaded on first use rather than with the public entry (it is needed only for
 * decompositions and for ml-matrix inputs).
 */
import type * as MlMatrix from 'ml-matrix';
import { loadOnFirstUse } from './lazy-module.js';

/** The ml-matrix module (the same instance as `import('ml-matrix')`). */
export const mlMatrix: () => typeof MlMatrix = loadOnFirstUse<typeof MlMatrix>('ml-matrix');

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
