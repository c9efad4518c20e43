import { jaccardIndex } from '../../../algorithms/graph/similarity.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  writeKeyRows,
} from '../graph-command.js';

/** `eddy jaccard`: one `a<TAB>b<TAB>score` line per vertex pair with a shared neighbour. */
export default defineCommand({
  name: 'jaccard',
  summary: 'Jaccard index of the vertex pairs that share a neighbour',
  description:
    'On the undirected graph without self-loops and repeated edges, every pair with at least one shared ' +
    'neighbour is scored: shared neighbours / distinct neighbours of the two. Output: one "a<TAB>b<TAB>score" line per pair scoring at least ' +
    '--minimum-score.',
  positionals: [edgesPositional],
  options: {
    'minimum-score': {
      type: 'number',
      default: 0,
      min: 0,
      description: 'leave out pairs scoring below this',
    },
    ...edgeInputOptions,
    ...outputOptions,
  },
  examples: ['eddy jaccard data/lesmis.tsv --minimum-score 0.8'],
  async run(context) {
    const graph = await loadGraph(context, { weighted: false });
    const pairs = jaccardIndex(graph, { minimumScore: context.options.minimumScore as number });
    await writeKeyRows(
      context,
      graph.dictionary,
      { first: pairs.first, second: pairs.second },
      { score: pairs.scores },
    );
  },
});
