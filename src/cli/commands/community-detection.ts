import { COMMUNITY_DETECTION_DEFAULTS, communityDetection, type ValueColumn } from '../../index.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  writeVertexColumns,
} from '../graph-command.js';

/** `eddy community-detection`: one `key<TAB>community` line per vertex. */
export default defineCommand({
  name: 'community-detection',
  summary: 'communities by score-attenuated label propagation (Gelly CommunityDetection)',
  description:
    "Leung et al.'s algorithm as in Gelly, on the undirected graph: labels spread with scores that drop by " +
    'delta/superstep per hop; each vertex takes the label with the highest score sum (ties: smaller label). ' +
    'Output: one "key<TAB>community" line per vertex.',
  positionals: [edgesPositional],
  options: {
    'max-iterations': {
      type: 'integer',
      default: COMMUNITY_DETECTION_DEFAULTS.maxIterations,
      min: 1,
      description: 'upper bound on supersteps',
    },
    delta: {
      type: 'number',
      default: COMMUNITY_DETECTION_DEFAULTS.delta,
      min: 0,
      description: 'hop attenuation',
    },
    weighted: { type: 'boolean', description: 'multiply scores by the weights in the third column' },
    ...edgeInputOptions,
    ...outputOptions,
  },
  examples: ['eddy community-detection data/lesmis.tsv --max-iterations 20'],
  async run(context) {
    const weighted = context.options.weighted === true;
    const graph = await loadGraph(context, { weighted });
    const maxIterations = context.options.maxIterations as number;
    const labels = communityDetection(graph, {
      maxIterations,
      progress: context.progress({ label: 'community detection', unit: 'supersteps', total: maxIterations }),
      delta: context.options.delta as number,
      weighted,
    });
    await writeVertexColumns(context, graph.dictionary, { community: labels.values as ValueColumn });
  },
});
