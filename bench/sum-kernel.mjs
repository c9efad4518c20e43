/**
 * The typed path's in-edge sum on one thread (typed-superstep.ts's chunk over every vertex): its
 * JavaScript loop (four in-edges a step) against the WebAssembly kernel (gather-sum.wat, after
 * the copy of the messages into its arena that each superstep makes), over the in-edge index of
 * an edge list, rounds interleaved in one process; prints the median milliseconds of a full sum for each and
 * whether their sums are the same bits. Compare with the C++ reference's rounds at one thread:
 * `OMP_NUM_THREADS=1 bench/out/scale20/cpp-pagerank EDGES out.tsv 20` (its rounds / 20).
 *
 *   node bench/sum-kernel.mjs EDGES [ROUNDS]   (after npm run build)
 */
const [file, roundsText = '15'] = process.argv.slice(2);
const dist = new URL('../dist/src/graph/', import.meta.url);
const { readEdgeList } = await import(new URL('edge-list-reader.js', dist).href);
const { buildInEdgeIndex } = await import(new URL('in-edge-index.js', dist).href);
const { sumArenas, loadMessages } = await import(new URL('iterations/wasm-sum.js', dist).href);
const { superstepChunk } = await import(new URL('iterations/typed-superstep.js', dist).href);

const edges = await readEdgeList(file, { parallelism: 2 });
const n = edges.dictionary.size;
const index = buildInEdgeIndex(n, edges.sources, edges.targets);
const { offsets } = index;
const sources = index.sources.arrays[0];
const messages = Float64Array.from({ length: n }, (_, v) => 1 / (v + 1));
const arenas = sumArenas(offsets, index.sources, n);
const whole = Int32Array.of(0, n);
const [scratch, partials] = [new Float64Array(n), new Float64Array(0)];
// One chunk of the typed path's superstep over every vertex, with an apply that does nothing:
// its sum in JavaScript (no arenas) or in WebAssembly (after the copy each superstep makes).
const superstep = (next, withArenas) => {
  if (withArenas) loadMessages(arenas, messages);
  superstepChunk(
    () => {},
    'sum',
    offsets,
    [sources],
    null,
    withArenas ? arenas : null,
    whole,
    messages,
    scratch,
    next,
    scratch,
    [],
    [],
    partials,
    partials,
    whole,
    1,
    0,
  );
};
const sumInJavaScript = (next) => superstep(next, false);
const sumInWebAssembly = (next) => superstep(next, true);

const results = { javascript: new Float64Array(n), webassembly: new Float64Array(n) };
const times = { javascript: [], webassembly: [] };
for (let round = 0; round < Number(roundsText); round++) {
  for (const [name, run] of [
    ['javascript', sumInJavaScript],
    ['webassembly', sumInWebAssembly],
  ]) {
    const start = performance.now();
    run(results[name]);
    times[name].push(performance.now() - start);
  }
}
const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
const same = results.javascript.every((x, v) => Object.is(x, results.webassembly[v]));
console.log(`${n} vertices, ${sources.length} in-edges; median ms of a full sum over ${roundsText} rounds:`);
console.log(
  `javascript ${median(times.javascript).toFixed(1)}  webassembly ${median(times.webassembly).toFixed(1)}  same bits: ${same}`,
);
