/**
 * `Graph<K, VV, EV>`: Gelly's graph over eddy's CSR index. Vertex keys (numbers or strings) are
 * numbered once by a {@link VertexDictionary}; edges live in a {@link Csr} (out-edges, in-edges
 * on demand); numeric vertex and edge values in `Float64Array`s. Graphs are immutable: every
 * transformation returns a new graph, as in Gelly.
 */
import { ParamError } from '../core/errors.js';
import { buildCsr, Csr } from './csr.js';
import type { EdgeList } from './edge-list-reader.js';
import { type GatherSumApplyProgram, runGatherSumApplyIteration } from './iterations/gather-sum-apply.js';
import type { IterationOptions, IterationResult } from './iterations/options.js';
import {
  runScatterGatherIteration,
  type ScatterGatherOptions,
  type ScatterGatherProgram,
} from './iterations/scatter-gather.js';
import {
  type ComputeFunction,
  runVertexCentricIteration,
  type VertexCentricOptions,
} from './iterations/vertex-centric.js';
import { pickValues, storeValues, type ValueStore, valueAt } from './values.js';
import { numberIntegerKeys, VertexDictionary, type VertexKey } from './vertex-dictionary.js';
import { VertexResult } from './vertex-result.js';

/** Which edges of a vertex count: its in-edges, its out-edges, or both (Gelly's EdgeDirection). */
export type EdgeDirection = 'in' | 'out' | 'all';

/** Gelly's names for the directions. */
export const EdgeDirection = { IN: 'in', OUT: 'out', ALL: 'all' } as const;

/** The key type a set of keys widens to: `'a' | 'b'` to string, `1 | 2` to number. */
export type WidenKey<K> = K extends string ? string : K extends number ? number : K;

/** A vertex: its key and value. */
export interface Vertex<K, VV> {
  id: K;
  value: VV;
}

/** An edge: the keys of its ends and its value. */
export interface Edge<K, EV> {
  source: K;
  target: K;
  value: EV;
}

/** An edge with the values of both its ends. */
export interface Triplet<K, VV, EV> extends Edge<K, EV> {
  sourceValue: VV;
  targetValue: VV;
}

/** An edge given as `[source, target]`, `[source, target, value]` or an {@link Edge}. */
export type EdgeInput<K, EV> = readonly [K, K] | readonly [K, K, EV] | Edge<K, EV>;

/** A vertex given as `[key, value]` or a {@link Vertex}. */
export type VertexInput<K, VV> = readonly [K, VV] | Vertex<K, VV>;

/** Options of {@link Graph.fromEdges}. */
export interface GraphFromEdgesOptions<K, VV> {
  /** The vertices with their values. Edge ends not listed here are added (value from `vertexValue`). */
  vertices?: Iterable<VertexInput<K, VV>>;
  /** The value of a vertex that is not in `vertices` (Gelly's vertex value initializer). */
  vertexValue?: (key: K) => VV;
}

function edgeParts<K, EV>(edge: EdgeInput<K, EV>): [K, K, EV] {
  if (Array.isArray(edge)) return [edge[0], edge[1], edge[2] as EV];
  const { source, target, value } = edge as Edge<K, EV>;
  return [source, target, value];
}

function vertexParts<K, VV>(vertex: VertexInput<K, VV>): [K, VV] {
  if (Array.isArray(vertex)) return [vertex[0], vertex[1]];
  const { id, value } = vertex as Vertex<K, VV>;
  return [id, value];
}

/** Dense ids of `keys` in `dictionary` (every key must be in it). */
function denseIds<K extends VertexKey>(dictionary: VertexDictionary<K>, keys: ArrayLike<K>): Int32Array {
  const ids = new Int32Array(keys.length);
  const lookup = new Map<K, number>();
  for (let id = 0; id < dictionary.size; id++) lookup.set(dictionary.key(id), id);
  for (let i = 0; i < keys.length; i++) {
    const id = lookup.get(keys[i]);
    if (id === undefined) throw new ParamError('vertex', keys[i], 'a vertex of the graph');
    ids[i] = id;
  }
  return ids;
}

/** A directed graph with vertex values `VV` and edge values `EV` (Gelly's `Graph<K, VV, EV>`). */
export class Graph<K extends VertexKey = VertexKey, VV = undefined, EV = undefined> {
  /** Vertex keys and their dense ids. */
  readonly dictionary: VertexDictionary<K>;
  /** The out-edge index; `csr.weights` holds the edge values when they are numbers. */
  readonly csr: Csr;
  private readonly vertexStore: ValueStore<VV>;
  /** Edge values in CSR order. */
  private readonly edgeStore: ValueStore<EV>;

  /**
   * Wraps a dictionary, a CSR and value stores (vertex values by dense id, edge values in CSR
   * order). Use the static constructors unless you already hold these.
   */
  constructor(
    dictionary: VertexDictionary<K>,
    csr: Csr,
    vertexValues: ValueStore<VV>,
    edgeValues: ValueStore<EV>,
  ) {
    if (csr.vertexCount !== dictionary.size) {
      throw new ParamError(
        'csr',
        `${csr.vertexCount} vertices`,
        `${dictionary.size} (the dictionary's size)`,
      );
    }
    if (vertexValues !== undefined && vertexValues.length !== dictionary.size) {
      throw new ParamError('vertexValues', `${vertexValues.length} values`, `${dictionary.size}`);
    }
    if (edgeValues !== undefined && edgeValues.length !== csr.edgeCount) {
      throw new ParamError('edgeValues', `${edgeValues.length} values`, `${csr.edgeCount}`);
    }
    this.dictionary = dictionary;
    // Keep one invariant for the kernels: numeric edge values are exactly `csr.weights`.
    const weights = edgeValues instanceof Float64Array ? edgeValues : undefined;
    this.csr = csr.weights === weights ? csr : new Csr(csr.offsets, csr.targets, weights);
    this.vertexStore = vertexValues;
    this.edgeStore = edgeValues;
  }

  /**
   * Builds a graph from dense ids: `sources`/`targets` index `dictionary`, `edgeValues` are in
   * the same (input) order, `vertexValues` by dense id. Numeric edge values become `csr.weights`.
   */
  static fromDenseEdges<K extends VertexKey, VV, EV>(
    dictionary: VertexDictionary<K>,
    sources: Int32Array,
    targets: Int32Array,
    edgeValues: ValueStore<EV>,
    vertexValues: ValueStore<VV>,
  ): Graph<K, VV, EV> {
    const weights = edgeValues instanceof Float64Array ? edgeValues : undefined;
    const general = edgeValues !== undefined && !(edgeValues instanceof Float64Array);
    const { csr, edgeOrder } = buildCsr(dictionary.size, sources, targets, {
      weights,
      keepEdgeOrder: general,
    });
    const stored = general ? pickValues(edgeValues, edgeOrder!) : csr.weights;
    return new Graph(dictionary, csr, vertexValues, stored as ValueStore<EV>);
  }

  /**
   * A graph from edges (and optionally vertices with values), like Gelly's `fromCollection`.
   * @example
   * const g = Graph.fromEdges([['a', 'b', 1.5], ['b', 'c', 2]]);
   */
  static fromEdges<K extends VertexKey, VV = undefined, EV = undefined>(
    edges: Iterable<EdgeInput<K, EV>>,
    options: GraphFromEdgesOptions<K, VV> = {},
  ): Graph<WidenKey<K> & VertexKey, VV, EV> {
    const sourceKeys: K[] = [];
    const targetKeys: K[] = [];
    const values: EV[] = [];
    for (const edge of edges) {
      const [source, target, value] = edgeParts(edge);
      sourceKeys.push(source);
      targetKeys.push(target);
      values.push(value);
    }
    return Graph.fromArrays(sourceKeys, targetKeys, values, options);
  }

  /** {@link Graph.fromEdges} keeping the key type exactly (for methods that rebuild a graph). */
  private static exactFromEdges<K extends VertexKey, VV, EV>(
    edges: Iterable<EdgeInput<K, EV>>,
    options: GraphFromEdgesOptions<K, VV>,
  ): Graph<K, VV, EV> {
    return Graph.fromEdges<K, VV, EV>(edges, options) as unknown as Graph<K, VV, EV>;
  }

  /**
   * A graph from parallel arrays (plain or typed) of source keys, target keys and optionally
   * edge values. Integer typed arrays take a fast path (no per-edge Map lookups).
   */
  static fromArrays<K extends VertexKey, VV = undefined, EV = undefined>(
    sources: ArrayLike<K>,
    targets: ArrayLike<K>,
    values?: ArrayLike<EV>,
    options: GraphFromEdgesOptions<K, VV> = {},
  ): Graph<WidenKey<K> & VertexKey, VV, EV> {
    if (sources.length !== targets.length || (values !== undefined && values.length !== sources.length)) {
      throw new ParamError('targets', `${targets.length} targets`, `${sources.length} (one per source)`);
    }
    const vertexEntries = options.vertices === undefined ? [] : Array.from(options.vertices, vertexParts);
    let dictionary: VertexDictionary<K>;
    let sourceIds: Int32Array;
    let targetIds: Int32Array;
    const integerArrays =
      vertexEntries.length === 0 && isIntegerTypedArray(sources) && isIntegerTypedArray(targets);
    if (integerArrays && nonNegative(sources) && nonNegative(targets)) {
      sourceIds = Int32Array.from(sources as ArrayLike<number>);
      targetIds = Int32Array.from(targets as ArrayLike<number>);
      let max = -1;
      for (let e = 0; e < sourceIds.length; e++) max = Math.max(max, sourceIds[e], targetIds[e]);
      dictionary = numberIntegerKeys(sourceIds, targetIds, max) as unknown as VertexDictionary<K>;
    } else {
      const keys: K[] = vertexEntries.map(([key]) => key);
      for (let e = 0; e < sources.length; e++) keys.push(sources[e], targets[e]);
      dictionary = VertexDictionary.fromKeys<K>(keys);
      sourceIds = denseIds(dictionary, sources);
      targetIds = denseIds(dictionary, targets);
    }
    const given = new Map<K, VV>(vertexEntries);
    const initial = options.vertexValue;
    const vertexValues = storeValues(dictionary.size, (id) => {
      const key = dictionary.key(id);
      return given.has(key) ? (given.get(key) as VV) : initial ? initial(key) : (undefined as VV);
    });
    const edgeValues = values === undefined ? undefined : storeValues(values.length, (e) => values[e]);
    return Graph.fromDenseEdges(dictionary, sourceIds, targetIds, edgeValues, vertexValues) as Graph<
      WidenKey<K> & VertexKey,
      VV,
      EV
    >;
  }

  /** A graph from an edge list read by `readEdgeList` (weights become numeric edge values). */
  static fromEdgeList(list: EdgeList): Graph<VertexKey, undefined, number | undefined> {
    return Graph.fromDenseEdges(list.dictionary, list.sources, list.targets, list.weights, undefined);
  }

  // ---------------------------------------------------------------- sizes and values

  /** Number of vertices. */
  numberOfVertices(): number {
    return this.dictionary.size;
  }

  /** Number of edges (parallel edges counted). */
  numberOfEdges(): number {
    return this.csr.edgeCount;
  }

  /** Whether the edge values are numbers (then they are `csr.weights`). */
  get hasNumericEdgeValues(): boolean {
    return this.edgeStore instanceof Float64Array;
  }

  /** The vertex value store (by dense id): what iterations start from. */
  vertexValueStore(): ValueStore<VV> {
    return this.vertexStore;
  }

  /** A graph with the same structure and the given vertex value store (by dense id). */
  withVertexValueStore<NV>(values: ValueStore<NV>): Graph<K, NV, EV> {
    return new Graph(this.dictionary, this.csr, values, this.edgeStore);
  }

  /** Vertex values by dense id as a `Float64Array` when they are numbers, else undefined. */
  numericVertexValues(): Float64Array | undefined {
    return this.vertexStore instanceof Float64Array ? this.vertexStore : undefined;
  }

  /** The value of the vertex with dense id `id`. */
  vertexValueAt(id: number): VV {
    return valueAt(this.vertexStore, id);
  }

  /** The value of the edge at CSR position `position`. */
  edgeValueAt(position: number): EV {
    return valueAt(this.edgeStore, position);
  }

  /** The value of the vertex with `key`. Throws when there is no such vertex. */
  vertexValue(key: K): VV {
    return valueAt(this.vertexStore, this.requireId(key));
  }

  /** Whether a vertex with `key` exists. */
  hasVertex(key: K): boolean {
    return this.dictionary.has(key);
  }

  /** The dense id of `key`; a ParamError naming the key when it is not a vertex. */
  requireId(key: K): number {
    const id = this.dictionary.id(key);
    if (id < 0) throw new ParamError('vertex', key, 'a vertex of the graph');
    return id;
  }

  /** Every vertex with its value, by dense id (Gelly's getVertices). */
  getVertices(): Vertex<K, VV>[] {
    return Array.from({ length: this.dictionary.size }, (_, id) => ({
      id: this.dictionary.key(id),
      value: valueAt(this.vertexStore, id),
    }));
  }

  /** Every edge, grouped by source (Gelly's getEdges). */
  getEdges(): Edge<K, EV>[] {
    const edges: Edge<K, EV>[] = new Array(this.csr.edgeCount);
    const { offsets, targets } = this.csr;
    for (let v = 0; v < this.dictionary.size; v++) {
      const source = this.dictionary.key(v);
      for (let e = offsets[v]; e < offsets[v + 1]; e++) {
        edges[e] = { source, target: this.dictionary.key(targets[e]), value: valueAt(this.edgeStore, e) };
      }
    }
    return edges;
  }

  /** Every vertex key (Gelly's getVertexIds). */
  getVertexIds(): K[] {
    return this.dictionary.keys();
  }

  /** Every edge as `[source, target]` (Gelly's getEdgeIds). */
  getEdgeIds(): [K, K][] {
    return this.getEdges().map((edge) => [edge.source, edge.target]);
  }

  // ---------------------------------------------------------------- degrees

  /** Number of in-edges of every vertex. */
  inDegrees(): VertexResult<K, number> {
    return new VertexResult(this.dictionary, this.csr.inDegrees());
  }

  /** Number of out-edges of every vertex. */
  outDegrees(): VertexResult<K, number> {
    return new VertexResult(this.dictionary, this.csr.outDegrees());
  }

  /** In-degree plus out-degree of every vertex (Gelly's getDegrees). */
  getDegrees(): VertexResult<K, number> {
    const degrees = this.csr.outDegrees();
    const targets = this.csr.targets;
    for (let e = 0; e < targets.length; e++) degrees[targets[e]]++;
    return new VertexResult(this.dictionary, degrees);
  }

  // ---------------------------------------------------------------- transformations

  /** A graph with the same structure and vertex values `mapper(vertex)`. */
  mapVertices<NV>(mapper: (vertex: Vertex<K, VV>) => NV): Graph<K, NV, EV> {
    const values = storeValues(this.dictionary.size, (id) =>
      mapper({ id: this.dictionary.key(id), value: valueAt(this.vertexStore, id) }),
    );
    return new Graph(this.dictionary, this.csr, values, this.edgeStore);
  }

  /** A graph with the same structure and edge values `mapper(edge)`. */
  mapEdges<NE>(mapper: (edge: Edge<K, EV>) => NE): Graph<K, VV, NE> {
    const edges = this.getEdges();
    const values = storeValues(edges.length, (e) => mapper(edges[e]));
    return new Graph(this.dictionary, this.csr, this.vertexStore, values);
  }

  /** Keeps the vertices for which `predicate` holds, and the edges between them. */
  filterOnVertices(predicate: (vertex: Vertex<K, VV>) => boolean): Graph<K, VV, EV> {
    return this.subgraph(predicate, () => true);
  }

  /** Keeps the edges for which `predicate` holds, and every vertex. */
  filterOnEdges(predicate: (edge: Edge<K, EV>) => boolean): Graph<K, VV, EV> {
    return this.subgraph(() => true, predicate);
  }

  /**
   * Keeps the vertices that pass `vertexPredicate` and the edges that pass `edgePredicate`
   * whose both ends are kept (Gelly's subgraph).
   */
  subgraph(
    vertexPredicate: (vertex: Vertex<K, VV>) => boolean,
    edgePredicate: (edge: Edge<K, EV>) => boolean,
  ): Graph<K, VV, EV> {
    const keep = new Uint8Array(this.dictionary.size);
    for (let id = 0; id < keep.length; id++) {
      keep[id] = vertexPredicate({ id: this.dictionary.key(id), value: valueAt(this.vertexStore, id) })
        ? 1
        : 0;
    }
    const sources = this.csr.sources();
    const { targets } = this.csr;
    return this.selectEdges(keep, (e) =>
      keep[sources[e]] === 1 && keep[targets[e]] === 1
        ? edgePredicate({
            source: this.dictionary.key(sources[e]),
            target: this.dictionary.key(targets[e]),
            value: valueAt(this.edgeStore, e),
          })
        : false,
    );
  }

  /** Every edge turned around (Gelly's reverse). */
  reverse(): Graph<K, VV, EV> {
    return Graph.fromDenseEdges(
      this.dictionary,
      this.csr.targets,
      this.csr.sources(),
      this.edgeStore,
      this.vertexStore,
    );
  }

  /** Every edge plus its reverse, with the same value (Gelly's getUndirected: the edge count doubles). */
  undirected(): Graph<K, VV, EV> {
    const count = this.csr.edgeCount;
    const sources = new Int32Array(2 * count);
    const targets = new Int32Array(2 * count);
    sources.set(this.csr.sources());
    sources.set(this.csr.targets, count);
    targets.set(this.csr.targets);
    targets.set(this.csr.sources(), count);
    const values =
      this.edgeStore === undefined
        ? undefined
        : storeValues(2 * count, (e) => valueAt(this.edgeStore, e < count ? e : e - count));
    return Graph.fromDenseEdges(this.dictionary, sources, targets, values, this.vertexStore);
  }

  // ---------------------------------------------------------------- set operations

  /**
   * Union with another graph: vertices are de-duplicated by key (this graph's value wins),
   * edges are all kept, duplicates included (Gelly's union).
   */
  union(other: Graph<K, VV, EV>): Graph<K, VV, EV> {
    const mine = this.getEdges();
    const theirs = other.getEdges();
    return Graph.exactFromEdges<K, VV, EV>([...mine, ...theirs], {
      vertices: dedupeFirstWins([...this.getVertices(), ...other.getVertices()]),
    });
  }

  /** Removes the vertices of `other` (by key) and their edges (Gelly's difference). */
  difference(other: Graph<K, VV, EV>): Graph<K, VV, EV> {
    return this.removeVertices(other.getVertexIds());
  }

  /**
   * The edges present in both graphs, equal when source, target and value are equal. Each edge
   * instance pairs with at most one equal edge of the other graph. With `distinctEdges` each
   * matched edge appears once; otherwise both edges of every pair are kept (Gelly's intersect).
   * The vertices are the ends of those edges, with this graph's values.
   */
  intersect(other: Graph<K, VV, EV>, distinctEdges: boolean): Graph<K, VV, EV> {
    const signature = (edge: Edge<K, EV>): string => JSON.stringify([edge.source, edge.target, edge.value]);
    const counts = new Map<string, number>();
    for (const edge of other.getEdges()) counts.set(signature(edge), (counts.get(signature(edge)) ?? 0) + 1);
    const result: Edge<K, EV>[] = [];
    const emitted = new Set<string>();
    for (const edge of this.getEdges()) {
      const key = signature(edge);
      const available = counts.get(key) ?? 0;
      if (available === 0) continue;
      counts.set(key, available - 1);
      if (distinctEdges) {
        if (!emitted.has(key)) result.push(edge);
        emitted.add(key);
      } else {
        result.push(edge, { ...edge });
      }
    }
    const keys = new Set<K>();
    for (const edge of result) keys.add(edge.source).add(edge.target);
    return Graph.exactFromEdges<K, VV, EV>(result, {
      vertices: [...keys].map((key) => ({ id: key, value: this.vertexValue(key) })),
    });
  }

  // ---------------------------------------------------------------- joins

  /**
   * Updates the value of every vertex listed in `input` to `mapper(value, inputValue)`; other
   * vertices keep theirs (Gelly's joinWithVertices). Keys that are not vertices are ignored.
   */
  joinWithVertices<T>(
    input: Iterable<readonly [K, T]>,
    mapper: (value: VV, inputValue: T) => VV,
  ): Graph<K, VV, EV> {
    const updates = new Map<number, T>();
    for (const [key, value] of input) {
      const id = this.dictionary.id(key);
      if (id >= 0) updates.set(id, value);
    }
    const values = storeValues(this.dictionary.size, (id) => {
      const value = valueAt(this.vertexStore, id);
      return updates.has(id) ? mapper(value, updates.get(id) as T) : value;
    });
    return new Graph(this.dictionary, this.csr, values, this.edgeStore);
  }

  /** Updates every edge `source → target` listed in `input` (all parallel copies) (Gelly's joinWithEdges). */
  joinWithEdges<T>(
    input: Iterable<readonly [K, K, T]>,
    mapper: (value: EV, inputValue: T) => EV,
  ): Graph<K, VV, EV> {
    const updates = new Map<string, T>();
    for (const [source, target, value] of input) updates.set(JSON.stringify([source, target]), value);
    const sources = this.csr.sources();
    return this.withEdgeValues((e, value) => {
      const key = JSON.stringify([this.dictionary.key(sources[e]), this.dictionary.key(this.csr.targets[e])]);
      return updates.has(key) ? mapper(value, updates.get(key) as T) : value;
    });
  }

  /** Updates every edge whose source is listed in `input` (Gelly's joinWithEdgesOnSource). */
  joinWithEdgesOnSource<T>(
    input: Iterable<readonly [K, T]>,
    mapper: (value: EV, inputValue: T) => EV,
  ): Graph<K, VV, EV> {
    const updates = this.byVertex(input);
    const sources = this.csr.sources();
    return this.withEdgeValues((e, value) =>
      updates.has(sources[e]) ? mapper(value, updates.get(sources[e]) as T) : value,
    );
  }

  /** Updates every edge whose target is listed in `input` (Gelly's joinWithEdgesOnTarget). */
  joinWithEdgesOnTarget<T>(
    input: Iterable<readonly [K, T]>,
    mapper: (value: EV, inputValue: T) => EV,
  ): Graph<K, VV, EV> {
    const updates = this.byVertex(input);
    const { targets } = this.csr;
    return this.withEdgeValues((e, value) =>
      updates.has(targets[e]) ? mapper(value, updates.get(targets[e]) as T) : value,
    );
  }

  // ---------------------------------------------------------------- mutations (new graphs)

  /** Adds a vertex (no change when the key exists already, as in Gelly). */
  addVertex(key: K, value: VV): Graph<K, VV, EV> {
    return this.addVertices([[key, value]]);
  }

  /** Adds the vertices whose keys are not in the graph yet. */
  addVertices(vertices: Iterable<VertexInput<K, VV>>): Graph<K, VV, EV> {
    const added = [...vertices].map(vertexParts).filter(([key]) => !this.dictionary.has(key));
    if (added.length === 0) return this;
    return Graph.exactFromEdges<K, VV, EV>(this.getEdges(), {
      vertices: [...this.getVertices(), ...dedupeFirstWins(added.map(([id, value]) => ({ id, value })))],
    });
  }

  /**
   * Adds an edge; missing ends are added as vertices (with the given values when `source` /
   * `target` are {@link Vertex} objects), as Gelly's addEdge does.
   */
  addEdge(source: K | Vertex<K, VV>, target: K | Vertex<K, VV>, value: EV): Graph<K, VV, EV> {
    const ends = [source, target].map((end) =>
      typeof end === 'object' ? end : ({ id: end, value: undefined as VV } as Vertex<K, VV>),
    );
    const withEnds = this.addVertices(ends);
    const edge = { source: ends[0].id, target: ends[1].id, value };
    return Graph.exactFromEdges<K, VV, EV>([...withEnds.getEdges(), edge], {
      vertices: withEnds.getVertices(),
    });
  }

  /** Adds edges whose ends both exist; edges with a missing end are ignored (as in Gelly). */
  addEdges(edges: Iterable<EdgeInput<K, EV>>): Graph<K, VV, EV> {
    const valid = [...edges]
      .map(edgeParts)
      .filter(([source, target]) => this.dictionary.has(source) && this.dictionary.has(target))
      .map(([source, target, value]) => ({ source, target, value }));
    return Graph.exactFromEdges<K, VV, EV>([...this.getEdges(), ...valid], { vertices: this.getVertices() });
  }

  /** Removes a vertex and all its edges. */
  removeVertex(key: K): Graph<K, VV, EV> {
    return this.removeVertices([key]);
  }

  /** Removes the given vertices (keys not in the graph are ignored) and all their edges. */
  removeVertices(keys: Iterable<K | Vertex<K, VV>>): Graph<K, VV, EV> {
    const keep = new Uint8Array(this.dictionary.size).fill(1);
    for (const item of keys) {
      const id = this.dictionary.id(typeof item === 'object' ? item.id : item);
      if (id >= 0) keep[id] = 0;
    }
    const sources = this.csr.sources();
    const { targets } = this.csr;
    return this.selectEdges(keep, (e) => keep[sources[e]] === 1 && keep[targets[e]] === 1);
  }

  /** Removes every edge from `source` to `target` (all parallel copies, whatever their values). */
  removeEdge(source: K, target: K): Graph<K, VV, EV> {
    return this.removeEdges([[source, target]]);
  }

  /** Removes every edge between each given pair (all parallel copies). */
  removeEdges(pairs: Iterable<readonly [K, K] | Edge<K, EV>>): Graph<K, VV, EV> {
    const removed = new Map<number, Set<number>>();
    for (const pair of pairs) {
      const [source, target] = edgeParts(pair as EdgeInput<K, EV>);
      const s = this.dictionary.id(source);
      const t = this.dictionary.id(target);
      if (s < 0 || t < 0) continue;
      let targets = removed.get(s);
      if (targets === undefined) removed.set(s, (targets = new Set()));
      targets.add(t);
    }
    const sources = this.csr.sources();
    const { targets } = this.csr;
    return this.selectEdges(undefined, (e) => removed.get(sources[e])?.has(targets[e]) !== true);
  }

  // ---------------------------------------------------------------- neighbourhoods

  /**
   * Combines the values of each vertex's neighbours (in `direction`) with `reducer`
   * (Gelly's reduceOnNeighbors). Vertices without such neighbours get no value.
   */
  reduceOnNeighbors(reducer: (a: VV, b: VV) => VV, direction: EdgeDirection): VertexResult<K, VV> {
    return this.reduceOver(
      direction,
      (_position, neighbour) => valueAt(this.vertexStore, neighbour),
      reducer,
    );
  }

  /**
   * Combines the values of each vertex's edges (in `direction`) with `reducer`
   * (Gelly's reduceOnEdges). Vertices without such edges get no value.
   */
  reduceOnEdges(reducer: (a: EV, b: EV) => EV, direction: EdgeDirection): VertexResult<K, EV> {
    return this.reduceOver(direction, (position) => valueAt(this.edgeStore, position), reducer);
  }

  /**
   * Calls `fn(vertex, neighbours, emit)` for every vertex with the list of its edges (in
   * `direction`) and the vertex at their other end; returns everything emitted
   * (Gelly's groupReduceOnNeighbors). With `'all'`, a self-loop appears twice.
   */
  groupReduceOnNeighbors<O>(
    fn: (
      vertex: Vertex<K, VV>,
      neighbors: { edge: Edge<K, EV>; neighbor: Vertex<K, VV> }[],
      emit: (out: O) => void,
    ) => void,
    direction: EdgeDirection,
  ): O[] {
    const out: O[] = [];
    const emit = (value: O): void => {
      out.push(value);
    };
    this.forEachNeighbourhood(direction, (vertex, positions, neighbours) => {
      fn(
        this.vertexAt(vertex),
        positions.map((position, i) => ({
          edge: this.edgeAt(position),
          neighbor: this.vertexAt(neighbours[i]),
        })),
        emit,
      );
    });
    return out;
  }

  /**
   * Calls `fn(vertex, edges, emit)` for every vertex with its edges in `direction`; returns
   * everything emitted (Gelly's groupReduceOnEdges).
   */
  groupReduceOnEdges<O>(
    fn: (vertex: Vertex<K, VV>, edges: Edge<K, EV>[], emit: (out: O) => void) => void,
    direction: EdgeDirection,
  ): O[] {
    const out: O[] = [];
    const emit = (value: O): void => {
      out.push(value);
    };
    this.forEachNeighbourhood(direction, (vertex, positions) => {
      fn(
        this.vertexAt(vertex),
        positions.map((position) => this.edgeAt(position)),
        emit,
      );
    });
    return out;
  }

  /** Every edge with the values of its ends (Gelly's getTriplets). */
  triplets(): Triplet<K, VV, EV>[] {
    const sources = this.csr.sources();
    return this.getEdges().map((edge, e) => ({
      ...edge,
      sourceValue: valueAt(this.vertexStore, sources[e]),
      targetValue: valueAt(this.vertexStore, this.csr.targets[e]),
    }));
  }

  // ---------------------------------------------------------------- iterations

  /** Runs a vertex-centric (Pregel) iteration on this graph: see {@link runVertexCentricIteration}. */
  runVertexCentricIteration<M>(
    program: ComputeFunction<K, VV, EV, M> | ComputeFunction<K, VV, EV, M>['compute'],
    options: VertexCentricOptions<M>,
  ): IterationResult<K, VV, EV> {
    return runVertexCentricIteration(this, program, options);
  }

  /** Runs a scatter-gather iteration on this graph: see {@link runScatterGatherIteration}. */
  runScatterGatherIteration<M>(
    program: ScatterGatherProgram<K, VV, EV, M>,
    options: ScatterGatherOptions<M>,
  ): IterationResult<K, VV, EV> {
    return runScatterGatherIteration(this, program, options);
  }

  /** Runs a gather-sum-apply iteration on this graph: see {@link runGatherSumApplyIteration}. */
  runGatherSumApplyIteration<M>(
    program: GatherSumApplyProgram<VV, EV, M>,
    options: IterationOptions,
  ): IterationResult<K, VV, EV> {
    return runGatherSumApplyIteration(this, program, options);
  }

  // ---------------------------------------------------------------- checks and clean-up

  /**
   * Whether the graph is well formed: offsets non-decreasing, every edge end a vertex, keys
   * distinct, and `validator(graph)` (Gelly's GraphValidator) when given.
   */
  validate(validator?: (graph: Graph<K, VV, EV>) => boolean): boolean {
    const { offsets, targets } = this.csr;
    for (let v = 0; v < this.csr.vertexCount; v++) if (offsets[v + 1] < offsets[v]) return false;
    for (let e = 0; e < targets.length; e++) if (targets[e] >>> 0 >= this.csr.vertexCount) return false;
    const keys = new Set(this.dictionary.keys());
    if (keys.size !== this.dictionary.size) return false;
    return validator === undefined || validator(this);
  }

  /**
   * Removes self-loops and duplicate edges (keeping the first copy's value); with
   * `undirected: true` also adds the reverse of every edge first, so the result is symmetric.
   */
  simplify(options: { undirected?: boolean } = {}): Graph<K, VV, EV> {
    const base = options.undirected ? this.undirected() : this;
    const { offsets, targets } = base.csr;
    // Per source, mark each target once: a vertex-sized stamp array, no per-edge allocation.
    const stamp = new Int32Array(base.dictionary.size).fill(-1);
    const keepEdge = new Uint8Array(targets.length);
    for (let v = 0; v < base.dictionary.size; v++) {
      for (let e = offsets[v]; e < offsets[v + 1]; e++) {
        const t = targets[e];
        if (t !== v && stamp[t] !== v) {
          stamp[t] = v;
          keepEdge[e] = 1;
        }
      }
    }
    return base.selectEdges(undefined, (e) => keepEdge[e] === 1);
  }

  // ---------------------------------------------------------------- internals

  private vertexAt(id: number): Vertex<K, VV> {
    return { id: this.dictionary.key(id), value: valueAt(this.vertexStore, id) };
  }

  private edgeAt(position: number): Edge<K, EV> {
    return {
      source: this.dictionary.key(this.csr.sources()[position]),
      target: this.dictionary.key(this.csr.targets[position]),
      value: valueAt(this.edgeStore, position),
    };
  }

  private byVertex<T>(input: Iterable<readonly [K, T]>): Map<number, T> {
    const map = new Map<number, T>();
    for (const [key, value] of input) {
      const id = this.dictionary.id(key);
      if (id >= 0) map.set(id, value);
    }
    return map;
  }

  private withEdgeValues(update: (position: number, value: EV) => EV): Graph<K, VV, EV> {
    const values = storeValues(this.csr.edgeCount, (e) => update(e, valueAt(this.edgeStore, e)));
    return Graph.fromDenseEdges(
      this.dictionary,
      this.csr.sources(),
      this.csr.targets,
      values,
      this.vertexStore,
    );
  }

  /**
   * A graph with the vertices where `keepVertex` is 1 (all when undefined) and the edges for
   * which `keepEdge(position)` holds; the caller guarantees kept edges have kept ends.
   */
  private selectEdges(
    keepVertex: Uint8Array | undefined,
    keepEdge: (position: number) => boolean,
  ): Graph<K, VV, EV> {
    const n = this.dictionary.size;
    const newId = new Int32Array(n);
    let dictionary = this.dictionary;
    let vertexValues = this.vertexStore;
    if (keepVertex !== undefined) {
      const kept: number[] = [];
      for (let id = 0; id < n; id++) {
        newId[id] = keepVertex[id] ? kept.length : -1;
        if (keepVertex[id]) kept.push(id);
      }
      const keys = kept.map((id) => this.dictionary.key(id));
      dictionary = (
        this.dictionary.kind === 'number'
          ? VertexDictionary.fromSortedNumbers(Float64Array.from(keys as number[]))
          : VertexDictionary.fromStrings(keys as string[])
      ) as VertexDictionary<K>;
      vertexValues = pickValues(this.vertexStore, kept);
    } else {
      for (let id = 0; id < n; id++) newId[id] = id;
    }
    const positions: number[] = [];
    for (let e = 0; e < this.csr.edgeCount; e++) if (keepEdge(e)) positions.push(e);
    const sources = this.csr.sources();
    const newSources = Int32Array.from(positions, (e) => newId[sources[e]]);
    const newTargets = Int32Array.from(positions, (e) => newId[this.csr.targets[e]]);
    return Graph.fromDenseEdges(
      dictionary,
      newSources,
      newTargets,
      pickValues(this.edgeStore, positions),
      vertexValues,
    );
  }

  /** Calls `visit(vertex, edgePositions, neighbours)` for every vertex, edges in `direction`. */
  private forEachNeighbourhood(
    direction: EdgeDirection,
    visit: (vertex: number, positions: number[], neighbours: number[]) => void,
  ): void {
    checkDirection(direction);
    const { offsets, targets } = this.csr;
    const inEdges = direction === 'out' ? undefined : this.csr.inEdges();
    for (let v = 0; v < this.dictionary.size; v++) {
      const positions: number[] = [];
      const neighbours: number[] = [];
      if (direction !== 'in') {
        for (let e = offsets[v]; e < offsets[v + 1]; e++) {
          positions.push(e);
          neighbours.push(targets[e]);
        }
      }
      if (inEdges !== undefined) {
        for (let slot = inEdges.offsets[v]; slot < inEdges.offsets[v + 1]; slot++) {
          positions.push(inEdges.edgePositions[slot]);
          neighbours.push(inEdges.sources[slot]);
        }
      }
      visit(v, positions, neighbours);
    }
  }

  private reduceOver<T>(
    direction: EdgeDirection,
    valueFor: (position: number, neighbour: number) => T,
    reducer: (a: T, b: T) => T,
  ): VertexResult<K, T> {
    const ids: number[] = [];
    const values: T[] = [];
    this.forEachNeighbourhood(direction, (vertex, positions, neighbours) => {
      if (positions.length === 0) return;
      let accumulated = valueFor(positions[0], neighbours[0]);
      for (let i = 1; i < positions.length; i++)
        accumulated = reducer(accumulated, valueFor(positions[i], neighbours[i]));
      ids.push(vertex);
      values.push(accumulated);
    });
    const stored = storeValues(values.length, (i) => values[i]);
    return new VertexResult(this.dictionary, (stored ?? values) as T[], Int32Array.from(ids));
  }
}

function checkDirection(direction: EdgeDirection): void {
  if (direction !== 'in' && direction !== 'out' && direction !== 'all') {
    throw new ParamError('direction', direction, "'in', 'out' or 'all'");
  }
}

/** Keeps the first vertex given for each key. */
function dedupeFirstWins<K, VV>(vertices: Vertex<K, VV>[]): Vertex<K, VV>[] {
  const byKey = new Map<K, Vertex<K, VV>>();
  for (const vertex of vertices) if (!byKey.has(vertex.id)) byKey.set(vertex.id, vertex);
  return [...byKey.values()];
}

function isIntegerTypedArray(array: ArrayLike<unknown>): boolean {
  return (
    array instanceof Int32Array ||
    array instanceof Uint32Array ||
    array instanceof Int16Array ||
    array instanceof Uint16Array ||
    array instanceof Int8Array ||
    array instanceof Uint8Array
  );
}

function nonNegative(array: ArrayLike<unknown>): boolean {
  const values = array as ArrayLike<number>;
  for (let i = 0; i < values.length; i++) if (!(values[i] >= 0 && values[i] <= 2 ** 31 - 1)) return false;
  return true;
}
