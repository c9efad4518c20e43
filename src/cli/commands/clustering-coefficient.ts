import { clusteringCoefficients, UsageError } from '../../index.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  writeFigures,
  writeVertexColumns,
} from '../graph-command.js';
import { refuseOptions } from '../option-rules.js';

/** `eddy clustering-coefficient`: local coefficient per vertex, or the average / global figure. */
export default defineCommand({
  name: 'clustering-coefficient',
  summary: 'local, average or global clustering coefficient of the undirected graph',
  description:
    'On the undirected graph without self-loops and repeated edges: local = triangles through a vertex ' +
    'over pairs of its neighbours (one "key<TAB>coefficient" line per vertex); --average prints the mean ' +
    'local coefficient, --global the transitivity (3 triangles / connected triplets).',
  positionals: [edgesPositional],
  options: {
    average: { type: 'boolean', description: 'print the average local coefficient alone' },
    global: { type: 'boolean', description: 'print the global coefficient (transitivity) alone' },
    ...edgeInputOptions,
    parallelism: {
      ...edgeInputOptions.parallelism,
      description: 'threads that parse the file and find the triangles (same coefficients at any value)',
    },
    ...outputOptions,
  },
  examples: ['eddy clustering-coefficient data/lesmis.tsv --global'],
  async run(context) {
    const { average, global } = context.options;
    if (average && global) throw new UsageError('--average and --global are exclusive');
    if (average || global) {
      refuseOptions(
        context,
        ['output', 'format'],
        `does not apply to ${average ? '--average' : '--global'} (one figure on stdout)`,
      );
    }
    const graph = await loadGraph(context, { weighted: false });
    const progress = context.progress({
      label: 'finding triangles',
      unit: 'vertices',
      total: graph.csr.vertexCount,
    });
    const parallelism = context.options.parallelism as number;
    const clustering = await clusteringCoefficients(graph, { parallelism, progress });
    if (average) writeFigures(context, { average: clustering.average });
    else if (global) writeFigures(context, { global: clustering.global });
    else await writeVertexColumns(context, graph.dictionary, { clustering: clustering.local.values });
  },
});
