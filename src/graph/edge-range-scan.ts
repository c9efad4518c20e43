/**
 * Parsing one range of an edge-list file for a scan ({@link planEdgeListScan}) on whichever
 * thread the driver gives it: a module that imports only the parser, so that a worker starts
 * parsing soon after it starts.
 */
import { InputError } from '../core/errors.js';
import { fileChunks } from '../core/file-chunks.js';
import {
  CHUNK_BYTES,
  EdgeListParser,
  type EdgeListSettings,
  type EdgeSink,
  feedChunks,
} from './edge-list-parser.js';
import type { EdgeListReadOptions } from './edge-list-reader.js';

/**
 * Edges parsed before the sink gets them: a sink that touches memory at random (union-find)
 * finds more of it still in cache after a run of 2 MiB of edges than after every 1 MiB of text
 * (about 10% less CPU for components at R-MAT scale 20).
 */
const SINK_BATCH_EDGES = 1 << 18;

/**
 * Parses range `chunk` of `path` (bytes `bounds[chunk] .. bounds[chunk + 1]`, whole lines) in
 * the format `settings` describes, handing every batch of edges to `sink`; with `parser`, that
 * one (the first range's, from {@link planEdgeListScan}). Resolves to false when the range
 * needs the one-thread reader: a malformed line, or an id that is not an integer (the sink may
 * then have had some of the range's edges already).
 */
export async function scanEdgeRange(
  path: string,
  bounds: readonly number[],
  settings: EdgeListSettings,
  chunk: number,
  sink: EdgeSink,
  parser?: EdgeListParser,
  options: EdgeListReadOptions = {},
): Promise<boolean> {
  const scanner = parser ?? new EdgeListParser(path, 'error');
  if (parser === undefined) scanner.configureAs(settings);
  scanner.sink = sink;
  scanner.sinkBatch = SINK_BATCH_EDGES;
  try {
    const range = { start: bounds[chunk], end: bounds[chunk + 1], chunkBytes: CHUNK_BYTES };
    await feedChunks(scanner, fileChunks(path, range), 0, options);
    scanner.drain();
  } catch (error) {
    if (error instanceof InputError) return false;
    throw error;
  }
  return scanner.integerEdges() !== undefined;
}
