// Clustering coefficients, Jaccard and Adamic-Adar at R-MAT scale 18: an older build (argument:
// its tree, built) against this tree's kernels on 1 and 2 threads; 3 interleaved rounds, median
// wall and CPU seconds (CPU of all threads of the process), and a check that every contestant
// gives the same bits as the older build.
// Usage: flock /work/tools/bench.lock node bench/clustering-similarity.mjs OLD_TREE (after npm run build)
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = new URL('..', import.meta.url);
const eddy = await import(new URL('dist/src/index.js', here));
const old = await import(pathToFileURL(join(process.argv[2], 'dist/src/index.js')).href);
const input = process.argv[3] ?? new URL('bench/data/rmat18.tsv', here).pathname;
const edges = await eddy.readEdgeList(input, { parallelism: 2 });
const graph = {
  dictionary: edges.dictionary,
  csr: eddy.buildCsr(edges.dictionary.size, edges.sources, edges.targets).csr,
};
const bytes = (array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
const clustering = (run) => async () => bytes((await run()).local.values);
const pairs = (run) => async () => {
  const found = await run();
  return Buffer.concat([bytes(found.first), bytes(found.second), bytes(found.scores)]);
};
const jaccard = { minimumScore: 0.5 };
const adamic = { minimumScore: 5 };
const families = {
  clustering: {
    before: clustering(() => old.clusteringCoefficients(graph)),
    'p 1': clustering(() => eddy.clusteringCoefficients(graph)),
    'p 2': clustering(() => eddy.clusteringCoefficients(graph, { parallelism: 2 })),
  },
  'jaccard (minimum 0.5)': {
    before: pairs(() => old.jaccardIndex(graph, jaccard)),
    'p 1': pairs(() => eddy.jaccardIndex(graph, jaccard)),
    'p 2': pairs(() => eddy.jaccardIndex(graph, { ...jaccard, parallelism: 2 })),
  },
  'adamic-adar (minimum 5)': {
    before: pairs(() => old.adamicAdar(graph, adamic)),
    'p 1': pairs(() => eddy.adamicAdar(graph, adamic)),
    'p 2': pairs(() => eddy.adamicAdar(graph, { ...adamic, parallelism: 2 })),
  },
};
await eddy.countTriangles(graph, { parallelism: 2 }); // start the workers
const median = (list) => [...list].sort((a, b) => a - b)[1];
for (const [family, contestants] of Object.entries(families)) {
  const times = {};
  let reference;
  for (let round = 0; round < 3; round++) {
    for (const [name, run] of Object.entries(contestants)) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      const result = await run();
      const wall = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      (times[name] ??= []).push([wall, (used.user + used.system) / 1e6]);
      reference ??= result;
      if (!result.equals(reference)) throw new Error(`${family} ${name}: not the same bits as before`);
    }
  }
  for (const [name, list] of Object.entries(times)) {
    const wall = median(list.map(([w]) => w));
    const cpu = median(list.map(([, c]) => c));
    console.log(`| ${family} | ${name} | ${wall.toFixed(2)} s | ${cpu.toFixed(2)} s |`);
  }
}
process.exit(0);
