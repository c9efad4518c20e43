// The linking of connected components alone at R-MAT scale 18: an older build's one-thread
// union-find (argument: its tree, built) against connectedComponents of this tree, over the
// CSR and over the edge arrays, on 1 and 2 threads; 7 interleaved rounds, median and min (ms).
// Usage: flock /work/tools/bench.lock node bench/components-link.mjs OLD_TREE (after npm run build)
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = new URL('..', import.meta.url);
const { readEdgeList, buildCsr, connectedComponents } = await import(new URL('dist/src/index.js', here));
const old = await import(pathToFileURL(join(process.argv[2], 'dist/src/index.js')).href);
const edges = await readEdgeList(new URL('bench/data/rmat18.tsv', here).pathname, { parallelism: 2 });
const graph = {
  dictionary: edges.dictionary,
  csr: buildCsr(edges.dictionary.size, edges.sources, edges.targets).csr,
};
const contestants = {
  before: () => old.connectedComponents(graph),
  'csr p1': () => connectedComponents(graph),
  'csr p2': () => connectedComponents(graph, { parallelism: 2 }),
  'edges p1': () => connectedComponents(edges),
  'edges p2': () => connectedComponents(edges, { parallelism: 2 }),
};
const times = Object.fromEntries(Object.keys(contestants).map((name) => [name, []]));
await connectedComponents(edges, { parallelism: 2 }); // start the workers
for (let round = 0; round < 7; round++) {
  for (const [name, run] of Object.entries(contestants)) {
    const start = performance.now();
    await run();
    times[name].push(performance.now() - start);
  }
}
for (const [name, list] of Object.entries(times)) {
  list.sort((a, b) => a - b);
  console.log(`${name.padEnd(9)} median ${list[3].toFixed(0)} ms  min ${list[0].toFixed(0)} ms`);
}
process.exit(0);
