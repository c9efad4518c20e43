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
import type { Csr, EdgeOffsets } from '../../../src/graph/csr.js';
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
  const trimming = new Trimming(csr, inEdges, live, label);
  const ids = Float64Array.from({ length: n }, (_, v) => v);
  const reached = new Float64Array(n);
  const colours = new Float64Array(n);
  // Supersteps until nothing changes (the last one changes nothing): at most n + 1.
  const run = {
    maxIterations: n + 1,
    convergence: { aggregator: 'changes', criterion: (c: number) => c === 0 },
  };
  let left = n - trimming.trim();
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
        trimming.remove(v);
        left--;
      }
    }
    left -= trimming.trim();
    progress?.update(n - left, 'vertices labelled');
  }
  progress?.finish();
  return label;
}

/**
 * The live in- and out-degrees of every vertex, kept as vertices are labelled (each edge is
 * counted down once in all), and the vertices whose in- or out-degree fell to 0: the trim
 * labels those as components of their own.
 */
class Trimming {
  private readonly inDegree: Int32Array;
  private readonly outDegree: Int32Array;
  /** Vertices to trim: each is queued once, when its first degree reaches 0. */
  private readonly queue: Int32Array;
  private tail = 0;

  constructor(
    private readonly csr: Csr,
    private readonly inEdges: { offsets: EdgeOffsets; sources: Int32Array },
    private readonly live: Float64Array,
    private readonly label: Int32Array,
  ) {
    const n = csr.vertexCount;
    this.inDegree = new Int32Array(n);
    this.outDegree = new Int32Array(n);
    this.queue = new Int32Array(n);
    for (let v = 0; v < n; v++) {
      this.inDegree[v] = inEdges.offsets[v + 1] - inEdges.offsets[v];
      this.outDegree[v] = csr.offsets[v + 1] - csr.offsets[v];
      if (this.inDegree[v] === 0 || this.outDegree[v] === 0) this.queue[this.tail++] = v;
    }
  }

  /** Takes `v` out of the live graph (its label set), counting down its neighbours' degrees. */
  remove(v: number): void {
    const { live, inDegree, outDegree, queue } = this;
    const { offsets, targets } = this.csr;
    live[v] = 0;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const w = targets[e];
      if (live[w] === 1 && --inDegree[w] === 0 && outDegree[w] > 0) queue[this.tail++] = w;
    }
    const { offsets: inOffsets, sources } = this.inEdges;
    for (let e = inOffsets[v]; e < inOffsets[v + 1]; e++) {
      const u = sources[e];
      if (live[u] === 1 && --outDegree[u] === 0 && inDegree[u] > 0) queue[this.tail++] = u;
    }
  }

  /**
   * Labels every queued vertex still live as a component of its own, and those its removal
   * leaves without a live in- or out-edge; returns how many it labelled.
   */
  trim(): number {
    let trimmed = 0;
    for (let head = 0; head < this.tail; head++) {
      const v = this.queue[head];
      if (this.live[v] !== 1) continue;
      this.label[v] = v;
      this.remove(v);
      trimmed++;
    }
    this.tail = 0;
    return trimmed;
  }
}
