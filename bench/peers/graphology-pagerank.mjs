// The graphology peer of eddy's PageRank benchmark: what a graphology user would write to run
// PageRank on an edge-list file. Usage: node graphology-pagerank.mjs EDGES OUTPUT ITERATIONS
import { readFileSync, writeFileSync } from 'node:fs';
import graphology from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank.js';

const [path, output, iterations] = process.argv.slice(2);
const graph = new graphology.MultiDirectedGraph();
for (const line of readFileSync(path, 'utf8').split('\n')) {
  if (line === '' || line[0] === '#' || line[0] === '%') continue;
  const [source, target] = line.split('\t');
  graph.mergeNode(source);
  graph.mergeNode(target);
  graph.addEdge(source, target);
}
let scores;
try {
  // tolerance 0 runs exactly maxIterations, like the other contestants; graphology then
  // reports "failed to converge" after doing the work, so the scores are read from the
  // nodes' attributes instead of the return value.
  scores = pagerank(graph, { maxIterations: Number(iterations), tolerance: 0, getEdgeWeight: null });
} catch (error) {
  if (!String(error.message).includes('failed to converge')) throw error;
  scores = null;
}
const lines = [];
graph.forEachNode((node) => lines.push(`${node}\t${scores ? scores[node] : ''}`));
writeFileSync(output, `${lines.join('\n')}\n`);
