/**
 * Ways into and out of a {@link Graph} besides arrays: edge-list files and stdin, Arrow tables,
 * and graphology graphs (structurally typed: eddy does not load graphology itself).
 */
import type { Table } from 'apache-arrow';
import { columnAsTypedArray } from '../core/arrow.js';
import { InputError, ParamError } from '../core/errors.js';
import { type EdgeListInput, type EdgeListReadOptions, readEdgeList } from './edge-list-reader.js';
import { Graph } from './graph.js';
import type { VertexKey } from './vertex-dictionary.js';

/**
 * Reads an edge-list file (or stdin, or bytes) into a graph; the weight column, when there is
 * one, becomes the numeric edge values (`graph.csr.weights`).
 * @example
 * const graph = await readGraph('edges.tsv', { onInvalid: 'skip' });
 */
export async function readGraph(
  input: EdgeListInput,
  options: EdgeListReadOptions = {},
): Promise<Graph<VertexKey, undefined, number | undefined>> {
  return Graph.fromEdgeList(await readEdgeList(input, options));
}

/** Options of {@link graphFromArrow}. */
export interface ArrowGraphOptions {
  /** Source key column (default `source`). */
  source?: string;
  /** Target key column (default `target`). */
  target?: string;
  /** Edge value column (default `weight` when the table has one; `false` for none). */
  weight?: string | false;
  /** Name of the table, for error messages. */
  name?: string;
}

function keyColumn(table: Table, name: string, source: string): ArrayLike<VertexKey> {
  const column = table.getChild(name);
  if (column === null) {
    throw new InputError(`no column '${name}'`, {
      file: source,
      expected: `one of ${table.schema.fields.map((f) => f.name).join(', ')}`,
    });
  }
  if (column.nullCount > 0) {
    throw new InputError(`column '${name}' has ${column.nullCount} null vertex keys`, {
      file: source,
      expected: 'a key in every row',
    });
  }
  const values = column.toArray();
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    return Float64Array.from(values as BigInt64Array, (value) => {
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new InputError(`column '${name}' has a key beyond 2^53`, { file: source, text: String(value) });
      }
      return Number(value);
    });
  }
  if (ArrayBuffer.isView(values)) return values as unknown as ArrayLike<number>;
  return Array.from(column, (value) => String(value));
}

/**
 * A graph from an Arrow table of edges (source, target and optional weight columns). Integer
 * key columns take the typed fast path; string columns keep their text as keys.
 */
export function graphFromArrow(
  table: Table,
  options: ArrowGraphOptions = {},
): Graph<VertexKey, undefined, number | undefined> {
  const name = options.name ?? '<table>';
  const sources = keyColumn(table, options.source ?? 'source', name);
  const targets = keyColumn(table, options.target ?? 'target', name);
  const weightName =
    options.weight === false
      ? undefined
      : (options.weight ?? (table.getChild('weight') ? 'weight' : undefined));
  const weights =
    weightName === undefined
      ? undefined
      : Float64Array.from(columnAsTypedArray(table, weightName, { source: name }), Number);
  return Graph.fromArrays(sources, targets, weights) as Graph<VertexKey, undefined, number | undefined>;
}

/** The part of graphology's interface that {@link fromGraphology} reads. */
export interface GraphologyReadable {
  forEachNode(callback: (key: string, attributes: Record<string, unknown>) => void): void;
  forEachEdge(
    callback: (
      edge: string,
      attributes: Record<string, unknown>,
      source: string,
      target: string,
      sourceAttributes: Record<string, unknown>,
      targetAttributes: Record<string, unknown>,
      undirected: boolean,
    ) => void,
  ): void;
}

/** The part of graphology's interface that {@link toGraphology} writes. */
export interface GraphologyWritable {
  addNode(key: unknown, attributes?: Record<string, unknown>): unknown;
  addDirectedEdge?(source: unknown, target: unknown, attributes?: Record<string, unknown>): unknown;
  addEdge(source: unknown, target: unknown, attributes?: Record<string, unknown>): unknown;
}

/** Options of {@link fromGraphology} and {@link toGraphology}. */
export interface GraphologyOptions {
  /** The edge attribute holding the edge value (default `weight`). */
  weightAttribute?: string;
  /** The node attribute holding the vertex value (default: none when reading, `value` when writing). */
  vertexAttribute?: string;
  /** Graphology keys are strings; `'number'` turns them into numbers (each must be a finite number). */
  keys?: 'string' | 'number';
}

/**
 * A graph from a graphology graph. Every node becomes a vertex; a directed edge one edge; an
 * undirected edge two (one each way). Edge values come from `weightAttribute`, vertex values
 * from `vertexAttribute`.
 */
export function fromGraphology<VV = undefined, EV = number | undefined>(
  source: GraphologyReadable,
  options: GraphologyOptions = {},
): Graph<VertexKey, VV, EV> {
  const weightAttribute = options.weightAttribute ?? 'weight';
  const toKey = (key: string): VertexKey => {
    if (options.keys !== 'number') return key;
    const number = Number(key);
    if (key.trim() === '' || !Number.isFinite(number))
      throw new ParamError('node key', key, 'a number (keys: "number")');
    return number;
  };
  const vertices: [VertexKey, VV][] = [];
  source.forEachNode((key, attributes) => {
    vertices.push([
      toKey(key),
      (options.vertexAttribute ? attributes[options.vertexAttribute] : undefined) as VV,
    ]);
  });
  const sources: VertexKey[] = [];
  const targets: VertexKey[] = [];
  const values: EV[] = [];
  source.forEachEdge((_edge, attributes, from, to, _a, _b, undirected) => {
    const value = attributes[weightAttribute] as EV;
    sources.push(toKey(from));
    targets.push(toKey(to));
    values.push(value);
    if (undirected && from !== to) {
      sources.push(toKey(to));
      targets.push(toKey(from));
      values.push(value);
    }
  });
  return Graph.fromArrays<VertexKey, VV, EV>(sources, targets, values, { vertices });
}

/**
 * Copies a graph into a graphology graph (pass an empty one, `multi` when the graph has
 * parallel edges): nodes with the vertex value under `vertexAttribute`, directed edges with the
 * edge value under `weightAttribute`.
 */
export function toGraphology<T extends GraphologyWritable, K extends VertexKey, VV, EV>(
  graph: Graph<K, VV, EV>,
  target: T,
  options: GraphologyOptions = {},
): T {
  const vertexAttribute = options.vertexAttribute ?? 'value';
  const weightAttribute = options.weightAttribute ?? 'weight';
  for (const { id, value } of graph.getVertices()) {
    target.addNode(id, value === undefined ? {} : { [vertexAttribute]: value });
  }
  const add = (target.addDirectedEdge ?? target.addEdge).bind(target);
  for (const { source, target: to, value } of graph.getEdges()) {
    add(source, to, value === undefined ? {} : { [weightAttribute]: value });
  }
  return target;
}
