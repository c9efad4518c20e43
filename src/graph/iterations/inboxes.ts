/**
 * Uncombined messages kept in typed arrays while they are numbers: every message is appended
 * (target, value) to an `Int32Array` and a `Float64Array`, and when the receivers are asked for,
 * grouped by receiver with one counting-sort pass (stable, so each vertex sees its messages in
 * the order they were sent, as with {@link GeneralInbox}). No array per receiver, no object per
 * message. The first message that is not a number moves everything to a GeneralInbox, which
 * serves the rest of the run: the same messages in the same order either way.
 *
 * Along out-edges, a vertex that sends one number to all its neighbours (a broadcast, as label
 * propagation does) is recorded once, not per edge; when the broadcasts cover a good part of
 * the edges, each receiver's messages are then pulled over its in-edges, which list senders in
 * ascending id as the pushes would have delivered them: the same messages in the same order,
 * at the cost of one sequential pass instead of a scattered write per edge and a sort.
 * {@link createInbox} picks the buffer for a combiner.
 */
import type { Csr } from '../csr.js';
import { GeneralInbox, type Inbox, isTypedCombiner, type MessageIterator, TypedInbox } from './messages.js';
import { type Combiner, combineFunction } from './options.js';

/**
 * The message buffer of a run: typed slots for a sum/min/max combiner, typed lists without a
 * combiner, general values for a combiner function or with `execution: 'general'`.
 */
export function createInbox<M>(
  vertexCount: number,
  combiner: Combiner<M> | undefined,
  execution: 'auto' | 'general',
  broadcastEdges?: Csr,
): Inbox<M> {
  if (execution === 'auto' && isTypedCombiner(combiner)) {
    return new TypedInbox(vertexCount, combiner) as unknown as Inbox<M>;
  }
  if (execution === 'auto' && combiner === undefined)
    return new NumberListInbox<M>(vertexCount, broadcastEdges);
  return new GeneralInbox<M>(vertexCount, combiner === undefined ? undefined : combineFunction(combiner));
}

/** Messages without a combiner, numbers in typed arrays, anything else in a {@link GeneralInbox}. */
export class NumberListInbox<M> implements Inbox<M> {
  private targets = new Int32Array(1024);
  private messages = new Float64Array(1024);
  private length = 0;
  /** Per vertex: its number of messages; after grouping, where its messages end in `grouped`. */
  private readonly counts: Int32Array;
  private readonly ends: Int32Array;
  private readonly list: Int32Array;
  private grouped = new Float64Array(0);
  private isGrouped = false;
  private general: GeneralInbox<M> | undefined;
  private readonly vertexCount: number;
  private receiverCount = 0;
  /** The graph whose out-edges broadcasts go along (undefined: no broadcasts). */
  private readonly csr: Csr | undefined;
  /** This superstep's broadcasting vertices (ascending), their numbers and their out-edges in all. */
  private readonly broadcasters: Int32Array;
  private broadcasterCount = 0;
  private broadcastEdgeCount = 0;
  private readonly broadcastValues: Float64Array;
  private readonly broadcasting: Uint8Array;

  /** With `csr`, broadcasts along its out-edges are recorded once per sender (see the module). */
  constructor(vertexCount: number, csr?: Csr) {
    this.vertexCount = vertexCount;
    this.counts = new Int32Array(vertexCount);
    this.ends = new Int32Array(vertexCount);
    this.list = new Int32Array(vertexCount);
    this.csr = csr;
    const broadcastSize = csr === undefined ? 0 : vertexCount;
    this.broadcasters = new Int32Array(broadcastSize);
    this.broadcastValues = new Float64Array(broadcastSize);
    this.broadcasting = new Uint8Array(broadcastSize);
  }

  /** Number of vertices with at least one message. */
  get count(): number {
    if (this.general !== undefined) return this.general.count;
    if (this.broadcasterCount > 0 && !this.isGrouped) this.receivers();
    return this.receiverCount;
  }

  /**
   * `sender` sends `message` along all its out-edges. Recorded once while the superstep has
   * only broadcasts, in ascending sender order; anything else delivers them edge by edge first.
   */
  broadcast(sender: number, message: M): void {
    const csr = this.csr;
    if (
      csr === undefined ||
      this.general !== undefined ||
      typeof message !== 'number' ||
      this.length > 0 ||
      this.broadcasting[sender] === 1 ||
      (this.broadcasterCount > 0 && this.broadcasters[this.broadcasterCount - 1] > sender)
    ) {
      this.deliverBroadcasts();
      if (csr === undefined) throw new Error('broadcast needs the graph');
      this.sendToAll(csr.targets, csr.offsets[sender], csr.offsets[sender + 1], message);
      return;
    }
    this.broadcasting[sender] = 1;
    this.broadcastValues[sender] = message;
    this.broadcasters[this.broadcasterCount++] = sender;
    this.broadcastEdgeCount += csr.offsets[sender + 1] - csr.offsets[sender];
    this.isGrouped = false;
  }

  send(target: number, message: M): void {
    if (this.broadcasterCount > 0) this.deliverBroadcasts();
    if (this.general !== undefined) this.general.send(target, message);
    else if (typeof message === 'number') this.append(target, message);
    else {
      this.moveToGeneral();
      this.general!.send(target, message);
    }
  }

  /** Sends the number `message` to every target in `targets[start, end)` (sendMessageToAllNeighbors). */
  sendToAll(targets: Int32Array, start: number, end: number, message: M): void {
    if (this.broadcasterCount > 0) this.deliverBroadcasts();
    if (this.general !== undefined || typeof message !== 'number') {
      for (let e = start; e < end; e++) this.send(targets[e], message);
      return;
    }
    this.reserve(end - start);
    const counts = this.counts;
    const list = this.list;
    const ownTargets = this.targets;
    const messages = this.messages;
    let length = this.length;
    for (let e = start; e < end; e++) {
      const target = targets[e];
      if (counts[target]++ === 0) list[this.receiverCount++] = target;
      ownTargets[length] = target;
      messages[length++] = message;
    }
    this.length = length;
    this.isGrouped = false;
  }

  receivers(): Int32Array {
    if (this.general !== undefined) return this.general.receivers();
    if (this.isGrouped) return this.list.subarray(0, this.receiverCount);
    // Pull when the broadcasts cover at least a quarter of the edges; else push them.
    if (this.broadcasterCount > 0 && this.broadcastEdgeCount * 4 >= this.csr!.edgeCount) {
      this.pullBroadcasts();
      return this.list.subarray(0, this.receiverCount);
    }
    this.deliverBroadcasts();
    const count = this.receiverCount;
    const receivers = this.list.subarray(0, count);
    if (count * 8 < this.vertexCount) receivers.sort();
    else {
      // Many receivers: a scan of the counts is cheaper than a sort.
      let k = 0;
      for (let v = 0; v < this.vertexCount; v++) if (this.counts[v] !== 0) this.list[k++] = v;
    }
    if (!this.isGrouped) this.group(receivers);
    return receivers;
  }

  load(target: number, iterator: MessageIterator<M>): void {
    if (this.general !== undefined) {
      this.general.load(target, iterator);
      return;
    }
    if (!this.isGrouped) this.receivers();
    const end = this.ends[target];
    const count = this.counts[target];
    iterator.setRange(this.grouped as unknown as ArrayLike<M>, end - count, count);
  }

  combinedValue(): M {
    throw new Error('combinedValue needs a combiner');
  }

  clear(): void {
    for (let i = 0; i < this.broadcasterCount; i++) this.broadcasting[this.broadcasters[i]] = 0;
    this.broadcasterCount = 0;
    this.broadcastEdgeCount = 0;
    for (let i = 0; i < this.receiverCount; i++) this.counts[this.list[i]] = 0;
    this.receiverCount = 0;
    this.length = 0;
    this.isGrouped = false;
    this.general?.clear();
  }

  /** Receivers and, per receiver, its messages as an array: the GeneralInbox's checkpoint form. */
  snapshot(): { receivers: Int32Array; messages: unknown[] } {
    if (this.general !== undefined) return this.general.snapshot();
    const receivers = this.receivers().slice();
    const messages = Array.from(receivers, (v) =>
      Array.from(this.grouped.subarray(this.ends[v] - this.counts[v], this.ends[v])),
    );
    return { receivers, messages };
  }

  restore(snapshot: { receivers: Int32Array; messages: unknown }): void {
    this.clear();
    const messages = snapshot.messages as M[][];
    snapshot.receivers.forEach((v, i) => {
      for (const message of messages[i]) this.send(v, message);
    });
  }

  private append(target: number, message: number): void {
    this.reserve(1);
    if (this.counts[target]++ === 0) this.list[this.receiverCount++] = target;
    this.targets[this.length] = target;
    this.messages[this.length++] = message;
    this.isGrouped = false;
  }

  private reserve(more: number): void {
    const needed = this.length + more;
    if (needed <= this.targets.length) return;
    const capacity = Math.max(needed, this.targets.length * 2);
    const targets = new Int32Array(capacity);
    targets.set(this.targets.subarray(0, this.length));
    const messages = new Float64Array(capacity);
    messages.set(this.messages.subarray(0, this.length));
    this.targets = targets;
    this.messages = messages;
  }

  /** Counting sort of the messages by receiver (`receivers` ascending), stable. */
  private group(receivers: Int32Array): void {
    if (this.grouped.length < this.length) this.grouped = new Float64Array(this.targets.length);
    const { counts, ends, targets, messages, grouped } = this;
    let position = 0;
    for (let i = 0; i < receivers.length; i++) {
      const v = receivers[i];
      ends[v] = position;
      position += counts[v];
    }
    for (let i = 0; i < this.length; i++) grouped[ends[targets[i]]++] = messages[i];
    this.isGrouped = true;
  }

  /** Sends the recorded broadcasts edge by edge, in sender order, and forgets them. */
  private deliverBroadcasts(): void {
    const count = this.broadcasterCount;
    if (count === 0) return;
    const { offsets, targets } = this.csr!;
    this.broadcasterCount = 0;
    this.broadcastEdgeCount = 0;
    for (let i = 0; i < count; i++) {
      const sender = this.broadcasters[i];
      this.broadcasting[sender] = 0;
      this.sendToAll(targets, offsets[sender], offsets[sender + 1], this.broadcastValues[sender] as M);
    }
  }

  /** Groups the broadcasts by receiver straight from the in-edges: one sequential pass. */
  private pullBroadcasts(): void {
    const { offsets, sources } = this.csr!.inEdges();
    if (this.grouped.length < this.broadcastEdgeCount)
      this.grouped = new Float64Array(this.broadcastEdgeCount);
    const { grouped, counts, ends, list, broadcasting, broadcastValues } = this;
    let position = 0;
    let receivers = 0;
    for (let v = 0; v < this.vertexCount; v++) {
      const first = position;
      const end = offsets[v + 1];
      for (let e = offsets[v]; e < end; e++) {
        const u = sources[e];
        if (broadcasting[u] === 1) grouped[position++] = broadcastValues[u];
      }
      if (position > first) {
        counts[v] = position - first;
        ends[v] = position;
        list[receivers++] = v;
      }
    }
    this.receiverCount = receivers;
    this.isGrouped = true;
  }

  /** Replays the typed messages into a GeneralInbox, which takes over. */
  private moveToGeneral(): void {
    this.deliverBroadcasts();
    const general = new GeneralInbox<M>(this.vertexCount);
    for (let i = 0; i < this.length; i++) general.send(this.targets[i], this.messages[i] as M);
    this.clear();
    this.general = general;
  }
}
