/**
 * The scatter-gather iteration model, with Gelly's semantics: in each superstep the active
 * vertices (all of them in superstep 1) scatter messages along their edges; every vertex that
 * received messages gathers them and may set a new value; the vertices that did are the next
 * superstep's active set. It stops when no vertex changes, or after `maxIterations`.
 */
import type { Graph, Vertex } from '../graph.js';
import type { VertexKey } from '../vertex-dictionary.js';
import { MessagingContext, SuperstepContext } from './context.js';
import { createInbox } from './inboxes.js';
import { MessageIterator } from './messages.js';
import {
  Aggregators,
  type Combiner,
  checkIterationOptions,
  type IterationOptions,
  type IterationResult,
} from './options.js';
import { checkpointAfterSuperstep, checkpointAtEnd, resumeRun, runResult } from './run-state.js';
import { WorkingValues } from './working-values.js';

/** The context of a scatter function (Gelly's ScatterFunction methods). */
export type ScatterContext<K extends VertexKey, VV, EV, M> = MessagingContext<K, VV, EV, M>;

/** The context of a gather function (Gelly's GatherFunction methods). */
export class GatherContext<VV> extends SuperstepContext {
  /** Dense id of the vertex being gathered (as the scatter context's `vertexId`). */
  vertexId = -1;
  /** Set by the runner. */
  setValue: (value: VV) => void = () => {};

  /** Sets the current vertex's value; the vertex becomes active for the next scatter. */
  setNewVertexValue(value: VV): void {
    this.setValue(value);
  }
}

/** Gelly's ScatterFunction and GatherFunction, with their optional superstep hooks. */
export interface ScatterGatherProgram<K extends VertexKey, VV, EV, M> {
  /** Sends messages from an active vertex (Gelly's sendMessages). */
  scatter(vertex: Vertex<K, VV>, context: ScatterContext<K, VV, EV, M>): void;
  /** Reads a vertex's messages and may set its new value (Gelly's updateVertex). */
  gather(vertex: Vertex<K, VV>, messages: MessageIterator<M>, context: GatherContext<VV>): void;
  preSuperstep?(context: SuperstepContext): void;
  postSuperstep?(context: SuperstepContext): void;
}

/** Options of {@link runScatterGatherIteration}. */
export interface ScatterGatherOptions<M> extends IterationOptions {
  /** Combines messages to the same vertex before gather (an eddy extension; sum/min/max run typed). */
  combiner?: Combiner<M>;
}

const MODEL = 'scatter-gather';

/** Runs a scatter-gather iteration and returns the graph with the final vertex values. */
export function runScatterGatherIteration<K extends VertexKey, VV, EV, M>(
  graph: Graph<K, VV, EV>,
  program: ScatterGatherProgram<K, VV, EV, M>,
  options: ScatterGatherOptions<M>,
): IterationResult<K, VV, EV> {
  const { name, maxIterations, direction, execution } = checkIterationOptions(options);
  const n = graph.numberOfVertices();
  const inbox = createInbox(n, options.combiner, execution, direction === 'out' ? graph.csr : undefined);
  const values = new WorkingValues<VV>(graph.vertexValueStore(), n);
  const aggregators = new Aggregators(options.aggregators);
  const iteration = { model: MODEL, name, graph, values, aggregators };
  const scatterContext = new MessagingContext<K, VV, EV, M>(graph, aggregators, options, direction, inbox);
  const gatherContext = new GatherContext<VV>(n, aggregators, options);
  const vertex = { id: undefined as unknown as K, value: undefined as unknown as VV };
  const messages = new MessageIterator<M>();
  let active: Int32Array = Int32Array.from({ length: n }, (_, v) => v);
  const updated = new Uint8Array(n);
  let current = -1;
  gatherContext.setValue = (value) => {
    values.set(current, value);
    vertex.value = value;
    updated[current] = 1;
  };

  let superstep = 0;
  if (options.resumeFrom !== undefined) {
    const resumed = resumeRun(iteration, options.resumeFrom);
    superstep = resumed.superstep;
    active = resumed.frontier as Int32Array;
  }
  let converged = active.length === 0 || (superstep > 0 && aggregators.converged(options, superstep));
  while (!converged && superstep < maxIterations) {
    superstep++;
    scatterContext.superstep = superstep;
    gatherContext.superstep = superstep;
    program.preSuperstep?.(gatherContext);
    for (let i = 0; i < active.length; i++) {
      const v = active[i];
      scatterContext.vertexId = v;
      vertex.id = graph.dictionary.key(v);
      vertex.value = values.get(v);
      program.scatter(vertex, scatterContext);
    }
    const receivers = inbox.receivers();
    let updatedCount = 0;
    for (let i = 0; i < receivers.length; i++) {
      const v = receivers[i];
      current = v;
      gatherContext.vertexId = v;
      vertex.id = graph.dictionary.key(v);
      vertex.value = values.get(v);
      inbox.load(v, messages);
      program.gather(vertex, messages, gatherContext);
      if (updated[v] === 1) updatedCount++;
    }
    inbox.clear();
    program.postSuperstep?.(gatherContext);
    aggregators.endSuperstep();
    const next = new Int32Array(updatedCount);
    let k = 0;
    for (let i = 0; i < receivers.length; i++) {
      if (updated[receivers[i]] === 1) {
        next[k++] = receivers[i];
        updated[receivers[i]] = 0;
      }
    }
    active = next;
    converged = active.length === 0 || aggregators.converged(options, superstep);
    checkpointAfterSuperstep(options.checkpoint, iteration, superstep, () => active);
  }
  checkpointAtEnd(options.checkpoint, iteration, superstep, active);
  return runResult(iteration, superstep, converged);
}
