/**
 * The vertex-centric (Pregel) iteration model, with Gelly's semantics: in superstep 1 every
 * vertex computes; afterwards only vertices that received messages do; `compute` reads its
 * messages, may set a new value and send messages; the iteration stops when no message is
 * sent or after `maxIterations` supersteps. It is a delta iteration over the CSR: the solution
 * set is the vertex-value array, the workset the vertices with pending messages.
 */
import type { Graph, Vertex } from '../graph.js';
import type { VertexKey } from '../vertex-dictionary.js';
import { MessagingContext } from './context.js';
import { createInbox } from './inboxes.js';
import { type Inbox, MessageIterator } from './messages.js';
import {
  Aggregators,
  type Combiner,
  checkIterationOptions,
  type IterationOptions,
  type IterationResult,
} from './options.js';
import { checkpointAfterSuperstep, checkpointAtEnd, resumeRun, runResult } from './run-state.js';
import { WorkingValues } from './working-values.js';

/** The context of a compute function (Gelly's ComputeFunction methods). */
export class ComputeContext<K extends VertexKey, VV, EV, M> extends MessagingContext<K, VV, EV, M> {
  /** Set by the runner: stores the new value of the current vertex. */
  setValue: (value: VV) => void = () => {};

  /** Sets the current vertex's value (visible from the next superstep). */
  setNewVertexValue(value: VV): void {
    this.setValue(value);
  }
}

/** A vertex program: Gelly's ComputeFunction. */
export interface ComputeFunction<K extends VertexKey, VV, EV, M> {
  /**
   * Runs for a vertex (all in superstep 1, then those with messages). `vertex` and `messages`
   * are reused between calls: copy what you keep.
   */
  compute(vertex: Vertex<K, VV>, messages: MessageIterator<M>, context: ComputeContext<K, VV, EV, M>): void;
  /** Runs before each superstep. */
  preSuperstep?(context: ComputeContext<K, VV, EV, M>): void;
  /** Runs after each superstep. */
  postSuperstep?(context: ComputeContext<K, VV, EV, M>): void;
}

/** Options of {@link runVertexCentricIteration}. */
export interface VertexCentricOptions<M> extends IterationOptions {
  /** Combines messages to the same vertex before delivery ('sum' | 'min' | 'max' run on typed buffers). */
  combiner?: Combiner<M>;
}

const MODEL = 'vertex-centric';

/**
 * Runs a vertex-centric iteration and returns the graph with the final vertex values.
 * @example
 * // Single-source shortest paths from vertex 1.
 * const { graph: distances } = runVertexCentricIteration(graph.mapVertices((v) => (v.id === 1 ? 0 : Infinity)), {
 *   compute(vertex, messages, context) {
 *     let best = context.getSuperstepNumber() === 1 ? vertex.value : Infinity;
 *     for (const m of messages) if (m < best) best = m;
 *     if (best < vertex.value || (context.getSuperstepNumber() === 1 && best === 0)) {
 *       context.setNewVertexValue(best);
 *       context.sendMessagesAlongEdges((weight) => best + weight);
 *     }
 *   },
 * }, { maxIterations: 100, combiner: 'min' });
 */
export function runVertexCentricIteration<K extends VertexKey, VV, EV, M>(
  graph: Graph<K, VV, EV>,
  program: ComputeFunction<K, VV, EV, M> | ComputeFunction<K, VV, EV, M>['compute'],
  options: VertexCentricOptions<M>,
): IterationResult<K, VV, EV> {
  const { name, maxIterations, direction, execution } = checkIterationOptions(options);
  const fn = typeof program === 'function' ? { compute: program } : program;
  const n = graph.numberOfVertices();
  const makeInbox = (): Inbox<M> =>
    createInbox(n, options.combiner, execution, direction === 'out' ? graph.csr : undefined);
  let inbox = makeInbox();
  let outbox = makeInbox();
  const values = new WorkingValues<VV>(graph.vertexValueStore(), n);
  const aggregators = new Aggregators(options.aggregators);
  const iteration = { model: MODEL, name, graph, values, aggregators };
  const context = new ComputeContext<K, VV, EV, M>(graph, aggregators, options, direction, outbox);
  const vertex = { id: undefined as unknown as K, value: undefined as unknown as VV };
  const messages = new MessageIterator<M>();
  context.setValue = (value) => {
    values.set(context.vertexId, value);
    vertex.value = value;
  };

  let superstep = 0;
  if (options.resumeFrom !== undefined) {
    const resumed = resumeRun(iteration, options.resumeFrom);
    superstep = resumed.superstep;
    inbox.restore(resumed.frontier as { receivers: Int32Array; messages: unknown });
  }
  // A graph without vertices runs no superstep.
  let converged =
    n === 0 || (superstep > 0 && (inbox.count === 0 || aggregators.converged(options, superstep)));
  while (!converged && superstep < maxIterations) {
    superstep++;
    context.superstep = superstep;
    context.outbox = outbox;
    fn.preSuperstep?.(context);
    const run = (v: number): void => {
      context.vertexId = v;
      vertex.id = graph.dictionary.key(v);
      vertex.value = values.get(v);
      fn.compute(vertex, messages, context);
    };
    if (superstep === 1) {
      messages.setEmpty();
      for (let v = 0; v < n; v++) run(v);
    } else {
      const receivers = inbox.receivers();
      for (let i = 0; i < receivers.length; i++) {
        inbox.load(receivers[i], messages);
        run(receivers[i]);
      }
    }
    fn.postSuperstep?.(context);
    aggregators.endSuperstep();
    inbox.clear();
    [inbox, outbox] = [outbox, inbox];
    converged = inbox.count === 0 || aggregators.converged(options, superstep);
    checkpointAfterSuperstep(options.checkpoint, iteration, superstep, () => inbox.snapshot());
  }
  checkpointAtEnd(options.checkpoint, iteration, superstep, inbox.snapshot());
  return runResult(iteration, superstep, converged);
}
