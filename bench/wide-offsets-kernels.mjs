// The hot kernels the offset types touch, on one thread: the best of 3 runs of each, in seconds.
// node bench/wide-offsets-kernels.mjs <dist directory> <graph file with --in-edges>
// Run it on the build before a change and after (alternating, under the bench lock).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, file] = process.argv.slice(2);
const eddy = await import(pathToFileURL(resolve(dist, 'src/index.js')).href);
const { readGraphFile, readGraphFilePullIndex, pageRank, countTriangles, clusteringCoefficients } = eddy;
const graph = await readGraphFile(file);
const pull = await readGraphFilePullIndex(file);
const runs = {
  pagerankPull: () => pageRank(pull, { maxIterations: 20, tolerance: 0 }),
  pagerankCsr: () => pageRank(graph, { maxIterations: 20, tolerance: 0 }),
  triangles: () => countTriangles(graph, {}),
  clustering: () => clusteringCoefficients(graph),
  components: () => eddy.connectedComponents(graph),
};
const best = {};
for (const [name, run] of Object.entries(runs)) {
  let seconds = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await run();
    seconds = Math.min(seconds, (performance.now() - start) / 1000);
  }
  best[name] = Number(seconds.toFixed(3));
}
console.log(dist, JSON.stringify(best));
process.exit(0);
