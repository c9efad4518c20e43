/**
 * Weak components of an edge-list file of integer ids, linked while the file is parsed: each
 * thread parses a range of whole lines and links its edges into a union-find forest of its own,
 * indexed by key; the forests are merged and the labels read off in key order. No edge array
 * and no dense numbering is ever made, so the memory is a forest per thread (4 bytes per key up
 * to the largest) instead of 8 bytes per edge, and the numbering pass over the edges is gone.
 * The labels are those of {@link connectedComponents} over the edges as read: keys ascending,
 * each labelled with the smallest key of its component.
 */
import { settleChunks, type Threads, valuesOrFirstError } from '../../src/core/threads/driver.js';
import type { EdgeListReadOptions } from '../../src/graph/edge-list-reader.js';
import { planEdgeListScan } from '../../src/graph/edge-list-scan.js';
import { VertexDictionary } from '../../src/graph/vertex-dictionary.js';
import { linkKeyRangeWith } from './component-kernels.js';
import { keyForestLabels, mergeKeyForest } from './key-forest.js';
import { VertexLabels } from './vertex-labels.js';

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const kernels = new URL(
  `./component-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/** Keys a forest may have room for, per edge of the file (above it the keys are too sparse). */
const KEYS_PER_EDGE = 4;
/** ... and whatever the edges (16 MiB a thread). */
const MIN_KEY_ROOM = 1 << 22;

/** Options of {@link scanComponents}. */
export interface ScanComponentsOptions extends Threads {
  /** How the file is read (its weights are never). */
  read?: EdgeListReadOptions;
  /** Called when every range is read and linked (`'read'`), then when the forests are merged (`'link'`). */
  onPhase?: (phase: 'read' | 'link') => void;
}

/**
 * The weak components of the edge-list file `path` (a regular file), linked as it is parsed on
 * `parallelism` threads; undefined when the file is for the one-thread reader (string ids, a
 * malformed line, a byte order mark, keys far sparser than the edges), which then reads it
 * from the start.
 */
export async function scanComponents(
  path: string,
  options: ScanComponentsOptions = {},
): Promise<VertexLabels<number> | undefined> {
  const threads = { parallelism: options.parallelism ?? 1, pool: options.pool };
  const read: EdgeListReadOptions = { ...options.read, ...threads, weighted: false };
  const scan = planEdgeListScan(path, read);
  if (scan === undefined) return undefined;
  const local = (...args: [string, readonly number[], typeof scan.settings, number, number, number]) =>
    args[5] === 0 ? linkKeyRangeWith(...args, scan.first, read) : linkKeyRangeWith(...args);
  // Forests first sized by the head's largest key (most files spread their keys evenly), and
  // at most 4 keys an edge (16 bytes a thread): sparser keys are numbered by the reader's sort.
  const room = Math.max(1 << 16, scan.headMaxKey + 1);
  const maxKeys = Math.max(MIN_KEY_ROOM, KEYS_PER_EDGE * scan.estimatedEdges);
  const outcomes = await settleChunks<Int32Array | undefined>(
    { module: kernels, exportName: 'linkKeyRange', local },
    [path, scan.bounds, scan.settings, room, maxKeys],
    scan.bounds.length - 1,
    { ...threads, firstHere: true },
  );
  const forests = valuesOrFirstError(outcomes);
  read.progress?.finish();
  if (forests.some((forest) => forest === undefined)) return undefined;
  options.onPhase?.('read');
  // Into the largest forest (no copy to grow it), the others in any order: a root is the
  // smallest key of its set whatever the order of the links.
  const sorted = (forests as Int32Array[]).sort((a, b) => b.length - a.length);
  const forest = sorted[0];
  for (const other of sorted.slice(1)) mergeKeyForest(forest, other);
  options.onPhase?.('link');
  const { keys, labels } = keyForestLabels(forest);
  return new VertexLabels(VertexDictionary.fromSortedNumbers(keys), labels, 'component');
}
