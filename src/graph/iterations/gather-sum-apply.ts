/**
 * The gather-sum-apply iteration model, with Gelly's semantics: in each superstep, along every
 * edge leaving an active vertex (all vertices in superstep 1), `gather(neighbourValue,
 * edgeValue)` makes a partial value for the vertex at the other end; `sum` combines the partial
 * values per vertex; `apply(sum, currentValue)` gives the vertex's new value. Vertices whose
 * value changed are the next superstep's active set; it stops when none changed, or after
 * `maxIterations`. With direction `'in'`, values flow against the edges instead.
 */
import { ParamError } from '../../core/errors.js';
import type { Graph } from '../graph.js';
import type { VertexKey } from '../vertex-dictionary.js';
import { SuperstepContext } from './context.js';
import { createInbox } from './inboxes.js';
import { TypedInbox } from './messages.js';
import {
  Aggregators,
  type Combiner,
  checkIterationOptions,
  type IterationOptions,
  type IterationResult,
} from './options.js';
import { checkpointAfterSuperstep, checkpointAtEnd, resumeRun, runResult } from './run-state.js';
import { WorkingValues } from './working-values.js';

/** Gelly's GatherFunction, SumFunction and ApplyFunction. */
export interface GatherSumApplyProgram<VV, EV, M> {
  /** The partial value a neighbour contributes across one edge. */
  gather(neighborValue: VV, edgeValue: EV, context: SuperstepContext): M;
  /** Combines two partial values: 'sum', 'min' or 'max' (typed buffers for numbers) or a function. */
  sum: Combiner<M>;
  /**
   * The vertex's new value from the combined partial values and its current value; returning
   * the current value (or undefined) leaves the vertex unchanged and inactive.
   */
  apply(sum: M, currentValue: VV, context: SuperstepContext): VV | undefined;
  preSuperstep?(context: SuperstepContext): void;
  postSuperstep?(context: SuperstepContext): void;
}

const MODEL = 'gather-sum-apply';

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** Runs a gather-sum-apply iteration and returns the graph with the final vertex values. */
export function runGatherSumApplyIteration<K extends VertexKey, VV, EV, M>(
  graph: Graph<K, VV, EV>,
  program: GatherSumApplyProgram<VV, EV, M>,
  options: IterationOptions,
): IterationResult<K, VV, EV> {
  const { name, maxIterations, direction, execution } = checkIterationOptions(options);
  const n = graph.numberOfVertices();
  const { csr } = graph;
  if (program.sum === undefined) throw new ParamError('sum', undefined, "'sum', 'min', 'max' or a function");
  const partials = createInbox(n, program.sum, execution);
  const typed = partials instanceof TypedInbox;
  const typedPartials = typed ? (partials as unknown as TypedInbox) : undefined;
  const values = new WorkingValues<VV>(graph.vertexValueStore(), n);
  const aggregators = new Aggregators(options.aggregators);
  const iteration = { model: MODEL, name, graph, values, aggregators };
  const context = new SuperstepContext(n, aggregators, options);
  const inEdges = direction === 'out' ? undefined : csr.inEdges();
  const weights = csr.weights;
  let active: Int32Array = Int32Array.from({ length: n }, (_, v) => v);

  let superstep = 0;
  if (options.resumeFrom !== undefined) {
    const resumed = resumeRun(iteration, options.resumeFrom);
    superstep = resumed.superstep;
    active = resumed.frontier as Int32Array;
  }
  let converged = active.length === 0 || (superstep > 0 && aggregators.converged(options, superstep));
  while (!converged && superstep < maxIterations) {
    superstep++;
    context.superstep = superstep;
    program.preSuperstep?.(context);
    // Gather and sum: every active vertex offers its value across its edges.
    const gather = program.gather;
    const numbers = values.numbers;
    for (let i = 0; i < active.length; i++) {
      const u = active[i];
      const value = numbers !== undefined ? (numbers[u] as VV) : values.get(u);
      if (direction !== 'in') {
        const end = csr.offsets[u + 1];
        if (typedPartials !== undefined && weights !== undefined) {
          // The numeric path: typed values, typed weights, typed partial sums.
          for (let e = csr.offsets[u]; e < end; e++) {
            const partial = gather(value, weights[e] as EV, context);
            if (typeof partial !== 'number') throw numericGatherError(partial);
            typedPartials.send(csr.targets[e], partial);
          }
        } else {
          for (let e = csr.offsets[u]; e < end; e++) {
            const partial = gather(value, graph.edgeValueAt(e), context);
            if (typed && typeof partial !== 'number') throw numericGatherError(partial);
            partials.send(csr.targets[e], partial);
          }
        }
      }
      if (inEdges !== undefined) {
        for (let slot = inEdges.offsets[u]; slot < inEdges.offsets[u + 1]; slot++) {
          const partial = gather(value, graph.edgeValueAt(inEdges.edgePositions[slot]), context);
          if (typed && typeof partial !== 'number') throw numericGatherError(partial);
          partials.send(inEdges.sources[slot], partial);
        }
      }
    }
    // Apply, in ascending id order.
    const receivers = partials.receivers();
    const changed: number[] = [];
    for (let i = 0; i < receivers.length; i++) {
      const v = receivers[i];
      const sum = partials.combinedValue(v);
      const current = values.get(v);
      const next = program.apply(sum, current, context);
      if (next !== undefined && !sameValue(next, current)) {
        values.set(v, next);
        changed.push(v);
      }
    }
    partials.clear();
    program.postSuperstep?.(context);
    aggregators.endSuperstep();
    active = Int32Array.from(changed);
    converged = active.length === 0 || aggregators.converged(options, superstep);
    checkpointAfterSuperstep(options.checkpoint, iteration, superstep, () => active);
  }
  checkpointAtEnd(options.checkpoint, iteration, superstep, active);
  return runResult(iteration, superstep, converged);
}

function numericGatherError(partial: unknown): ParamError {
  return new ParamError('gather result', partial, "a number (sum is 'sum', 'min' or 'max')");
}
