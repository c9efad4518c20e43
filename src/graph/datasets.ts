/**
 * The bridge between graphs and the DataSet engine, as in Gelly where a graph's vertices and
 * edges are DataSets: any DataSet operator applies to them, and a graph can be built from the
 * DataSets a program produced.
 */
import type { DataSet } from '../dataset/dataset.js';
import { type ExecutionEnvironment, env } from '../dataset/environment.js';
import { type Edge, type EdgeInput, Graph, type Vertex, type VertexInput, type WidenKey } from './graph.js';
import type { VertexKey } from './vertex-dictionary.js';

/** The graph's vertices as a DataSet of `{ id, value }` records (Gelly's `getVertices()`). */
export function verticesAsDataSet<K extends VertexKey, VV, EV>(
  graph: Graph<K, VV, EV>,
  environment: ExecutionEnvironment = env(),
): DataSet<Vertex<K, VV>> {
  return environment.fromCollection(graph.getVertices());
}

/** The graph's edges as a DataSet of `{ source, target, value }` records (Gelly's `getEdges()`). */
export function edgesAsDataSet<K extends VertexKey, VV, EV>(
  graph: Graph<K, VV, EV>,
  environment: ExecutionEnvironment = env(),
): DataSet<Edge<K, EV>> {
  return environment.fromCollection(graph.getEdges());
}

/** A DataSet of records of type T or of any subtype (DataSet<T> itself is invariant in T). */
export type Collectable<T> = Pick<DataSet<T>, 'collect'> | { collect(): Promise<readonly T[]> };

/**
 * A graph from a DataSet of edges and optionally one of vertices with values (Gelly's
 * `Graph.fromDataSet`). Runs both plans; edge ends missing from `vertices` get
 * `vertexValue(key)` (undefined when not given).
 */
export async function graphFromDataSets<K extends VertexKey, VV = undefined, EV = undefined>(
  edges: Collectable<EdgeInput<K, EV>>,
  vertices?: Collectable<VertexInput<K, VV>>,
  vertexValue?: (key: K) => VV,
): Promise<Graph<WidenKey<K> & VertexKey, VV, EV>> {
  const [edgeRecords, vertexRecords] = await Promise.all([edges.collect(), vertices?.collect()]);
  return Graph.fromEdges<K, VV, EV>(edgeRecords, { vertices: vertexRecords, vertexValue });
}
