/**
 * The shared buffer of partial matches (Flink's SharedBuffer): every event a partial match took
 * is stored once, as a node per (event, step); a partial match is a pointer to its latest node
 * and a Dewey version, and each node's edges point back to the node before it, labelled with
 * the version of the branch that made them. Partial matches that share a prefix share its
 * nodes, so memory grows with the events taken, not with the number of partial matches.
 *
 * Nodes are plain objects that point at each other: a node no live partial match can reach is
 * garbage for the JavaScript heap, with no table of nodes to look up or clean per event (what
 * Flink's reference counts do). A sweep now and then trims, on the nodes still reached, the
 * edges of branches that ended.
 */
import type { JsonValue } from '../stream/events.js';

/**
 * A Dewey number ([1, 0, 2]): the version of a branch of partial matches. A branch that forks
 * adds a stage; siblings count up the last digit. Versions are never changed once made, so
 * partial matches share them freely.
 */
export type DeweyNumber = readonly number[];

/** The version after `n` more siblings (the same array when `n` is 0). */
export function increase(version: DeweyNumber, n = 1): DeweyNumber {
  if (n === 0) return version;
  const next = version.slice();
  next[next.length - 1] += n;
  return next;
}

/** The version of a new branch below `version`. */
export function addStage(version: DeweyNumber): DeweyNumber {
  const next = version.slice();
  next.push(0);
  return next;
}

/**
 * Whether a partial match of version `version` may follow an edge labelled `other`: `other` is
 * a prefix of it, or equal to it but for a last digit that is not larger.
 */
export function isCompatibleWith(version: DeweyNumber, other: DeweyNumber): boolean {
  if (version.length > other.length) {
    for (let i = 0; i < other.length; i++) if (version[i] !== other[i]) return false;
    return true;
  }
  if (version.length < other.length) return false;
  const last = version.length - 1;
  for (let i = 0; i < last; i++) if (version[i] !== other[i]) return false;
  return version[last] >= other[last];
}

interface Edge<T> {
  /** The node before, or null at the first event of a match. */
  readonly target: BufferNode<T> | null;
  readonly version: DeweyNumber;
}

/** One event as taken by one step, with the edges back to the nodes before it. */
export interface BufferNode<T> {
  readonly name: string;
  readonly eventId: number;
  readonly event: T;
  readonly timestamp: number;
  edges: Edge<T>[];
}

/** A live pointer into the buffer: what a partial match holds. */
export interface BufferPointer<T> {
  readonly previous: BufferNode<T> | null;
  readonly version: DeweyNumber;
}

/** How a checkpoint names nodes: their position in the saved node list. */
export type NodeIndex = Map<BufferNode<unknown>, number>;

/** Stored events and the nodes of partial matches over them. */
export class SharedBuffer<T> {
  /**
   * The nodes made for the event now being processed: one node per (event, step). A few at
   * most, so a list searched by name, emptied by its count.
   */
  private readonly nodesOfEvent: BufferNode<T>[] = [];
  private nodesOfEventCount = 0;
  private eventOfNodes = -1;
  /** Nodes made since the last sweep, and the nodes the last sweep reached. */
  private made = 0;
  private reached = 0;

  /** Stores that the event `eventId` was taken by step `name` after `previous`, on branch `version`. */
  put(
    name: string,
    eventId: number,
    event: T,
    timestamp: number,
    previous: BufferNode<T> | null,
    version: DeweyNumber,
  ): BufferNode<T> {
    if (eventId !== this.eventOfNodes) {
      this.nodesOfEventCount = 0;
      this.eventOfNodes = eventId;
    }
    let node: BufferNode<T> | undefined;
    for (let i = 0; i < this.nodesOfEventCount; i++) {
      if (this.nodesOfEvent[i].name === name) node = this.nodesOfEvent[i];
    }
    if (node === undefined) {
      node = { name, eventId, event, timestamp, edges: [] };
      this.nodesOfEvent[this.nodesOfEventCount++] = node;
      this.made++;
    }
    node.edges.push({ target: previous, version });
    return node;
  }

  /**
   * The nodes of the partial match ending at `node` on branch `version`, oldest first: the
   * first path back that follows only edges of that branch.
   */
  extract(node: BufferNode<T> | null, version: DeweyNumber): BufferNode<T>[] {
    if (node === null) return [];
    const stack: { node: BufferNode<T> | null; version: DeweyNumber; path: BufferNode<T>[] }[] = [
      { node, version, path: [] },
    ];
    while (stack.length > 0) {
      const { node: current, version: currentVersion, path } = stack.pop()!;
      if (current === null) return path.reverse();
      path.push(current);
      let firstEdge = true;
      for (const edge of current.edges) {
        if (!isCompatibleWith(currentVersion, edge.version)) continue;
        stack.push({ node: edge.target, version: edge.version, path: firstEdge ? path : path.slice() });
        firstEdge = false;
      }
    }
    return [];
  }

  /** Whether enough nodes were made since the last sweep that trimming dead edges is worth a walk. */
  get sweepDue(): boolean {
    return this.made > Math.max(256, this.reached);
  }

  /**
   * Keeps on every node that a live partial match reaches only the edges that some live
   * partial match can follow (compatible with its version): the rest belong to branches that
   * ended, and what only they held becomes garbage. Returns the nodes reached.
   */
  sweep(live: Iterable<BufferPointer<T>>): Set<BufferNode<T>> {
    const kept = new Set<Edge<T>>();
    const reached = this.reach(live, kept);
    for (const node of reached) {
      if (node.edges.every((edge) => kept.has(edge))) continue;
      node.edges = node.edges.filter((edge) => kept.has(edge));
    }
    this.made = 0;
    this.reached = reached.size;
    return reached;
  }

  /** The nodes and events live partial matches hold (events counted once however many nodes hold them). */
  size(live: Iterable<BufferPointer<T>>): { events: number; nodes: number } {
    const reached = this.reach(live, new Set());
    return { events: new Set(Array.from(reached, (node) => node.eventId)).size, nodes: reached.size };
  }

  /** The nodes reachable from `live` through compatible edges; the edges followed go into `followed`. */
  private reach(live: Iterable<BufferPointer<T>>, followed: Set<Edge<T>>): Set<BufferNode<T>> {
    const reached = new Set<BufferNode<T>>();
    const visited = new Map<BufferNode<T>, Set<string>>();
    const stack: BufferPointer<T>[] = [];
    for (const pointer of live) if (pointer.previous !== null) stack.push(pointer);
    while (stack.length > 0) {
      const { previous: node, version } = stack.pop()!;
      if (node === null) continue;
      let versions = visited.get(node);
      if (!versions) visited.set(node, (versions = new Set()));
      const seen = version.join('.');
      if (versions.has(seen)) continue;
      versions.add(seen);
      reached.add(node);
      for (const edge of node.edges) {
        if (!isCompatibleWith(version, edge.version)) continue;
        followed.add(edge);
        if (edge.target !== null) stack.push({ previous: edge.target, version: edge.version });
      }
    }
    return reached;
  }

  /**
   * The nodes live partial matches hold, as JSON (events must be JSON values to be
   * checkpointed), and the index by which partial matches name their node in it.
   */
  snapshot(live: Iterable<BufferPointer<T>>): { state: JsonValue; index: NodeIndex } {
    const reached = this.sweep(live);
    const index: NodeIndex = new Map();
    const events = new Map<number, [number, JsonValue, number]>();
    for (const node of reached) {
      index.set(node, index.size);
      if (!events.has(node.eventId))
        events.set(node.eventId, [node.eventId, node.event as JsonValue, node.timestamp]);
    }
    const nodes = Array.from(reached, (node) => [
      node.eventId,
      node.name,
      node.edges.map((edge) => [
        edge.target === null ? null : index.get(edge.target)!,
        edge.version as number[],
      ]),
    ]);
    return { state: { events: Array.from(events.values()), nodes } as JsonValue, index };
  }

  /** Puts back what {@link snapshot} returned; returns the nodes by their saved index. */
  restore(state: JsonValue): BufferNode<T>[] {
    const saved = state as {
      events: [number, T, number][];
      nodes: [number, string, [number | null, number[]][]][];
    };
    const events = new Map(saved.events.map(([id, event, timestamp]) => [id, { event, timestamp }]));
    const nodes: BufferNode<T>[] = saved.nodes.map(([eventId, name]) => {
      const { event, timestamp } = events.get(eventId)!;
      return { name, eventId, event, timestamp, edges: [] };
    });
    saved.nodes.forEach(([, , edges], i) => {
      nodes[i].edges = edges.map(([target, version]) => ({
        target: target === null ? null : nodes[target],
        version,
      }));
    });
    this.reset();
    this.reached = nodes.length;
    return nodes;
  }

  /** Forgets the nodes of the last event (the partial matches hold the rest). */
  reset(): void {
    this.nodesOfEvent.length = 0;
    this.nodesOfEventCount = 0;
    this.eventOfNodes = -1;
    this.made = 0;
    this.reached = 0;
  }
}
