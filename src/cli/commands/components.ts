import {
  connectedComponents,
  gsaConnectedComponents,
  stronglyConnectedComponents,
  type ValueColumn,
} from '../../index.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  writeVertexColumns,
} from '../graph-command.js';
import { refuseOptions } from '../option-rules.js';

/** `eddy components`: one `key<TAB>component key` line per vertex. */
export default defineCommand({
  name: 'components',
  summary: 'connected components: each vertex with the key of its component',
  description:
    'Weakly connected components (edge direction ignored) by default, strongly connected with --strong. ' +
    'Each vertex is labelled with the key of one member of its component: the smallest integer key, or ' +
    'for string keys the one that appears first in the file. Output: one "key<TAB>component" line per vertex.',
  positionals: [edgesPositional],
  options: {
    strong: { type: 'boolean', description: 'strongly connected components (along edge directions)' },
    algorithm: {
      type: 'string',
      default: 'union-find',
      choices: ['union-find', 'gather-sum-apply'],
      description: 'how weak components are found (same result)',
    },
    ...edgeInputOptions,
    ...outputOptions,
  },
  examples: ['eddy components data/lesmis.tsv', 'eddy components web.tsv --strong --output scc.tsv'],
  async run(context) {
    if (context.options.strong)
      refuseOptions(context, ['algorithm'], 'applies to weak components only (without --strong)');
    const graph = await loadGraph(context, { weighted: false });
    const labels = context.options.strong
      ? stronglyConnectedComponents(graph)
      : context.options.algorithm === 'gather-sum-apply'
        ? gsaConnectedComponents(graph)
        : connectedComponents(graph);
    await writeVertexColumns(context, graph.dictionary, {
      component: labels.values as ValueColumn,
    });
  },
});
