import { adamicAdar } from '../../index.js';
import { similarityCommand } from '../similarity-command.js';

/** `eddy adamic-adar`: one `a<TAB>b<TAB>score` line per vertex pair with a shared neighbour. */
export default similarityCommand({
  name: 'adamic-adar',
  summary: 'Adamic-Adar index of the vertex pairs that share a neighbour',
  scoreDescription: 'the sum of 1 / ln(degree) over the shared neighbours',
  example: 'eddy adamic-adar data/lesmis.tsv --minimum-score 5',
  score: adamicAdar,
});
