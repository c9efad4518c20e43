/**
 * The reference graphs of test/fixtures/graph (made, with their expected values, by
 * make_references.py from networkx 2.8 and scipy) loaded the way the CLI loads them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GraphIndex } from '../../../algorithms/graph/graph-index.js';
import { buildCsr } from '../../../src/graph/csr.js';
import { readEdgeList } from '../../../src/graph/edge-list-reader.js';
import { VertexDictionary } from '../../../src/graph/vertex-dictionary.js';

/** The reference graphs: Les Misérables (string keys) and R-MAT (2,991 vertices, 32,768 edges). */
export type FixtureName = 'lesmis' | 'rmat';

/** Path of a fixture file. */
export function fixturePath(file: string): string {
  return fileURLToPath(new URL(`../../fixtures/graph/${file}`, import.meta.url));
}

const cache = new Map<FixtureName, GraphIndex<string | number>>();

/** A fixture graph, weighted (third column), read once per test file. */
export async function fixtureGraph(name: FixtureName): Promise<GraphIndex<string | number>> {
  let graph = cache.get(name);
  if (graph === undefined) {
    const edges = await readEdgeList(fixturePath(`${name}.tsv`));
    const { csr } = buildCsr(edges.dictionary.size, edges.sources, edges.targets, { weights: edges.weights });
    graph = { dictionary: edges.dictionary, csr };
    cache.set(name, graph);
  }
  return graph;
}

/** The networkx reference values of a fixture (see make_references.py for their meaning). */
// biome-ignore lint/suspicious/noExplicitAny: JSON of a known shape, read field by field in tests
export function references(name: FixtureName): any {
  return JSON.parse(readFileSync(fixturePath(`${name}.references.json`), 'utf8'));
}

/** The key the references use for a vertex (JSON object keys are strings). */
export function referenceKey(key: string | number): string {
  return String(key);
}

/** A graph from explicit `[source, target(, weight)]` edges, for small hand-checked cases. */
export function smallGraph<K extends string | number>(
  edges: readonly (readonly [K, K] | readonly [K, K, number])[],
  extraVertices: readonly K[] = [],
): GraphIndex<K> {
  const dictionary = VertexDictionary.fromKeys<K>([
    ...edges.flatMap((edge) => [edge[0], edge[1]]),
    ...extraVertices,
  ]);
  const sources = Int32Array.from(edges, (edge) => dictionary.id(edge[0]));
  const targets = Int32Array.from(edges, (edge) => dictionary.id(edge[1]));
  const weighted = edges.length > 0 && edges.every((edge) => edge.length === 3);
  const weights = weighted ? Float64Array.from(edges, (edge) => edge[2] as number) : undefined;
  const { csr } = buildCsr(dictionary.size, sources, targets, { weights });
  return { dictionary, csr };
}
