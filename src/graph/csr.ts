/**
 * Compressed sparse row (CSR) adjacency: the index every graph algorithm in eddy runs on.
 * Vertex `v`'s out-edges are positions `offsets[v] .. offsets[v + 1] - 1` of `targets` (and of
 * `weights` when the graph is weighted). Built by a counting sort, which is linear in the number
 * of edges and keeps the input order of edges that share a source (so builds are deterministic).
 */
import { ParamError } from '../core/errors.js';

/** Options of {@link buildCsr}. */
export interface CsrBuildOptions extends Pick<EdgeOffsetsOptions, 'int32EdgeLimit' | 'uint32EdgeLimit'> {
  /** One weight per input edge, permuted along with the targets. */
  weights?: Float64Array;
  /**
   * Also return, for every CSR position, the index of the input edge it came from
   * (`edgeOrder`), so callers can permute edge values that are not numeric.
   */
  keepEdgeOrder?: boolean;
}

/**
 * Offsets into (or positions in) the edge arrays: int32 below 2^31 edges, the type every hot
 * loop was tuned on; uint32 from there up to 2^32 - 1 edges; float64 (exact to 2^53) beyond,
 * where the per-edge arrays themselves come in segments (Node 20's typed arrays hold at most
 * 2^32 elements). A graph gets the narrowest type its edge count allows, so the hot loops of
 * one run see one type.
 */
export type EdgeOffsets = Int32Array | Uint32Array | Float64Array;

/** Edge counts from here on get uint32 offsets and positions. */
export const INT32_EDGE_LIMIT = 2 ** 31;

/** Edge counts from here on get float64 offsets and positions. */
export const UINT32_EDGE_LIMIT = 2 ** 32;

/** The most edges offsets hold: float64 offsets are exact integers up to 2^53 - 1. */
export const MAX_EDGES = Number.MAX_SAFE_INTEGER;

/**
 * The most elements one typed array has in Node 20 (2^32): one CSR's targets, or one segment
 * of an index's per-edge arrays, hold at most this many edges.
 */
export const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

/** Options of {@link edgeOffsets}. */
export interface EdgeOffsetsOptions {
  /** In a SharedArrayBuffer, for worker threads (default false). */
  share?: boolean;
  /**
   * Edge counts from this one on get uint32 (or wider) arrays (default and upper bound
   * 2^31 edges); smaller values are for tests of the wide layouts on small graphs.
   */
  int32EdgeLimit?: number;
  /**
   * Edge counts from this one on get float64 arrays (default and upper bound
   * 2^32 edges); smaller values are for tests of that layout on small graphs.
   */
  uint32EdgeLimit?: number;
  /**
   * Offsets these are derived from (a graph's, for an index built from it): the result is at
   * least as wide, so the wide layout a test asks of a graph reaches what is built from it.
   */
  atLeastAs?: EdgeOffsets;
}

/** The offset types from narrowest to widest. */
const OFFSET_TYPES: readonly {
  new (source: number | ArrayBufferLike): EdgeOffsets;
  readonly BYTES_PER_ELEMENT: number;
}[] = [Int32Array, Uint32Array, Float64Array];

/** The index of `offsets`' type in {@link OFFSET_TYPES}. */
function widthOf(offsets: EdgeOffsets | undefined): number {
  return offsets instanceof Float64Array ? 2 : offsets instanceof Uint32Array ? 1 : 0;
}

/**
 * A zero-filled array of `length` offsets or positions into the arrays of `edgeCount` edges:
 * an Int32Array below 2^31 edges, a Uint32Array below 2^32, a Float64Array up to
 * {@link MAX_EDGES}. A failed allocation is an error that names the bytes needed.
 */
export function edgeOffsets(
  length: number,
  edgeCount: number,
  options: EdgeOffsetsOptions = {},
): EdgeOffsets {
  if (!(edgeCount <= MAX_EDGES)) {
    throw new RangeError(`${edgeCount} edges: offsets are exact up to 2^53 - 1 (${MAX_EDGES}) edges`);
  }
  const int32Limit = Math.min(options.int32EdgeLimit ?? INT32_EDGE_LIMIT, INT32_EDGE_LIMIT);
  const uint32Limit = Math.min(options.uint32EdgeLimit ?? UINT32_EDGE_LIMIT, UINT32_EDGE_LIMIT);
  const needed = edgeCount >= uint32Limit ? 2 : edgeCount >= int32Limit ? 1 : 0;
  const Type = OFFSET_TYPES[Math.max(needed, widthOf(options.atLeastAs))];
  const bytes = Type.BYTES_PER_ELEMENT * length;
  return allocating(`${length} edge offsets`, bytes, () => {
    const buffer: ArrayBufferLike = options.share ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    return new Type(buffer);
  });
}

/** An empty array of the type of `offsets`, for offsets or positions of the same edges. */
export function offsetsLike(offsets: EdgeOffsets, length: number): EdgeOffsets {
  const Type = OFFSET_TYPES[widthOf(offsets)];
  return allocating(`${length} edge offsets`, Type.BYTES_PER_ELEMENT * length, () => new Type(length));
}

/** `bytes` in GiB, for messages. */
export function gibibytes(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/**
 * `make()`, with a failed allocation (a RangeError: no memory, or a length beyond what Node
 * allocates) turned into an error that says what was being allocated and how many bytes.
 */
export function allocating<T>(what: string, bytes: number, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const why = error.message.startsWith('Invalid typed array length')
      ? `${error.message}: Node's typed arrays hold at most 2^32 elements`
      : error.message;
    throw new RangeError(`could not allocate ${what}: ${gibibytes(bytes)} needed (${why})`, { cause: error });
  }
}

/** The transposed adjacency (in-edges) of a {@link Csr}, built on first use. */
export interface InEdges {
  /** Vertex `v`'s in-edges are positions `offsets[v] .. offsets[v + 1] - 1`. */
  readonly offsets: EdgeOffsets;
  /** The source vertex of each in-edge. */
  readonly sources: Int32Array;
  /** For each in-edge, its position in the out-edge arrays (`targets`, `weights`). */
  readonly edgePositions: EdgeOffsets;
}

/** An immutable CSR adjacency over dense vertex ids `0 .. vertexCount - 1`. */
export class Csr {
  readonly vertexCount: number;
  /** `vertexCount + 1` offsets into `targets`. */
  readonly offsets: EdgeOffsets;
  /** The target of every edge, grouped by source. */
  readonly targets: Int32Array;
  /** The weight of every edge (same positions as `targets`), when the graph is weighted. */
  readonly weights: Float64Array | undefined;
  private inEdgesCache: InEdges | undefined;
  private sourcesCache: Int32Array | undefined;

  /**
   * Wraps existing arrays (not copied). `offsets` must be non-decreasing from 0 to
   * `targets.length`. `inEdges`, when given, is the in-edge index {@link Csr.inEdges} would build.
   */
  constructor(offsets: EdgeOffsets, targets: Int32Array, weights?: Float64Array, inEdges?: InEdges) {
    const vertexCount = offsets.length - 1;
    if (vertexCount < 0) throw new ParamError('offsets', 'an empty array', 'vertexCount + 1 offsets');
    if (offsets[0] !== 0 || offsets[vertexCount] !== targets.length) {
      throw new ParamError(
        'offsets',
        `[${offsets[0]} .. ${offsets[vertexCount]}]`,
        `offsets from 0 to ${targets.length}`,
      );
    }
    if (weights !== undefined && weights.length !== targets.length) {
      throw new ParamError('weights', `${weights.length} weights`, `${targets.length} (one per edge)`);
    }
    this.vertexCount = vertexCount;
    this.offsets = offsets;
    this.targets = targets;
    this.weights = weights;
    if (inEdges !== undefined && inEdges.sources.length !== targets.length) {
      throw new ParamError(
        'inEdges',
        `${inEdges.sources.length} in-edges`,
        `${targets.length} (one per edge)`,
      );
    }
    this.inEdgesCache = inEdges;
  }

  /** Number of edges. */
  get edgeCount(): number {
    return this.targets.length;
  }

  /** Number of out-edges of `vertex`. */
  outDegree(vertex: number): number {
    return this.offsets[vertex + 1] - this.offsets[vertex];
  }

  /** Targets of `vertex`'s out-edges, as a zero-copy view. */
  neighbors(vertex: number): Int32Array {
    return this.targets.subarray(this.offsets[vertex], this.offsets[vertex + 1]);
  }

  /** Out-degree of every vertex. */
  outDegrees(): Int32Array {
    const degrees = new Int32Array(this.vertexCount);
    for (let v = 0; v < this.vertexCount; v++) degrees[v] = this.offsets[v + 1] - this.offsets[v];
    return degrees;
  }

  /** In-degree of every vertex (counted from the targets; does not build the in-edge index). */
  inDegrees(): Int32Array {
    const degrees = new Int32Array(this.vertexCount);
    const targets = this.targets;
    for (let e = 0; e < targets.length; e++) degrees[targets[e]]++;
    return degrees;
  }

  /** The source of every edge position (expanded from the offsets once, then cached). */
  sources(): Int32Array {
    if (this.sourcesCache === undefined) {
      const sources = new Int32Array(this.edgeCount);
      for (let v = 0; v < this.vertexCount; v++) sources.fill(v, this.offsets[v], this.offsets[v + 1]);
      this.sourcesCache = sources;
    }
    return this.sourcesCache;
  }

  /**
   * The in-edge index, built by a counting sort on first use and kept: pull-style algorithms
   * (PageRank) need it, push-style ones never pay for it. In-edges of a vertex are ordered by source.
   */
  inEdges(): InEdges {
    if (this.inEdgesCache === undefined) {
      const n = this.vertexCount;
      const targets = this.targets;
      // The same width as the out-edge offsets (uint32 from 2^31 edges on).
      const offsets = offsetsLike(this.offsets, n + 1);
      for (let e = 0; e < targets.length; e++) offsets[targets[e] + 1]++;
      for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
      const cursor = offsets.slice(0, n);
      const sources = allocating(
        'the in-edge sources',
        4 * targets.length,
        () => new Int32Array(targets.length),
      );
      const edgePositions = offsetsLike(this.offsets, targets.length);
      for (let v = 0; v < n; v++) {
        const end = this.offsets[v + 1];
        for (let e = this.offsets[v]; e < end; e++) {
          const slot = cursor[targets[e]]++;
          sources[slot] = v;
          edgePositions[slot] = e;
        }
      }
      this.inEdgesCache = { offsets, sources, edgePositions };
    }
    return this.inEdgesCache;
  }

  /** Whether the in-edge index has been built (for memory accounting). */
  get hasInEdges(): boolean {
    return this.inEdgesCache !== undefined;
  }
}

/** A CSR together with the input position of each of its edges. */
export interface CsrWithOrder {
  csr: Csr;
  /** `edgeOrder[p]` is the index of the input edge stored at CSR position `p`. */
  edgeOrder: EdgeOffsets | undefined;
}

/**
 * Builds a CSR from parallel arrays of dense source and target ids (each in
 * `0 .. vertexCount - 1`) by a stable counting sort: O(vertices + edges) time, and besides the
 * result only one `Int32Array` of `vertexCount` counters.
 */
export function buildCsr(
  vertexCount: number,
  sources: Int32Array,
  targets: Int32Array,
  options: CsrBuildOptions = {},
): CsrWithOrder {
  const edgeCount = sources.length;
  if (targets.length !== edgeCount) {
    throw new ParamError('targets', `${targets.length} targets`, `${edgeCount} (one per source)`);
  }
  const weights = options.weights;
  if (weights !== undefined && weights.length !== edgeCount) {
    throw new ParamError('weights', `${weights.length} weights`, `${edgeCount} (one per edge)`);
  }
  const offsets = edgeOffsets(vertexCount + 1, edgeCount, options);
  for (let e = 0; e < edgeCount; e++) {
    const s = sources[e];
    const t = targets[e];
    if (s >>> 0 >= vertexCount || t >>> 0 >= vertexCount) {
      const bad = s >>> 0 >= vertexCount ? s : t;
      throw new ParamError(`edge ${e}`, bad, `vertex ids from 0 to ${vertexCount - 1}`);
    }
    offsets[s + 1]++;
  }
  for (let v = 0; v < vertexCount; v++) offsets[v + 1] += offsets[v];
  const cursor = offsets.slice(0, vertexCount);
  const sortedTargets = allocating(
    `the targets of ${edgeCount} edges`,
    4 * edgeCount,
    () => new Int32Array(edgeCount),
  );
  const sortedWeights =
    weights === undefined
      ? undefined
      : allocating(`the weights of ${edgeCount} edges`, 8 * edgeCount, () => new Float64Array(edgeCount));
  const edgeOrder = options.keepEdgeOrder ? edgeOffsets(edgeCount, edgeCount, options) : undefined;
  if (sortedWeights === undefined && edgeOrder === undefined) {
    // The hot case (reading an unweighted edge list): one loop, no branches.
    for (let e = 0; e < edgeCount; e++) sortedTargets[cursor[sources[e]]++] = targets[e];
  } else {
    for (let e = 0; e < edgeCount; e++) {
      const slot = cursor[sources[e]]++;
      sortedTargets[slot] = targets[e];
      if (sortedWeights !== undefined) sortedWeights[slot] = weights![e];
      if (edgeOrder !== undefined) edgeOrder[slot] = e;
    }
  }
  return { csr: new Csr(offsets, sortedTargets, sortedWeights), edgeOrder };
}
