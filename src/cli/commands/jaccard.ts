import { jaccardIndex } from '../../index.js';
import { similarityCommand } from '../similarity-command.js';

/** `eddy jaccard`: one `a<TAB>b<TAB>score` line per vertex pair with a shared neighbour. */
export default similarityCommand({
  name: 'jaccard',
  summary: 'Jaccard index of the vertex pairs that share a neighbour',
  scoreDescription: 'shared neighbours / distinct neighbours of the two',
  example: 'eddy jaccard data/lesmis.tsv --minimum-score 0.8',
  score: jaccardIndex,
});
