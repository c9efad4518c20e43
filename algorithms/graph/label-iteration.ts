/**
 * What Gelly's label propagation and community detection share on the scatter-gather model:
 * a bound on the messages one vertex receives, and their stopping rule. Gelly's programs set a value on every vertex that received messages,
 * so the same vertices send again and the model's own test (no vertex updated) rarely ends the
 * run; Gelly's ports stop at the first superstep that changes no value and no sender. This
 * counts those changes into an aggregator that the model's convergence criterion reads.
 */
import type { Progress } from '../../src/core/progress.js';
import type { EdgeOffsets } from '../../src/graph/csr.js';
import type { SuperstepContext } from '../../src/graph/iterations/context.js';
import type { IterationOptions, IterationResult } from '../../src/graph/iterations/options.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { VertexLabels } from './vertex-labels.js';
import type { IterationOutcome } from './vertex-values.js';

/** Changes of one superstep: values, and vertices that started or stopped sending. */
export class FixedPointTracker {
  /** The iteration options that stop the run at a superstep without changes. */
  static readonly options: Pick<IterationOptions, 'aggregators' | 'convergence'> = {
    aggregators: { changes: 'sum' },
    convergence: { aggregator: 'changes', criterion: (changes) => changes === 0 },
  };
  /** The superstep in which each vertex last sent. */
  private readonly sentIn: Int32Array;
  private senders = 0;
  private sendersReceiving = 0;
  private changes = 0;
  private readonly progress: Progress | undefined;

  /** `progress` is told of each superstep as it ends. */
  constructor(vertexCount: number, progress?: Progress) {
    this.sentIn = new Int32Array(vertexCount);
    this.progress = progress;
  }

  /** Call from preSuperstep. */
  start(): void {
    this.senders = 0;
    this.sendersReceiving = 0;
    this.changes = 0;
  }

  /** Call from scatter: vertex `v` sends in `superstep`. */
  sent(v: number, superstep: number): void {
    this.sentIn[v] = superstep;
    this.senders++;
  }

  /** Call from gather: vertex `v` received, so it sends in the next superstep. */
  received(v: number, superstep: number): void {
    if (this.sentIn[v] === superstep) this.sendersReceiving++;
    else this.changes++;
  }

  /** Call when a vertex's value changed. */
  changed(): void {
    this.changes++;
  }

  /** Call from postSuperstep: senders that received nothing stop sending, a change too. */
  end(context: SuperstepContext): void {
    context.aggregate('changes', this.changes + this.senders - this.sendersReceiving);
    this.progress?.update(context.superstep);
  }

  /**
   * The iterations and convergence Gelly's ports report: they count the superstep that finds
   * nothing changed. When the model stopped because no vertex received anything while that
   * superstep still changed the senders, the ports run one more superstep to see nothing
   * change, or stop at maxIterations unconverged.
   */
  static outcome<K extends VertexKey, VV, EV>(
    result: IterationResult<K, VV, EV>,
    maxIterations: number,
  ): IterationOutcome {
    const { iterations, converged } = result;
    if (!converged || result.aggregates.changes === 0 || iterations === 0) return { iterations, converged };
    return iterations < maxIterations
      ? { iterations: iterations + 1, converged }
      : { iterations, converged: false };
  }
}

/** The largest sum of a vertex's degrees over CSR offset arrays (out-, in- or both). */
export function largestDegree(...offsetArrays: EdgeOffsets[]): number {
  let largest = 0;
  const n = offsetArrays[0].length - 1;
  for (let v = 0; v < n; v++) {
    let degree = 0;
    for (const offsets of offsetArrays) degree += offsets[v + 1] - offsets[v];
    if (degree > largest) largest = degree;
  }
  return largest;
}

/**
 * The result of a run whose vertex values are key ranks (see key-order.ts): each vertex
 * labelled with the key of its rank, with the iterations Gelly's port reports.
 */
export function labelsByRank<K extends VertexKey>(
  graph: GraphIndex<K>,
  result: IterationResult<K, number, unknown>,
  byRank: Int32Array,
  name: string,
  maxIterations: number,
): VertexLabels<K> {
  const values = result.graph.numericVertexValues()!;
  const labels = Int32Array.from(values, (rank) => byRank[rank]);
  return new VertexLabels(graph.dictionary, labels, name, FixedPointTracker.outcome(result, maxIterations));
}
