/**
 * One measured read of an edge list into CSR, in its own process so that its peak memory
 * (maxRSS) is its own. Prints one JSON line. `naive` is the usual JavaScript way, for comparison:
 * the file as one string, split into lines and fields, ids through a Map.
 * Usage: node --import tsx bench/graph-read-child.ts eddy|naive FILE
 */
import { readFileSync } from 'node:fs';
import { buildCsr } from '../src/graph/csr.js';
import { readEdgeList } from '../src/graph/edge-list-reader.js';

const [mode, file] = process.argv.slice(2);
const baselineRss = process.memoryUsage().rss;
const start = performance.now();
let vertices: number;
let edges: number;
let readMilliseconds: number;
if (mode === 'eddy') {
  const list = await readEdgeList(file);
  readMilliseconds = performance.now() - start;
  const { csr } = buildCsr(list.dictionary.size, list.sources, list.targets);
  vertices = csr.vertexCount;
  edges = csr.edgeCount;
} else {
  const ids = new Map<string, number>();
  const sources: number[] = [];
  const targets: number[] = [];
  const id = (key: string): number => {
    let value = ids.get(key);
    if (value === undefined) {
      value = ids.size;
      ids.set(key, value);
    }
    return value;
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '' || line[0] === '#') continue;
    const [source, target] = line.split('\t');
    sources.push(id(source));
    targets.push(id(target));
  }
  readMilliseconds = performance.now() - start;
  const { csr } = buildCsr(ids.size, Int32Array.from(sources), Int32Array.from(targets));
  vertices = csr.vertexCount;
  edges = csr.edgeCount;
}
const totalMilliseconds = performance.now() - start;
const peakRss = process.resourceUsage().maxRSS * 1024;
console.log(
  JSON.stringify({ mode, vertices, edges, readMilliseconds, totalMilliseconds, baselineRss, peakRss }),
);
