import { edgeMetrics, vertexMetrics } from '../../index.js';
import { defineCommand } from '../command.js';
import { edgeInputOptions, edgesPositional, loadGraph, writeFigures } from '../graph-command.js';

/** `eddy metrics`: `name<TAB>value` lines of vertex and edge metrics. */
export default defineCommand({
  name: 'metrics',
  summary: 'vertex and edge metrics: counts, degrees, triplets, self-loops, reciprocity',
  description:
    "Gelly's vertex metrics (counts, average and maximum degrees, triplets of the undirected graph) and " +
    'edge metrics (self-loops, parallel edges, one-way and two-way pairs, weights when the file has them). ' +
    'Output: one "name<TAB>value" line per metric.',
  positionals: [edgesPositional],
  options: { ...edgeInputOptions },
  examples: ['eddy metrics data/lesmis.tsv'],
  async run(context) {
    const graph = await loadGraph(context, { weighted: 'auto' });
    const n = graph.csr.vertexCount;
    // Two passes over the vertices (sorting each one's targets, then counting), then one.
    const { weights, ...edges } = edgeMetrics(graph, {
      progress: context.progress({ label: 'edge metrics', total: 2 * n }),
    });
    const vertices = vertexMetrics(graph, {
      progress: context.progress({ label: 'vertex metrics', unit: 'vertices', total: n }),
    });
    const figures: Record<string, number> = { ...vertices, ...edges };
    if (weights !== undefined) {
      figures.minimumWeight = weights.minimum;
      figures.maximumWeight = weights.maximum;
      figures.meanWeight = weights.mean;
      figures.totalWeight = weights.total;
    }
    writeFigures(context, figures);
  },
});
