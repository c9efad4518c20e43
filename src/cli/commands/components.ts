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
  delimiterAsUsageError,
  edgeInputOptions,
  edgeListFormat,
  edgesInput,
  edgesPositional,
  loadGraph,
  outputOptions,
  readGraphEdges,
  writeVertexColumns,
} from '../graph-command.js';
import { refuseOptions } from '../option-rules.js';
import { PhaseTimer } from '../phase-timer.js';

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
    timings: {
      type: 'boolean',
      description: 'print the seconds each phase took on stderr (read, link, labels, write)',
    },
    ...outputOptions,
  },
  examples: ['eddy components data/lesmis.tsv', 'eddy components web.tsv --strong --output scc.tsv'],
  async run(context) {
    if (context.options.strong)
      refuseOptions(context, ['algorithm'], 'applies to weak components only (without --strong)');
    const parallelism = context.options.parallelism as number;
    const phases = new PhaseTimer();
    const onPhase = (phase: string) => phases.end(phase);
    let labels: VertexLabels;
    if (context.options.strong) {
      labels = stronglyConnectedComponents(await loadGraph(context, { weighted: false }));
      phases.end('read and components');
    } else if (context.options.algorithm === 'gather-sum-apply') {
      const graph = await loadGraph(context, { weighted: false });
      phases.end('read');
      const progress = context.progress({ label: 'components (gather-sum-apply)', unit: 'supersteps' });
      labels = gsaConnectedComponents(graph, { progress });
      phases.end('supersteps');
    } else {
      const progress = () =>
        context.progress({ label: 'linking components', unit: 'chunks', total: COMPONENT_CHUNKS });
      const { path, fromStdin } = edgesInput(context);
      if (!fromStdin && !context.options.undirected && isGraphFile(path)) {
        // A graph file's targets are linked a window at a time as they are read (about 12
        // bytes per vertex, any edge count; faster than loading the CSR first).
        labels = await streamGraphFileEdges(path, {}, (edges) => {
          context.phase('computing');
          return connectedComponents(edges, { parallelism, onPhase, progress: progress() });
        });
      } else if (!fromStdin && !isGraphFile(path) && !context.options.skipInvalid) {
        // An edge-list file is linked as it is parsed (weak components ignore directions, so
        // --undirected changes nothing); string ids are read first, then linked.
        const read = {
          ...edgeListFormat(context),
          progress: context.progress({ label: `reading ${path}`, unit: 'edges' }),
        };
        labels = await connectedComponents(path, { parallelism, read, onPhase, progress: progress() }).catch(
          delimiterAsUsageError,
        );
      } else {
        // stdin's edges are linked as read (no CSR to build: union-find needs none).
        const input = await readGraphEdges(context, { weighted: false });
        phases.end('read');
        context.phase('computing');
        labels = await connectedComponents(input, { parallelism, onPhase, progress: progress() });
      }
      phases.end('labels');
    }
    await writeVertexColumns(context, labels.dictionary, {
      component: labels.values as ValueColumn,
    });
    phases.end('write');
    if (context.options.timings) context.stderr.write(`eddy components: ${phases.summary()}\n`);
  },
});
