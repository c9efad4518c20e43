/**
 * apache-arrow, loaded on first use rather than with the public entry: it costs 100-200 ms to
 * load, and most graph and ML runs never touch an Arrow table.
 */
import type * as Arrow from 'apache-arrow';
import { loadOnFirstUse } from './lazy-module.js';

/** The apache-arrow module (the same instance as `import('apache-arrow')`). */
export const arrow: () => typeof Arrow = loadOnFirstUse<typeof Arrow>('apache-arrow');
