// HITS and strongly connected components at R-MAT scale 18: an older build (argument: its
// tree, built) against this tree, where both run on the typed gather-sum-apply path (HITS; SCC
// with method 'coloring'). HITS runs 20 rounds (tolerance 0) so that both do the same work.
// 5 interleaved rounds after a warm-up; median CPU ms (process.cpuUsage, user + system, all
// threads) and median wall ms. Usage, after npm run build in both trees:
//   flock /work/tools/bench.lock node bench/models-compare.mjs OLD_TREE
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = new URL('..', import.meta.url);
const eddy = await import(new URL('dist/src/index.js', here));
const old = await import(pathToFileURL(join(process.argv[2], 'dist/src/index.js')).href);
const file = process.env.EDDY_RMAT ?? '/work/main/bench/data/rmat18.tsv';
const edges = await eddy.readEdgeList(file);
const graph = {
  dictionary: edges.dictionary,
  csr: eddy.buildCsr(edges.dictionary.size, edges.sources, edges.targets).csr,
};
console.log(`${graph.csr.vertexCount} vertices, ${graph.csr.targets.length} edges`);
const rounds = { maxIterations: 20, tolerance: 0 };
const contestants = {
  'hits before': () => old.hits(graph, rounds),
  'hits after p1': () => eddy.hits(graph, rounds),
  'hits after p2': () => eddy.hits(graph, { ...rounds, parallelism: 2 }),
  'scc tarjan before': () => old.stronglyConnectedComponents(graph),
  'scc tarjan after': () => eddy.stronglyConnectedComponents(graph),
  'scc coloring': () => eddy.stronglyConnectedComponents(graph, { method: 'coloring' }),
};
const runs = Number(process.env.EDDY_RUNS ?? 5);
const cpu = Object.fromEntries(Object.keys(contestants).map((name) => [name, []]));
const wall = Object.fromEntries(Object.keys(contestants).map((name) => [name, []]));
for (const run of Object.values(contestants)) await run(); // warm-up, in-edge index, workers
for (let round = 0; round < runs; round++) {
  for (const [name, run] of Object.entries(contestants)) {
    const usage = process.cpuUsage();
    const start = performance.now();
    await run();
    wall[name].push(performance.now() - start);
    const used = process.cpuUsage(usage);
    cpu[name].push((used.user + used.system) / 1000);
  }
}
const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
for (const name of Object.keys(contestants)) {
  const all = cpu[name].map((ms) => ms.toFixed(0)).join(', ');
  console.log(
    `${name.padEnd(18)} cpu median ${median(cpu[name]).toFixed(0)} ms (${all})  wall median ${median(wall[name]).toFixed(0)} ms`,
  );
}
process.exit(0);
