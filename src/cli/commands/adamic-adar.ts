import { adamicAdar } from '../../../algorithms/graph/similarity.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  writeKeyRows,
} from '../graph-command.js';

/** `eddy adamic-adar`: one `a<TAB>b<TAB>score` line per vertex pair with a shared neighbour. */
export default defineCommand({
  name: 'adamic-adar',
  summary: 'Adamic-Adar index of the vertex pairs that share a neighbour',
  description:
    'On the undirected graph without self-loops and repeated edges, every pair with at least one shared ' +
    'neighbour is scored: the sum of 1 / ln(degree) over the shared neighbours. Output: one "a<TAB>b<TAB>score" line per pair scoring at least ' +
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
  examples: ['eddy adamic-adar data/lesmis.tsv --minimum-score 5'],
  async run(context) {
    const graph = await loadGraph(context, { weighted: false });
    const pairs = adamicAdar(graph, { minimumScore: context.options.minimumScore as number });
    await writeKeyRows(
      context,
      graph.dictionary,
      { first: pairs.first, second: pairs.second },
      { score: pairs.scores },
    );
  },
});
