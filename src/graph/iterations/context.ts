/**
 * The context a vertex function runs in: superstep number, aggregators, broadcast sets,
 * optional vertex count and degrees, the current vertex's edges, and message sending. One
 * context object is reused for every vertex of every superstep (no allocation per call).
 */
import { ParamError } from '../../core/errors.js';
import type { Edge, EdgeDirection, Graph } from '../graph.js';
import type { VertexKey } from '../vertex-dictionary.js';
import { NumberListInbox } from './inboxes.js';
import { type Inbox, TypedInbox } from './messages.js';
import { type Aggregators, broadcastSet, type IterationOptions } from './options.js';

/** Superstep-wide information available to every vertex function. */
export class SuperstepContext {
  /** 1-based number of the running superstep (Gelly's getSuperstepNumber). */
  superstep = 0;
  protected readonly aggregators: Aggregators;
  protected readonly options: IterationOptions;
  private readonly vertexCount: number;

  constructor(vertexCount: number, aggregators: Aggregators, options: IterationOptions) {
    this.vertexCount = vertexCount;
    this.aggregators = aggregators;
    this.options = options;
  }

  /** The running superstep, from 1. */
  getSuperstepNumber(): number {
    return this.superstep;
  }

  /** Adds `value` to the aggregator `name` for this superstep. */
  aggregate(name: string, value: unknown): void {
    this.aggregators.aggregate(name, value);
  }

  /** The value of aggregator `name` at the end of the previous superstep. */
  getPreviousIterationAggregate<T = number>(name: string): T {
    return this.aggregators.previousValue(name) as T;
  }

  /** A broadcast set registered in the options. */
  getBroadcastSet<T = unknown>(name: string): T {
    return broadcastSet(this.options.broadcastSets, name) as T;
  }

  /** The number of vertices, or -1 unless the `numberOfVertices` option is set (as in Gelly). */
  getNumberOfVertices(): number {
    return this.options.numberOfVertices ? this.vertexCount : -1;
  }
}

/** Context of functions that run per vertex and may send messages along its edges. */
export class MessagingContext<K extends VertexKey, VV, EV, M> extends SuperstepContext {
  /** Dense id of the vertex being processed. */
  vertexId = -1;
  private readonly graph: Graph<K, VV, EV>;
  private readonly direction: EdgeDirection;
  private readonly inDegrees: Int32Array | undefined;
  /** Where messages go (the next superstep's inbox); swapped by the runner. */
  outbox: Inbox<M>;
  private readonly typedOutbox: boolean;

  constructor(
    graph: Graph<K, VV, EV>,
    aggregators: Aggregators,
    options: IterationOptions,
    direction: EdgeDirection,
    outbox: Inbox<M>,
  ) {
    super(graph.numberOfVertices(), aggregators, options);
    this.graph = graph;
    this.direction = direction;
    this.outbox = outbox;
    this.typedOutbox = outbox instanceof TypedInbox;
    this.inDegrees = options.degrees ? graph.csr.inDegrees() : undefined;
    if (direction !== 'out') graph.csr.inEdges();
  }

  /** In-degree of the current vertex, or -1 unless the `degrees` option is set. */
  getInDegree(): number {
    return this.inDegrees === undefined ? -1 : this.inDegrees[this.vertexId];
  }

  /** Out-degree of the current vertex, or -1 unless the `degrees` option is set. */
  getOutDegree(): number {
    return this.inDegrees === undefined ? -1 : this.graph.csr.outDegree(this.vertexId);
  }

  /** The current vertex's edges in the messaging direction (allocates; use sendMessagesAlongEdges in hot code). */
  getEdges(): Edge<K, EV>[] {
    const edges: Edge<K, EV>[] = [];
    const { csr, dictionary } = this.graph;
    const v = this.vertexId;
    const key = dictionary.key(v);
    if (this.direction !== 'in') {
      for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) {
        edges.push({ source: key, target: dictionary.key(csr.targets[e]), value: this.graph.edgeValueAt(e) });
      }
    }
    if (this.direction !== 'out') {
      const inEdges = csr.inEdges();
      for (let slot = inEdges.offsets[v]; slot < inEdges.offsets[v + 1]; slot++) {
        edges.push({
          source: dictionary.key(inEdges.sources[slot]),
          target: key,
          value: this.graph.edgeValueAt(inEdges.edgePositions[slot]),
        });
      }
    }
    return edges;
  }

  /** Sends `message` to the vertex with key `target`; a key that is not a vertex is an error naming it. */
  sendMessageTo(target: K, message: M): void {
    const id = this.graph.dictionary.id(target);
    if (id < 0) {
      throw new ParamError(
        `message target of vertex ${JSON.stringify(this.graph.dictionary.key(this.vertexId))}`,
        target,
        `a vertex of the graph (${this.options.name ?? 'iteration'}, superstep ${this.superstep})`,
      );
    }
    if (this.typedOutbox) checkNumber(message);
    this.outbox.send(id, message);
  }

  /** Sends `message` to every neighbour in the messaging direction. */
  sendMessageToAllNeighbors(message: M): void {
    const csr = this.graph.csr;
    const v = this.vertexId;
    if (this.direction === 'out' && this.outbox instanceof NumberListInbox) {
      this.outbox.broadcast(v, message);
      return;
    }
    if (this.direction !== 'in') this.sendRange(csr.targets, csr.offsets[v], csr.offsets[v + 1], message);
    if (this.direction !== 'out') {
      const inEdges = csr.inEdges();
      this.sendRange(inEdges.sources, inEdges.offsets[v], inEdges.offsets[v + 1], message);
    }
  }

  /**
   * Sends `messageFor(edgeValue)` along every edge in the messaging direction: per-edge
   * messages (like distance + weight) without building edge objects.
   */
  sendMessagesAlongEdges(messageFor: (edgeValue: EV) => M): void {
    const { csr } = this.graph;
    const v = this.vertexId;
    const outbox = this.outbox;
    const typed = this.typedOutbox;
    if (this.direction !== 'in') {
      for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) {
        const message = messageFor(this.graph.edgeValueAt(e));
        if (typed) checkNumber(message);
        outbox.send(csr.targets[e], message);
      }
    }
    if (this.direction !== 'out') {
      const inEdges = csr.inEdges();
      for (let slot = inEdges.offsets[v]; slot < inEdges.offsets[v + 1]; slot++) {
        const message = messageFor(this.graph.edgeValueAt(inEdges.edgePositions[slot]));
        if (typed) checkNumber(message);
        outbox.send(inEdges.sources[slot], message);
      }
    }
  }

  /**
   * Sends two messages along every edge in the messaging direction, one right after the other:
   * `first`, then `secondFor(edgeValue)`. Without a combiner a receiver gets them consecutively,
   * so it can read them as one pair (Gelly's Tuple2 messages, like a label and its score) while
   * numbers stay in typed buffers, with no object per message.
   */
  sendMessagePairsAlongEdges(first: M, secondFor: (edgeValue: EV) => M): void {
    if (this.typedOutbox) {
      throw new ParamError('combiner', this.options.name ?? 'iteration', 'none for message pairs');
    }
    const { csr } = this.graph;
    const v = this.vertexId;
    const outbox = this.outbox;
    if (this.direction !== 'in') {
      for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) {
        const target = csr.targets[e];
        outbox.send(target, first);
        outbox.send(target, secondFor(this.graph.edgeValueAt(e)));
      }
    }
    if (this.direction !== 'out') {
      const inEdges = csr.inEdges();
      for (let slot = inEdges.offsets[v]; slot < inEdges.offsets[v + 1]; slot++) {
        const target = inEdges.sources[slot];
        outbox.send(target, first);
        outbox.send(target, secondFor(this.graph.edgeValueAt(inEdges.edgePositions[slot])));
      }
    }
  }

  private sendRange(targets: Int32Array, start: number, end: number, message: M): void {
    if (this.typedOutbox) {
      checkNumber(message);
      (this.outbox as unknown as TypedInbox).sendToAll(targets, start, end, message as number);
      return;
    }
    if (this.outbox instanceof NumberListInbox) {
      this.outbox.sendToAll(targets, start, end, message);
      return;
    }
    for (let e = start; e < end; e++) this.outbox.send(targets[e], message);
  }
}

/** Messages of a sum/min/max combiner must be numbers (they are combined in a Float64Array). */
function checkNumber(message: unknown): void {
  if (typeof message !== 'number') {
    throw new ParamError('message', message, "a number (the combiner is 'sum', 'min' or 'max')");
  }
}
