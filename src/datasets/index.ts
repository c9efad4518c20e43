/**
 * eddy/datasets: small classic data sets shipped with the package (scikit-learn's iris, wine,
 * breast cancer, digits and diabetes; the graphs Les Misérables and Zachary's karate club), so
 * examples run without a download. Provenance and licences: the package's data/README.md.
 *
 * ```ts
 * import { loadDataset, loadGraphDataset } from 'eddy/datasets';
 * const iris = await loadDataset('iris');          // a Table: 150 rows, 5 columns
 * const karate = await loadGraphDataset('karate'); // a Graph: 34 vertices, 78 edges
 * ```
 * @packageDocumentation
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../core/csv.js';
import { ParamError } from '../core/errors.js';
import { readGraph } from '../graph/conversions.js';
import type { EdgeListReadOptions } from '../graph/edge-list-reader.js';
import type { Graph } from '../graph/graph.js';
import type { VertexKey } from '../graph/vertex-dictionary.js';
import type { ColumnValues } from '../table/batch-operations.js';
import { Table } from '../table/table.js';
import { DATASETS, type DatasetInfo } from './catalogue.js';

export { DATASETS, type DatasetInfo, type DatasetKind } from './catalogue.js';

/** The names of the bundled data sets, in catalogue order. */
export function datasetNames(): string[] {
  return DATASETS.map((dataset) => dataset.name);
}

/** A bundled data set's description; a `ParamError` listing the names for an unknown one. */
export function datasetInfo(name: string): DatasetInfo {
  const found = DATASETS.find((dataset) => dataset.name === name);
  if (!found) throw new ParamError('dataset', name, `one of ${datasetNames().join(', ')}`);
  return found;
}

let dataFolder: string | undefined;

/**
 * The package's data/ folder: found by walking up from this module to the package root, which
 * is two levels up from the sources (src/datasets) and three from the build (dist/src/datasets).
 */
function packageDataFolder(): string {
  if (dataFolder !== undefined) return dataFolder;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'eddy'
    ) {
      dataFolder = join(folder, 'data');
      return dataFolder;
    }
    const parent = dirname(folder);
    if (parent === folder)
      throw new Error(`eddy's package.json not found above ${fileURLToPath(import.meta.url)}`);
    folder = parent;
  }
}

/** The absolute path of a bundled data set's file (CSV for tables, a TSV edge list for graphs). */
export function datasetPath(name: string): string {
  return join(packageDataFolder(), datasetInfo(name).file);
}

/**
 * Loads a bundled data set as a {@link Table}: a table's columns as in its CSV (numbers as
 * Float64, text as strings), a graph's edges as columns `source`, `target` and `weight`.
 */
export async function loadDataset(name: string): Promise<Table> {
  const info = datasetInfo(name);
  const path = datasetPath(name);
  const text = await readFile(path, 'utf8');
  const graph = info.kind === 'graph';
  // Edge lists start with a `#` comment line and have no header.
  const csv = parseCsv(graph ? text.replace(/^#.*\n/gm, '') : text, { header: !graph, source: path });
  const names = graph ? ['source', 'target', 'weight'] : csv.names;
  const columns: Record<string, ColumnValues> = {};
  csv.columns.forEach((column, j) => {
    columns[names[j]] = column.values;
  });
  return Table.fromColumns(columns, path);
}

/**
 * Loads a bundled graph (`lesmis`, `karate`) as a {@link Graph} with its edge weights, each
 * undirected edge once, as written; `options` are those of {@link readGraph}.
 */
export async function loadGraphDataset(
  name: string,
  options: EdgeListReadOptions = {},
): Promise<Graph<VertexKey, undefined, number | undefined>> {
  const info = datasetInfo(name);
  if (info.kind !== 'graph') {
    const graphs = DATASETS.filter((dataset) => dataset.kind === 'graph').map((dataset) => dataset.name);
    throw new ParamError(
      'dataset',
      name,
      `a graph data set: one of ${graphs.join(', ')} (use loadDataset for tables)`,
    );
  }
  return readGraph(datasetPath(name), options);
}
