/**
 * The shared buffer of partial matches (Flink's SharedBuffer): every event a partial match took
 * is stored once, as a node per (event, step); a partial match is a pointer to its latest node
 * and a Dewey version, and each node's edges point back to the node before it, labelled with
 * the version of the branch that made them. Partial matches that share a prefix share its
 * nodes, so memory grows with the events taken, not with the number of partial matches.
 */
import type { JsonValue } from '../stream/events.js';

/**
 * A Dewey number ([1, 0, 2]): the version of a branch of partial matches. A branch that forks
 * adds a stage; siblings count up the last digit.
 */
export type DeweyNumber = readonly number[];

/** The version after `n` more siblings. */
export function increase(version: DeweyNumber, n = 1): DeweyNumber {
  const next = version.slice();
  next[next.length - 1] += n;
  return next;
}

/** The version of a new branch below `version`. */
export function addStage(version: DeweyNumber): DeweyNumber {
  return [...version, 0];
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

/** Where a partial match points: a node's key (`eventId:step`). */
export type NodeKey = string;

interface Edge {
  /** The node before, or null at the first event of a match. */
  readonly target: NodeKey | null;
  readonly version: DeweyNumber;
}

interface BufferNode {
  readonly name: string;
  readonly eventId: number;
  readonly edges: Edge[];
}

/** The events of a match by step name, as event ids in order. */
export type MatchIds = Map<string, number[]>;

/** A live pointer into the buffer, kept when the buffer sweeps what no one points to any more. */
export interface BufferPointer {
  readonly previous: NodeKey | null;
  readonly version: DeweyNumber;
}

/** Stored events and the nodes of partial matches over them. */
export class SharedBuffer<T> {
  private readonly events = new Map<number, { event: T; timestamp: number }>();
  private readonly nodes = new Map<NodeKey, BufferNode>();
  /** The node count after the last sweep: the next sweep waits until the buffer has doubled. */
  private swept = 0;

  /** Number of stored events (each once, however many partial matches hold it). */
  get eventCount(): number {
    return this.events.size;
  }

  /** Number of (event, step) nodes. */
  get nodeCount(): number {
    return this.nodes.size;
  }

  /** Stores that the event `eventId` was taken by step `name` after `previous`, on branch `version`. */
  put(
    name: string,
    eventId: number,
    event: T,
    timestamp: number,
    previous: NodeKey | null,
    version: DeweyNumber,
  ): NodeKey {
    if (!this.events.has(eventId)) this.events.set(eventId, { event, timestamp });
    const key = `${eventId}:${name}`;
    let node = this.nodes.get(key);
    if (!node) this.nodes.set(key, (node = { name, eventId, edges: [] }));
    node.edges.push({ target: previous, version });
    return key;
  }

  /** The event ids of the partial match ending at `key` on branch `version` (the first path found). */
  extract(key: NodeKey | null, version: DeweyNumber): MatchIds {
    const result: MatchIds = new Map();
    if (key === null) return result;
    const first = this.nodes.get(key);
    if (!first) return result;
    const stack: { node: BufferNode | null; version: DeweyNumber; path: BufferNode[] }[] = [
      { node: first, version, path: [] },
    ];
    while (stack.length > 0) {
      const { node, version: current, path } = stack.pop()!;
      if (node === null) {
        for (let i = path.length - 1; i >= 0; i--) {
          const step = path[i];
          let ids = result.get(step.name);
          if (!ids) result.set(step.name, (ids = []));
          ids.push(step.eventId);
        }
        return result;
      }
      path.push(node);
      let firstEdge = true;
      for (const edge of node.edges) {
        if (!isCompatibleWith(current, edge.version)) continue;
        const next = edge.target === null ? null : (this.nodes.get(edge.target) ?? null);
        stack.push({ node: next, version: edge.version, path: firstEdge ? path : path.slice() });
        firstEdge = false;
      }
    }
    return result;
  }

  /** The events behind ids, by step name. */
  materialize(ids: MatchIds): Record<string, T[]> {
    const match: Record<string, T[]> = {};
    for (const [name, list] of ids) match[name] = list.map((id) => this.events.get(id)!.event);
    return match;
  }

  /** The event time of a stored event. */
  timestampOf(eventId: number): number {
    return this.events.get(eventId)!.timestamp;
  }

  /** Whether the buffer has doubled since the last sweep (sweeping then costs constant work per event). */
  get sweepDue(): boolean {
    return this.nodes.size > Math.max(256, 2 * this.swept);
  }

  /**
   * Drops every node, edge and event that no live partial match can reach by following
   * edges of its version: what Flink's reference counts release, found by marking instead.
   */
  sweep(live: Iterable<BufferPointer>): void {
    const kept = new Set<Edge>();
    const keptNodes = new Set<NodeKey>();
    const visited = new Set<string>();
    const stack: BufferPointer[] = [];
    for (const pointer of live) if (pointer.previous !== null) stack.push(pointer);
    while (stack.length > 0) {
      const { previous, version } = stack.pop()!;
      const seen = `${previous}|${version.join('.')}`;
      if (previous === null || visited.has(seen)) continue;
      visited.add(seen);
      const node = this.nodes.get(previous);
      if (!node) continue;
      keptNodes.add(previous);
      for (const edge of node.edges) {
        if (!isCompatibleWith(version, edge.version)) continue;
        kept.add(edge);
        if (edge.target !== null) stack.push({ previous: edge.target, version: edge.version });
      }
    }
    const usedEvents = new Set<number>();
    for (const [key, node] of this.nodes) {
      if (!keptNodes.has(key)) {
        this.nodes.delete(key);
        continue;
      }
      const edges = node.edges.filter((edge) => kept.has(edge));
      node.edges.length = 0;
      node.edges.push(...edges);
      usedEvents.add(node.eventId);
    }
    for (const id of this.events.keys()) if (!usedEvents.has(id)) this.events.delete(id);
    this.swept = this.nodes.size;
  }

  /** The buffer as JSON (events must be JSON values to be checkpointed). */
  snapshot(): JsonValue {
    return {
      events: Array.from(this.events, ([id, { event, timestamp }]) => [id, event as JsonValue, timestamp]),
      nodes: Array.from(this.nodes.values(), (node) => [
        node.eventId,
        node.name,
        node.edges.map((edge) => [edge.target, edge.version as number[]]),
      ]),
    } as JsonValue;
  }

  /** Puts back what {@link snapshot} returned. */
  restore(state: JsonValue): void {
    const saved = state as {
      events: [number, T, number][];
      nodes: [number, string, [NodeKey | null, number[]][]][];
    };
    this.events.clear();
    this.nodes.clear();
    for (const [id, event, timestamp] of saved.events) this.events.set(id, { event, timestamp });
    for (const [eventId, name, edges] of saved.nodes) {
      this.nodes.set(`${eventId}:${name}`, {
        name,
        eventId,
        edges: edges.map(([target, version]) => ({ target, version })),
      });
    }
    this.swept = this.nodes.size;
  }
}
