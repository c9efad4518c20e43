// Components of a graph file at parallelism 2: loading the CSR then linking, against linking
// the targets a window at a time as they are read (streamGraphFileEdges). Best of 4, in ms.
// node bench/graph-file-components.mjs <graph file>   (after npm run build)
const { readGraphFile, streamGraphFileEdges, connectedComponents } = await import('../dist/src/index.js');

const file = process.argv[2];
const options = { parallelism: 2 };
const best = { load: Number.POSITIVE_INFINITY, stream: Number.POSITIVE_INFINITY };
for (let i = 0; i < 4; i++) {
  let start = performance.now();
  await connectedComponents(await readGraphFile(file), options);
  best.load = Math.min(best.load, performance.now() - start);
  start = performance.now();
  await streamGraphFileEdges(file, {}, (edges) => connectedComponents(edges, options));
  best.stream = Math.min(best.stream, performance.now() - start);
}
console.log(file, JSON.stringify({ load: Math.round(best.load), stream: Math.round(best.stream) }));
process.exit(0);
