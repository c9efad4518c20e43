/**
 * Strongly connected components by Tarjan's algorithm, iterative (an explicit stack, so long
 * paths do not overflow the call stack), linear in vertices plus edges.
 */
import type { Progress } from '../../../src/core/progress.js';
import type { Csr } from '../../../src/graph/csr.js';

/** Vertices reached between two progress reports. */
const PROGRESS_EVERY = 1 << 16;

/**
 * Each vertex's component, labelled with its smallest dense id; the vertices reached told to
 * `progress` as the search goes.
 */
export function tarjanComponents(csr: Csr, progress?: Progress): Int32Array {
  const { offsets, targets } = csr;
  const n = csr.vertexCount;
  const index = new Int32Array(n).fill(-1);
  const lowLink = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const label = new Int32Array(n);
  const stack = new Int32Array(n);
  let stackSize = 0;
  // The depth-first path: vertex and the next out-edge position to look at.
  const pathVertex = new Int32Array(n);
  const pathEdge = new Int32Array(n);
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    if (progress !== undefined && counter % PROGRESS_EVERY === 0)
      progress.update(counter, 'vertices reached');
    let depth = 0;
    pathVertex[0] = root;
    pathEdge[0] = offsets[root];
    index[root] = lowLink[root] = counter++;
    stack[stackSize++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = pathVertex[depth];
      const e = pathEdge[depth];
      if (e < offsets[v + 1]) {
        pathEdge[depth] = e + 1;
        const w = targets[e];
        if (index[w] < 0) {
          if (progress !== undefined && counter % PROGRESS_EVERY === 0)
            progress.update(counter, 'vertices reached');
          index[w] = lowLink[w] = counter++;
          stack[stackSize++] = w;
          onStack[w] = 1;
          depth++;
          pathVertex[depth] = w;
          pathEdge[depth] = offsets[w];
        } else if (onStack[w] === 1 && index[w] < lowLink[v]) {
          lowLink[v] = index[w];
        }
        continue;
      }
      if (lowLink[v] === index[v]) {
        // v is the root of a component: pop it, find its smallest id, label its members.
        let bottom = stackSize - 1;
        while (stack[bottom] !== v) bottom--;
        let smallest = v;
        for (let i = bottom; i < stackSize; i++) if (stack[i] < smallest) smallest = stack[i];
        for (let i = bottom; i < stackSize; i++) {
          label[stack[i]] = smallest;
          onStack[stack[i]] = 0;
        }
        stackSize = bottom;
      }
      depth--;
      if (depth >= 0) {
        const parent = pathVertex[depth];
        if (lowLink[v] < lowLink[parent]) lowLink[parent] = lowLink[v];
      }
    }
  }
  progress?.update(n, 'vertices reached');
  progress?.finish();
  return label;
}
