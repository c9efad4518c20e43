/**
 * Graph generators, after Gelly's: every deterministic generator makes an undirected graph
 * (each edge in both directions) over integer keys 0..n-1, edges ordered by source then target;
 * R-MAT makes a directed multigraph from a seed.
 */
import { ParamError } from '../core/errors.js';
import { random, type Seed } from '../core/random.js';
import { VertexDictionary } from './vertex-dictionary.js';
import type { EdgeArrays, EdgeBlocks } from './writers.js';

/** Generated edges: integer keys 0..vertexCount-1 (dense id = key). */
export type GeneratedGraph = EdgeArrays<number> & { weights?: undefined };

function checkCount(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum || value > 2 ** 31 - 1) {
    throw new ParamError(name, value, `an integer >= ${minimum}`);
  }
}

function identityDictionary(vertexCount: number): VertexDictionary<number> {
  return VertexDictionary.fromSortedNumbers(Float64Array.from({ length: vertexCount }, (_, i) => i));
}

/**
 * Builds a graph from a neighbour rule: `neighbours(v)` lists v's neighbours (any order,
 * duplicates allowed); they are sorted and de-duplicated so edges come out in a fixed order.
 */
function fromNeighbours(vertexCount: number, neighbours: (vertex: number) => number[]): GeneratedGraph {
  const lists: Int32Array[] = new Array(vertexCount);
  let edgeCount = 0;
  for (let v = 0; v < vertexCount; v++) {
    const sorted = Int32Array.from(neighbours(v)).sort();
    let count = 0;
    for (let i = 0; i < sorted.length; i++)
      if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[count++] = sorted[i];
    lists[v] = sorted.subarray(0, count);
    edgeCount += count;
  }
  const sources = new Int32Array(edgeCount);
  const targets = new Int32Array(edgeCount);
  let e = 0;
  for (let v = 0; v < vertexCount; v++) {
    sources.fill(v, e, e + lists[v].length);
    targets.set(lists[v], e);
    e += lists[v].length;
  }
  return { dictionary: identityDictionary(vertexCount), sources, targets };
}

/** The most edges a generated graph held in memory can have (its arrays are Int32Arrays). */
const MAX_HELD_EDGES = 2 ** 31 - 1;

/**
 * Every vertex connected to every other (no self-loops): n(n-1) directed edges, held in memory
 * (at most 46,341 vertices); {@link completeGraphBlocks} makes larger ones a block at a time.
 */
export function completeGraph(vertexCount: number): GeneratedGraph {
  checkCount('vertexCount', vertexCount, 0);
  if (vertexCount * (vertexCount - 1) > MAX_HELD_EDGES) {
    throw new ParamError(
      'vertexCount',
      vertexCount,
      `at most 46341 (n(n-1) edges held in memory; completeGraphBlocks makes ${vertexCount} vertices a block at a time)`,
    );
  }
  return fromNeighbours(vertexCount, (v) => {
    const list: number[] = [];
    for (let u = 0; u < vertexCount; u++) if (u !== v) list.push(u);
    return list;
  });
}

/**
 * The edges of {@link completeGraph}, in the same order (by source, then target), a block at a
 * time: each block holds the edges of whole sources, about `blockEdges` of them (at least one
 * source). For writing a complete graph too large to hold: a million vertices make 10^12 edges.
 */
export function completeGraphBlocks(vertexCount: number, blockEdges = 1 << 20): EdgeBlocks<number> {
  checkCount('vertexCount', vertexCount, 0);
  checkCount('blockEdges', blockEdges, 1);
  const degree = Math.max(vertexCount - 1, 0);
  const sourcesPerBlock = Math.max(1, Math.floor(blockEdges / Math.max(degree, 1)));
  function* blocks(): Generator<{ sources: Int32Array; targets: Int32Array }> {
    for (let first = 0; first < vertexCount; first += sourcesPerBlock) {
      const last = Math.min(first + sourcesPerBlock, vertexCount);
      const sources = new Int32Array((last - first) * degree);
      const targets = new Int32Array(sources.length);
      let e = 0;
      for (let v = first; v < last; v++) {
        for (let u = 0; u < vertexCount; u++) {
          if (u === v) continue;
          sources[e] = v;
          targets[e++] = u;
        }
      }
      yield { sources, targets };
    }
  }
  return { dictionary: identityDictionary(vertexCount), blocks: { [Symbol.iterator]: blocks } };
}

/** Vertices 0..n-1 in a ring: i connected to i+1 (mod n). */
export function cycleGraph(vertexCount: number): GeneratedGraph {
  checkCount('vertexCount', vertexCount, 2);
  return circulantGraph(vertexCount, [1]);
}

/** Vertices 0..n-1 in a line: i connected to i+1. */
export function pathGraph(vertexCount: number): GeneratedGraph {
  checkCount('vertexCount', vertexCount, 0);
  return fromNeighbours(vertexCount, (v) => [v - 1, v + 1].filter((u) => u >= 0 && u < vertexCount));
}

/** Vertex 0 connected to every other vertex. */
export function starGraph(vertexCount: number): GeneratedGraph {
  checkCount('vertexCount', vertexCount, 1);
  return fromNeighbours(vertexCount, (v) =>
    v === 0 ? Array.from({ length: vertexCount - 1 }, (_, i) => i + 1) : [0],
  );
}

/** One dimension of a {@link gridGraph}. */
export interface GridDimension {
  /** Number of vertices along this dimension (at least 1). */
  size: number;
  /** Connect the two ends of the dimension (a ring rather than a line). */
  wrap?: boolean;
}

/**
 * An n-dimensional grid: vertex ids count through the first dimension fastest; each vertex
 * is connected to its neighbours along every dimension, and across the ends where `wrap`.
 */
export function gridGraph(dimensions: readonly GridDimension[]): GeneratedGraph {
  if (dimensions.length === 0) throw new ParamError('dimensions', dimensions, 'at least one dimension');
  let vertexCount = 1;
  const strides: number[] = [];
  for (const [index, dimension] of dimensions.entries()) {
    checkCount(`dimensions[${index}].size`, dimension.size, 1);
    strides.push(vertexCount);
    vertexCount *= dimension.size;
  }
  checkCount('vertex count (product of sizes)', vertexCount, 0);
  return fromNeighbours(vertexCount, (v) => {
    const list: number[] = [];
    dimensions.forEach(({ size, wrap }, d) => {
      const coordinate = Math.floor(v / strides[d]) % size;
      if (coordinate > 0) list.push(v - strides[d]);
      else if (wrap && size > 2) list.push(v + (size - 1) * strides[d]);
      if (coordinate < size - 1) list.push(v + strides[d]);
      else if (wrap && size > 2) list.push(v - (size - 1) * strides[d]);
    });
    return list;
  });
}

/** A hypercube: 2^dimensions vertices, connected when their ids differ in one bit. */
export function hypercubeGraph(dimensions: number): GeneratedGraph {
  checkCount('dimensions', dimensions, 1);
  if (dimensions > 30) throw new ParamError('dimensions', dimensions, 'at most 30');
  return gridGraph(Array.from({ length: dimensions }, () => ({ size: 2 })));
}

/** A circulant graph: vertex i connected to i + o and i - o (mod n) for every offset o. */
export function circulantGraph(vertexCount: number, offsets: readonly number[]): GeneratedGraph {
  checkCount('vertexCount', vertexCount, 1);
  for (const offset of offsets) {
    if (!Number.isInteger(offset) || offset < 1 || offset >= vertexCount) {
      throw new ParamError('offsets', offsets, `integers from 1 to ${vertexCount - 1}`);
    }
  }
  return fromNeighbours(vertexCount, (v) =>
    offsets.flatMap((o) => [(v + o) % vertexCount, (v - o + vertexCount) % vertexCount]),
  );
}

/**
 * Gelly's echo graph: each vertex connected to the `vertexDegree` vertices "opposite" it on
 * the ring (offsets centred on n/2). `vertexCount - vertexDegree` must be odd.
 */
export function echoGraph(vertexCount: number, vertexDegree: number): GeneratedGraph {
  checkCount('vertexCount', vertexCount, 2);
  checkCount('vertexDegree', vertexDegree, 1);
  if (vertexDegree >= vertexCount || (vertexCount - vertexDegree) % 2 === 0) {
    throw new ParamError(
      'vertexDegree',
      vertexDegree,
      `less than vertexCount (${vertexCount}), with vertexCount - vertexDegree odd`,
    );
  }
  const first = (vertexCount - vertexDegree + 1) / 2;
  return circulantGraph(
    vertexCount,
    Array.from({ length: vertexDegree }, (_, i) => first + i),
  );
}

/** `vertexCount` vertices and no edges. */
export function emptyGraph(vertexCount: number): GeneratedGraph {
  checkCount('vertexCount', vertexCount, 0);
  return {
    dictionary: identityDictionary(vertexCount),
    sources: new Int32Array(0),
    targets: new Int32Array(0),
  };
}

/** `pairCount` disjoint edges: vertex 2i connected to 2i+1. */
export function singletonEdgeGraph(pairCount: number): GeneratedGraph {
  checkCount('pairCount', pairCount, 0);
  return fromNeighbours(2 * pairCount, (v) => [v ^ 1]);
}

/** The defaults of {@link RmatOptions}: Gelly's (and Graph500's a, b, c). */
export const RMAT_DEFAULTS = { scale: 10, edgeFactor: 16, a: 0.57, b: 0.19, c: 0.19, noise: 0, seed: 0 };

/** Options of {@link rmatGraph}. Defaults are {@link RMAT_DEFAULTS}. */
export interface RmatOptions {
  /** log2 of the vertex count (default 10). */
  scale?: number;
  /** Edges per vertex: the edge count is `edgeFactor * 2^scale` (default 16). */
  edgeFactor?: number;
  /** Probability of the top-left quadrant (default 0.57). */
  a?: number;
  /** Top-right (default 0.19). */
  b?: number;
  /** Bottom-left (default 0.19); d = 1 - a - b - c. */
  c?: number;
  /** Noise in [0, 2): each level's probabilities are jittered by up to ±noise/2 (default 0, off). */
  noise?: number;
  /** Seed of the random choices (default 0). */
  seed?: Seed;
}

/** Edges per independently seeded block: the graph does not depend on how blocks are scheduled. */
export const RMAT_BLOCK_EDGES = 1 << 16;

/**
 * An R-MAT graph (Chakrabarti, Zhan and Faloutsos): each edge picks a quadrant of the
 * adjacency matrix per bit of the ids with probabilities a, b, c, d. Directed, with duplicate
 * edges and self-loops as drawn (use `simplify`). Edges are drawn in blocks of
 * {@link RMAT_BLOCK_EDGES}, block k from the stream `random(seed).derive(k)`, so the same seed
 * gives the same graph however the blocks are spread over workers. Keys are 0..2^scale - 1;
 * vertices that no edge touches are still numbered (the dictionary has all 2^scale keys).
 */
export function rmatGraph(options: RmatOptions = {}): GeneratedGraph {
  const scale = options.scale ?? RMAT_DEFAULTS.scale;
  const edgeFactor = options.edgeFactor ?? RMAT_DEFAULTS.edgeFactor;
  const a = options.a ?? RMAT_DEFAULTS.a;
  const b = options.b ?? RMAT_DEFAULTS.b;
  const c = options.c ?? RMAT_DEFAULTS.c;
  const noise = options.noise ?? RMAT_DEFAULTS.noise;
  checkCount('scale', scale, 0);
  if (scale > 30) throw new ParamError('scale', scale, 'an integer from 0 to 30');
  if (!(edgeFactor > 0) || !Number.isInteger(edgeFactor * 2 ** scale)) {
    throw new ParamError('edgeFactor', edgeFactor, 'a positive number with edgeFactor * 2^scale whole');
  }
  for (const [name, value] of [
    ['a', a],
    ['b', b],
    ['c', c],
  ] as const) {
    if (!(value >= 0 && value <= 1)) throw new ParamError(name, value, 'a probability in [0, 1]');
  }
  if (a + b + c > 1 + 1e-12) throw new ParamError('a + b + c', a + b + c, 'at most 1');
  if (!(noise >= 0 && noise < 2)) throw new ParamError('noise', noise, 'a number in [0, 2)');
  const edgeCount = edgeFactor * 2 ** scale;
  if (edgeCount > 2 ** 31 - 1) throw new ParamError('edgeFactor * 2^scale', edgeCount, 'below 2^31');
  const sources = new Int32Array(edgeCount);
  const targets = new Int32Array(edgeCount);
  const root = random(options.seed ?? RMAT_DEFAULTS.seed);
  const d = 1 - a - b - c;
  for (let block = 0; block * RMAT_BLOCK_EDGES < edgeCount; block++) {
    const stream = root.derive(block);
    const state = new Uint32Array(4);
    for (let i = 0; i < 4; i++) state[i] = Math.floor(stream.uniform() * 2 ** 32);
    if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
    const end = Math.min(edgeCount, (block + 1) * RMAT_BLOCK_EDGES);
    if (noise === 0)
      drawPlain(sources, targets, block * RMAT_BLOCK_EDGES, end, scale, a, a + b, a + b + c, state);
    else drawNoisy(sources, targets, block * RMAT_BLOCK_EDGES, end, scale, a, b, c, d, noise, state);
  }
  return { dictionary: identityDictionary(2 ** scale), sources, targets };
}

const UINT32_SCALE = 1 / 2 ** 32;

/** xoshiro128** step: a fast generator whose state is seeded from the core random source. */
function nextUniform(s: Uint32Array): number {
  const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result * UINT32_SCALE;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function drawPlain(
  sources: Int32Array,
  targets: Int32Array,
  start: number,
  end: number,
  scale: number,
  ab0: number,
  ab1: number,
  ab2: number,
  state: Uint32Array,
): void {
  // The hot loop (hundreds of millions of draws): xoshiro128** inlined on local state.
  let s0 = state[0] | 0;
  let s1 = state[1] | 0;
  let s2 = state[2] | 0;
  let s3 = state[3] | 0;
  for (let e = start; e < end; e++) {
    let source = 0;
    let target = 0;
    for (let bit = scale - 1; bit >= 0; bit--) {
      const x = Math.imul(s1, 5);
      const r = (Math.imul((x << 7) | (x >>> 25), 9) >>> 0) * UINT32_SCALE;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      if (r >= ab0) {
        if (r < ab1) target |= 1 << bit;
        else if (r < ab2) source |= 1 << bit;
        else {
          source |= 1 << bit;
          target |= 1 << bit;
        }
      }
    }
    sources[e] = source;
    targets[e] = target;
  }
}

function drawNoisy(
  sources: Int32Array,
  targets: Int32Array,
  start: number,
  end: number,
  scale: number,
  a0: number,
  b0: number,
  c0: number,
  d0: number,
  noise: number,
  state: Uint32Array,
): void {
  for (let e = start; e < end; e++) {
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    let source = 0;
    let target = 0;
    for (let bit = scale - 1; bit >= 0; bit--) {
      const r = nextUniform(state);
      if (r >= a) {
        if (r < a + b) target |= 1 << bit;
        else if (r < a + b + c) source |= 1 << bit;
        else {
          source |= 1 << bit;
          target |= 1 << bit;
        }
      }
      // As Gelly does: jitter the probabilities for the next level, then renormalise.
      a *= 1 - noise / 2 + nextUniform(state) * noise;
      b *= 1 - noise / 2 + nextUniform(state) * noise;
      c *= 1 - noise / 2 + nextUniform(state) * noise;
      d *= 1 - noise / 2 + nextUniform(state) * noise;
      const norm = 1 / (a + b + c + d);
      a *= norm;
      b *= norm;
      c *= norm;
      d *= norm;
    }
    sources[e] = source;
    targets[e] = target;
  }
}
