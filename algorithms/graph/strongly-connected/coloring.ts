/**
 * Strongly connected components by colouring (forward-backward rounds, as in Orzan's and
 * Slota et al.'s parallel algorithms), written on the typed gather-sum-apply path: each round
 * first peels off vertices with no live in- or out-edge (each its own component), then
 *  1. colours: min-label propagation along edges (in-edge index, min combiner), until no live
 *     vertex changes, so that each vertex holds the smallest id that reaches it;
 *  2. reaches back from every vertex whose colour is its own id (a root) along in-edges,
 *     within its colour (out-edge index, max combiner); the vertices reached are the root's
 *     component, labelled with the root, the smallest id in it;
 * and repeats on the vertices left. Every round labels at least one component (the smallest
 * live id is a root). The supersteps are the kernels in kernels.ts.
 */
import type { Progress } from '../../../src/core/progress.js';
import type { Csr } from '../../../src/graph/csr.js';
import {
  runTypedGatherSumApply,
  type TypedGatherSumApplyProgram,
  type TypedInEdges,
} from '../../../src/graph/iterations/typed-gather-sum-apply.js';
import { colourApply, colourScatter, reachApply } from './kernels.js';

const forward: TypedGatherSumApplyProgram = {
  combiner: 'min',
  scatter: colourScatter,
  apply: colourApply,
  aggregators: { changes: 'sum' },
};

const backward: TypedGatherSumApplyProgram = {
  combiner: 'max',
  apply: reachApply,
  aggregators: { changes: 'sum' },
};

/** Each vertex's component, labelled with its smallest dense id; rounds reported to `progress`. */
export function colouredComponents(csr: Csr, progress?: Progress): Int32Array {
  const n = csr.vertexCount;
  const inEdges = csr.inEdges();
  const pull: TypedInEdges = { offsets: inEdges.offsets, sources: inEdges.sources };
  const push: TypedInEdges = { offsets: csr.offsets, sources: csr.targets };
  const label = new Int32Array(n).fill(-1);
  const live = new Float64Array(n).fill(1);
  const ids = Float64Array.from({ length: n }, (_, v) => v);
  const reached = new Float64Array(n);
  const colours = new Float64Array(n);
  // Supersteps until nothing changes (the last one changes nothing): at most n + 1.
  const run = {
    maxIterations: n + 1,
    convergence: { aggregator: 'changes', criterion: (c: number) => c === 0 },
  };
  let left = n - trim(csr, inEdges, live, label);
  progress?.update(n - left, 'vertices labelled');
  while (left > 0) {
    const coloured = runTypedGatherSumApply(pull, ids, forward, {
      ...run,
      name: 'colouring',
      arrays: [live],
    });
    for (let v = 0; v < n; v++) {
      const colour = coloured.values[v];
      colours[v] = live[v] === 1 ? colour : -1;
      reached[v] = live[v] === 1 && colour === v ? v : Number.NEGATIVE_INFINITY;
    }
    const back = runTypedGatherSumApply(push, reached, backward, {
      ...run,
      name: 'reach',
      arrays: [colours],
    });
    for (let v = 0; v < n; v++) {
      if (back.values[v] !== Number.NEGATIVE_INFINITY) {
        label[v] = colours[v];
        live[v] = 0;
        left--;
      }
    }
    left -= trim(csr, inEdges, live, label);
    progress?.update(n - left, 'vertices labelled');
  }
  progress?.finish();
  return label;
}

/**
 * Labels every live vertex that has no live in-edge or no live out-edge (after the others so
 * labelled are gone) as a component of its own; returns how many.
 */
function trim(
  csr: Csr,
  inEdges: { offsets: Int32Array; sources: Int32Array },
  live: Float64Array,
  label: Int32Array,
): number {
  const n = csr.vertexCount;
  const { offsets, targets } = csr;
  const inDegree = new Int32Array(n);
  const outDegree = new Int32Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) {
    if (live[v] !== 1) continue;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) if (live[targets[e]] === 1) outDegree[v]++;
    for (let e = inEdges.offsets[v]; e < inEdges.offsets[v + 1]; e++) {
      if (live[inEdges.sources[e]] === 1) inDegree[v]++;
    }
    if (inDegree[v] === 0 || outDegree[v] === 0) queue[tail++] = v;
  }
  // Each vertex is queued once: when a count first reaches 0 while the other is still above.
  for (let head = 0; head < tail; head++) {
    const v = queue[head];
    live[v] = 0;
    label[v] = v;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const w = targets[e];
      if (live[w] === 1 && --inDegree[w] === 0 && outDegree[w] > 0) queue[tail++] = w;
    }
    for (let e = inEdges.offsets[v]; e < inEdges.offsets[v + 1]; e++) {
      const u = inEdges.sources[e];
      if (live[u] === 1 && --outDegree[u] === 0 && inDegree[u] > 0) queue[tail++] = u;
    }
  }
  return tail;
}
