import { HITS_DEFAULTS, hits } from '../../index.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  writeVertexColumns,
} from '../graph-command.js';

/** `eddy hits`: one `key<TAB>hub<TAB>authority` line per vertex. */
export default defineCommand({
  name: 'hits',
  summary: 'HITS hub and authority scores of every vertex',
  description:
    "Kleinberg's hubs and authorities as Gelly computes them: authority = sum of in-neighbours' hub " +
    "scores, hub = sum of out-neighbours' authority scores, both L2-normalised each round. " +
    'Output: one "key<TAB>hub<TAB>authority" line per vertex.',
  positionals: [edgesPositional],
  options: {
    'max-iterations': {
      type: 'integer',
      default: HITS_DEFAULTS.maxIterations,
      min: 1,
      description: 'upper bound on the rounds',
    },
    tolerance: {
      type: 'number',
      default: HITS_DEFAULTS.tolerance,
      min: 0,
      description: 'stop when the L1 change of both score vectors is at most this',
    },
    ...edgeInputOptions,
    ...outputOptions,
  },
  examples: ['eddy hits data/lesmis.tsv'],
  async run(context) {
    const graph = await loadGraph(context, { weighted: false });
    const maxIterations = context.options.maxIterations as number;
    const result = hits(graph, {
      maxIterations,
      tolerance: context.options.tolerance as number,
      progress: context.progress({ label: 'HITS', unit: 'rounds', total: maxIterations }),
    });
    await writeVertexColumns(context, graph.dictionary, {
      hub: result.hubs.values,
      authority: result.authorities.values,
    });
  },
});
