/**
 * PageRank's in-edge index and 20 rounds (tolerance 0) of several builds of eddy in one
 * process, the builds alternating run by run on the same edge arrays (read once by the first
 * build), so that all see the same machine load: wall and CPU ms (all threads) of each phase,
 * minimum and median; a line says so when a build's scores differ from the first build's.
 * PARALLELISM 0 runs on this thread (no worker), otherwise on that many threads.
 *
 *   node bench/pagerank-builds.mjs EDGES RUNS PARALLELISM ROOT_A ROOT_B ...  (each ROOT built)
 */

import { loadavg } from 'node:os';
import { resolve } from 'node:path';

const [edgesFile, runsText, pText, ...roots] = process.argv.slice(2);
const p = Number(pText);
const { readEdgeList } = await import(`${resolve(roots[0])}/dist/src/graph/edge-list-reader.js`);
const builds = [];
for (const root of roots)
  builds.push((await import(`${resolve(root)}/dist/algorithms/graph/pagerank/pagerank.js`)).pageRank);
const edges = await readEdgeList(edgesFile, { parallelism: 2 });
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const rows = roots.map(() => []);
let reference;
for (let r = 0; r < Number(runsText); r++) {
  for (let b = 0; b < builds.length; b++) {
    const t0 = performance.now(),
      c0 = cpu();
    let t1, c1;
    const opts = {
      maxIterations: 20,
      tolerance: 0,
      onPhase: () => {
        t1 = performance.now();
        c1 = cpu();
      },
    };
    if (p > 0) opts.parallelism = p;
    const res = await builds[b](edges, opts);
    const t2 = performance.now(),
      c2 = cpu();
    rows[b].push([t1 - t0, c1 - c0, t2 - t1, c2 - c1]);
    const v = res.values;
    if (reference === undefined) reference = v;
    else
      for (let i = 0; i < v.length; i++)
        if (v[i] !== reference[i]) {
          console.log('DIFFERENT at', i, v[i], reference[i]);
          break;
        }
  }
  console.log(
    `run ${r} load ${loadavg()[0].toFixed(1)} ` +
      rows.map((rs) => rs[r].map(Math.round).join('/')).join('  '),
  );
}
const stat = (a, f) => {
  const s = a.slice().sort((x, y) => x - y);
  return f === 'min' ? s[0] : s[s.length >> 1];
};
for (let b = 0; b < roots.length; b++) {
  const cols = ['index wall', 'index cpu', 'rounds wall', 'rounds cpu'];
  console.log(
    roots[b],
    cols
      .map(
        (c, i) =>
          `${c} min ${Math.round(
            stat(
              rows[b].map((x) => x[i]),
              'min',
            ),
          )} med ${Math.round(stat(rows[b].map((x) => x[i])))}`,
      )
      .join(', '),
  );
}
process.exit(0);
