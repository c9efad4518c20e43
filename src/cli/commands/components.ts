import {
  COMPONENT_CHUNKS,
  connectedComponents,
  gsaConnectedComponents,
  isGraphFile,
  streamGraphFileEdges,
  stronglyConnectedComponents,
  type ValueColumn,
  type VertexLabels,
} from '../../index.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  readGraphEdges,
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
    parallelism: {
      ...edgeInputOptions.parallelism,
      description: 'threads that parse the file and link the edges (union-find; same labels at any value)',
    },
    ...outputOptions,
  },
  examples: ['eddy components data/lesmis.tsv', 'eddy components web.tsv --strong --output scc.tsv'],
  async run(context) {
    if (context.options.strong)
      refuseOptions(context, ['algorithm'], 'applies to weak components only (without --strong)');
    const parallelism = context.options.parallelism as number;
    let labels: VertexLabels;
    if (context.options.strong)
      labels = stronglyConnectedComponents(await loadGraph(context, { weighted: false }));
    else if (context.options.algorithm === 'gather-sum-apply') {
      const graph = await loadGraph(context, { weighted: false });
      const progress = context.progress({ label: 'components (gather-sum-apply)', unit: 'supersteps' });
      labels = gsaConnectedComponents(graph, { progress });
    } else {
      const progress = () =>
        context.progress({ label: 'linking components', unit: 'chunks', total: COMPONENT_CHUNKS });
      const path = context.positionals[0];
      if (!context.options.undirected && isGraphFile(path)) {
        // A graph file's targets are linked a window at a time as they are read (about 12
        // bytes per vertex, any edge count; faster than loading the CSR first).
        labels = await streamGraphFileEdges(path, {}, (edges) => {
          context.phase('computing');
          return connectedComponents(edges, { parallelism, progress: progress() });
        });
      } else {
        // An edge list's arrays are linked as read (no CSR to build: union-find needs none).
        const edges = await readGraphEdges(context, { weighted: false });
        context.phase('computing');
        labels = await connectedComponents(edges, { parallelism, progress: progress() });
      }
    }
    await writeVertexColumns(context, labels.dictionary, {
      component: labels.values as ValueColumn,
    });
  },
});
