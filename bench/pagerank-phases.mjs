/**
 * CPU time of PageRank's phases in one process, for a build of eddy (ROOT, with its dist/) of
 * this commit or of the commit before issue 14 (8f2974b, whose PageRank lived in
 * algorithms/graph/parallel-pagerank.js): reading an edge list, then the in-edge index and
 * ROUNDS rounds at tolerance 0. Run it under `valgrind --tool=callgrind` (CPU time is then about
 * proportional to instructions) with the two builds alternating, as bench/RESULTS.md says.
 *
 *   node bench/pagerank-phases.mjs ROOT PARALLELISM EDGES [ROUNDS]
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const [rootText, parallelismText, edgesFile, roundsText = '20'] = process.argv.slice(2);
const root = resolve(rootText);
const parallelism = Number(parallelismText);
const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1000);
};
const { readEdgeList } = await import(`${root}/dist/src/graph/edge-list-reader.js`);
let start = process.cpuUsage();
const edges = await readEdgeList(edgesFile, { parallelism });
const read = cpuMs(start);
const options = { maxIterations: Number(roundsText), tolerance: 0, parallelism };
start = process.cpuUsage();
let scores;
if (existsSync(`${root}/dist/algorithms/graph/parallel-pagerank.js`)) {
  const { buildInEdgeIndex } = await import(`${root}/dist/src/graph/in-edge-index.js`);
  const { pullIndexOfInEdges } = await import(`${root}/dist/algorithms/graph/pagerank-rounds.js`);
  const { pageRankScores } = await import(`${root}/dist/algorithms/graph/parallel-pagerank.js`);
  const share = parallelism > 1;
  const index = buildInEdgeIndex(edges.dictionary.size, edges.sources, edges.targets, { shared: share });
  scores = (await pageRankScores(pullIndexOfInEdges(index, false, share), options)).scores;
} else {
  const { pageRank } = await import(`${root}/dist/algorithms/graph/pagerank/pagerank.js`);
  scores = (await pageRank(edges, options)).values;
}
const rounds = cpuMs(start);
let total = 0;
for (const score of scores) total += score;
console.log(
  `${root} parallelism ${parallelism}: read ${read} ms, index + rounds ${rounds} ms CPU (scores sum to ${total})`,
);
process.exit(0);
