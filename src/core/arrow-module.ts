/**
 * apache-arrow, loaded on first use rather than with the public entry: it costs 100-200 ms to
 * load, and most graph and ML runs never touch an Arrow table.
 */
import type * as Arrow from 'apache-arrow';
import { loadOnFirstUse } from './lazy-module.js';

/** The apache-arrow module (the same instance as `import('apache-arrow')`). */
export const arrow: () => typeof Arrow = loadOnFirstUse<typeof Arrow>('apache-arrow');

/**
 * Whether `value` is an Arrow RecordBatch. Streams of plain points are checked per item, so
 * Arrow is loaded only for objects shaped like a record batch.
 */
export function isRecordBatch(value: unknown): value is Arrow.RecordBatch {
  return (
    typeof value === 'object' &&
    value !== null &&
    'schema' in value &&
    'numRows' in value &&
    value instanceof arrow().RecordBatch
  );
}
