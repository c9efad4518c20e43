/**
 * Numbering the integer keys of a large edge list on several threads: the two passes of
 * {@link numberIntegerKeys} over the edges (marking the keys present, rewriting keys to ids)
 * each split by edges over the core driver, with the ids given in between on this thread (a
 * pass over the keys, not the edges). The ids are those of {@link numberIntegerKeys}:
 * ascending key order, whatever the parallelism. Workers import this module by itself, so it
 * only defines functions.
 */
import { int32Array } from '../core/shared-memory.js';
import { runChunks, type Threads, threadCount } from '../core/threads/driver.js';
import {
  keyTablePass,
  numberIntegerKeys,
  numberMarkedKeys,
  numbersByTable,
  VertexDictionary,
} from './vertex-dictionary.js';

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const kernels = new URL(`./key-numbering${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Chunks per thread: a thread that finishes early (or starts late) takes another. */
const CHUNKS_PER_THREAD = 4;

/**
 * {@link numberIntegerKeys} on `threads`: rewrites `sources` and `targets` in place from keys
 * to dense ids in ascending key order. Edge arrays in shared memory are split over the
 * threads; others (or keys too sparse for a direct table) are numbered on this thread.
 */
export async function numberIntegerKeysOnThreads(
  sources: Int32Array,
  targets: Int32Array,
  maxKey: number,
  threads: Threads,
): Promise<VertexDictionary<number>> {
  const edgeCount = sources.length;
  const count = threadCount(threads, edgeCount);
  const shared = sources.buffer instanceof SharedArrayBuffer && targets.buffer instanceof SharedArrayBuffer;
  if (count === 1 || !shared || edgeCount === 0 || !numbersByTable(maxKey, edgeCount)) {
    return numberIntegerKeys(sources, targets, maxKey);
  }
  const table = int32Array(maxKey + 1, true);
  const chunks = count * CHUNKS_PER_THREAD;
  const kernel = { module: kernels, exportName: 'keyTableChunk', local: keyTableChunk };
  await runChunks(kernel, ['mark', table, sources, targets, chunks], chunks, threads);
  const keys = numberMarkedKeys(table);
  await runChunks(kernel, ['rewrite', table, sources, targets, chunks], chunks, threads);
  return VertexDictionary.fromSortedNumbers(keys);
}

/** Edges `from .. to - 1` of chunk `chunk` of `chunks` over `edgeCount` edges. */
function chunkEdges(edgeCount: number, chunks: number, chunk: number): [number, number] {
  return [Math.floor((edgeCount * chunk) / chunks), Math.floor((edgeCount * (chunk + 1)) / chunks)];
}

/** A driver kernel: pass `pass` of the direct table over chunk `chunk` of the edges ({@link keyTablePass}). */
export function keyTableChunk(
  pass: 'mark' | 'rewrite',
  table: Int32Array,
  sources: Int32Array,
  targets: Int32Array,
  chunks: number,
  chunk: number,
): void {
  keyTablePass(pass, table, sources, targets, ...chunkEdges(sources.length, chunks, chunk));
}
