import { gsaSingleSourceShortestPaths, singleSourceShortestPaths, UsageError } from '../../index.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  vertexOption,
  writeVertexColumns,
} from '../graph-command.js';

/** `eddy sssp`: one `key<TAB>distance` line per vertex. */
export default defineCommand({
  name: 'sssp',
  summary: 'shortest-path distance of every vertex from a source vertex',
  description:
    'Single-source shortest paths along edge directions (Bellman-Ford supersteps, as Gelly). Every edge ' +
    'weighs 1 unless --weighted reads the third column. Unreachable vertices get Infinity. ' +
    'Output: one "key<TAB>distance" line per vertex.',
  positionals: [edgesPositional],
  options: {
    source: {
      type: 'string',
      description: 'key of the source vertex, as written in the edge list',
      valueName: 'V',
    },
    weighted: { type: 'boolean', description: 'edge lengths from the third column (default: 1 each)' },
    algorithm: {
      type: 'string',
      default: 'scatter-gather',
      choices: ['scatter-gather', 'gather-sum-apply'],
      description: 'iteration model (same result)',
    },
    ...edgeInputOptions,
    ...outputOptions,
  },
  examples: ['eddy sssp data/lesmis.tsv --source Valjean', 'eddy sssp roads.tsv --source 1 --weighted'],
  async run(context) {
    if (context.options.source === undefined) throw new UsageError('needs --source V (the start vertex)');
    const weighted = context.options.weighted === true;
    const graph = await loadGraph(context, { weighted });
    const source = vertexOption(context, graph, 'source');
    const run =
      context.options.algorithm === 'gather-sum-apply'
        ? gsaSingleSourceShortestPaths
        : singleSourceShortestPaths;
    const progress = context.progress({ label: 'shortest paths', unit: 'supersteps' });
    const distances = run(graph, source, { weighted, progress });
    await writeVertexColumns(context, graph.dictionary, { distance: distances.values });
  },
});
