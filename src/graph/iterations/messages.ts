/**
 * Message buffers of the iteration models. With a sum/min/max combiner and numeric messages,
 * messages are combined on arrival into one `Float64Array` slot per vertex (no allocation per
 * message); otherwise each receiver keeps a list (or a combined value when a combiner
 * function is given). Receivers are always visited in ascending id order, and messages are
 * combined in the order they were sent, so both buffers give bit-identical results.
 */
import type { Combiner } from './options.js';

/** The messages of one vertex, iterable with `for...of` without allocating (Gelly's MessageIterator). */
export class MessageIterator<M> implements Iterable<M>, Iterator<M> {
  private items: ArrayLike<M> | undefined;
  private single: M | undefined;
  private first = 0;
  private count = 0;
  private index = 0;
  private readonly result = { value: undefined as M, done: false };

  /** Number of messages. */
  get size(): number {
    return this.count;
  }

  /** Whether another message follows (Gelly's hasNext). */
  hasNext(): boolean {
    return this.index < this.count;
  }

  [Symbol.iterator](): Iterator<M> {
    this.index = 0;
    return this;
  }

  next(): IteratorResult<M> {
    const result = this.result as { value: M; done: boolean };
    if (this.index < this.count) {
      result.value = this.items === undefined ? (this.single as M) : this.items[this.first + this.index];
      result.done = false;
      this.index++;
    } else {
      result.value = undefined as M;
      result.done = true;
    }
    return result as IteratorResult<M>;
  }

  /** The messages as a new array. */
  toArray(): M[] {
    if (this.items === undefined) return this.count === 0 ? [] : [this.single as M];
    return Array.from({ length: this.count }, (_, i) => this.items![this.first + i]);
  }

  /**
   * Copies the messages into `target` from position 0 (a typed array the caller reuses, large
   * enough for them) and returns their number: a loop without the iterator protocol, for
   * vertex functions that sort or scan their messages.
   */
  copyInto(target: { [index: number]: M }): number {
    const count = this.count;
    const items = this.items;
    if (items === undefined) {
      if (count === 1) target[0] = this.single as M;
      return count;
    }
    const first = this.first;
    for (let i = 0; i < count; i++) target[i] = items[first + i];
    return count;
  }

  /** Points the iterator at no messages. */
  setEmpty(): void {
    this.items = undefined;
    this.count = 0;
    this.index = 0;
  }

  /** Points the iterator at one (combined) message. */
  setSingle(message: M): void {
    this.items = undefined;
    this.single = message;
    this.count = 1;
    this.index = 0;
  }

  /** Points the iterator at a list of messages. */
  setList(messages: readonly M[]): void {
    this.setRange(messages, 0, messages.length);
  }

  /** Points the iterator at `count` messages of `messages` from position `first` (no copy). */
  setRange(messages: ArrayLike<M>, first: number, count: number): void {
    this.items = messages;
    this.first = first;
    this.count = count;
    this.index = 0;
  }
}

/** Messages sent during one superstep, to be read in the next. */
export interface Inbox<M> {
  /** Number of vertices with at least one message. */
  readonly count: number;
  send(target: number, message: M): void;
  /** The receiving vertices, ascending. */
  receivers(): Int32Array;
  /** Points `iterator` at the messages of `target`. */
  load(target: number, iterator: MessageIterator<M>): void;
  /** The one combined message of `target` (buffers with a combiner only). */
  combinedValue(target: number): M;
  clear(): void;
  /** Receivers and their messages, for checkpoints. */
  snapshot(): { receivers: Int32Array; messages: unknown };
  restore(snapshot: { receivers: Int32Array; messages: unknown }): void;
}

const SUM = 0;
const MIN = 1;
const MAX = 2;

/** The sorted receiver list: a sort when few vertices received, a scan of the flags when many. */
function sortedReceivers(list: Int32Array, count: number, flags: Uint8Array): Int32Array {
  const receivers = list.subarray(0, count);
  if (count * 8 < flags.length) return receivers.sort();
  let k = 0;
  for (let v = 0; v < flags.length; v++) if (flags[v] !== 0) list[k++] = v;
  return receivers;
}

/** Numeric messages combined on arrival by sum, min or max into a `Float64Array`. */
export class TypedInbox implements Inbox<number> {
  private readonly values: Float64Array;
  private readonly flags: Uint8Array;
  private readonly list: Int32Array;
  private readonly kind: number;
  count = 0;

  constructor(vertexCount: number, combiner: 'sum' | 'min' | 'max') {
    this.values = new Float64Array(vertexCount);
    this.flags = new Uint8Array(vertexCount);
    this.list = new Int32Array(vertexCount);
    this.kind = combiner === 'sum' ? SUM : combiner === 'min' ? MIN : MAX;
  }

  send(target: number, message: number): void {
    const values = this.values;
    if (this.flags[target] === 0) {
      this.flags[target] = 1;
      values[target] = message;
      this.list[this.count++] = target;
    } else if (this.kind === SUM) {
      values[target] += message;
    } else if (this.kind === MIN) {
      if (message < values[target]) values[target] = message;
    } else if (message > values[target]) {
      values[target] = message;
    }
  }

  /**
   * Sends `message` to every target in `targets[start, end)`: the inner loop of
   * sendMessageToAllNeighbors, kept here so it is one monomorphic typed loop.
   */
  sendToAll(targets: Int32Array, start: number, end: number, message: number): void {
    const values = this.values;
    const flags = this.flags;
    const list = this.list;
    const kind = this.kind;
    let count = this.count;
    for (let e = start; e < end; e++) {
      const target = targets[e];
      if (flags[target] === 0) {
        flags[target] = 1;
        values[target] = message;
        list[count++] = target;
      } else if (kind === SUM) {
        values[target] += message;
      } else if (kind === MIN) {
        if (message < values[target]) values[target] = message;
      } else if (message > values[target]) {
        values[target] = message;
      }
    }
    this.count = count;
  }

  receivers(): Int32Array {
    return sortedReceivers(this.list, this.count, this.flags);
  }

  combinedValue(target: number): number {
    return this.values[target];
  }

  load(target: number, iterator: MessageIterator<number>): void {
    iterator.setSingle(this.values[target]);
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) this.flags[this.list[i]] = 0;
    this.count = 0;
  }

  snapshot(): { receivers: Int32Array; messages: Float64Array } {
    const receivers = this.receivers().slice();
    return { receivers, messages: Float64Array.from(receivers, (v) => this.values[v]) };
  }

  restore(snapshot: { receivers: Int32Array; messages: unknown }): void {
    this.clear();
    const messages = snapshot.messages as Float64Array;
    snapshot.receivers.forEach((v, i) => {
      this.send(v, messages[i]);
    });
  }
}

/** Messages of any type: a list per receiver, or one value combined by a function. */
export class GeneralInbox<M> implements Inbox<M> {
  private readonly slots: (M | M[] | undefined)[];
  private readonly flags: Uint8Array;
  private readonly list: Int32Array;
  private readonly combine: ((a: M, b: M) => M) | undefined;
  count = 0;

  constructor(vertexCount: number, combine?: (a: M, b: M) => M) {
    this.slots = new Array(vertexCount);
    this.flags = new Uint8Array(vertexCount);
    this.list = new Int32Array(vertexCount);
    this.combine = combine;
  }

  send(target: number, message: M): void {
    if (this.flags[target] === 0) {
      this.flags[target] = 1;
      this.slots[target] = this.combine === undefined ? [message] : message;
      this.list[this.count++] = target;
    } else if (this.combine === undefined) {
      (this.slots[target] as M[]).push(message);
    } else {
      this.slots[target] = this.combine(this.slots[target] as M, message);
    }
  }

  receivers(): Int32Array {
    return sortedReceivers(this.list, this.count, this.flags);
  }

  combinedValue(target: number): M {
    if (this.combine === undefined) throw new Error('combinedValue needs a combiner');
    return this.slots[target] as M;
  }

  load(target: number, iterator: MessageIterator<M>): void {
    if (this.combine === undefined) iterator.setList(this.slots[target] as M[]);
    else iterator.setSingle(this.slots[target] as M);
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) {
      this.flags[this.list[i]] = 0;
      this.slots[this.list[i]] = undefined;
    }
    this.count = 0;
  }

  snapshot(): { receivers: Int32Array; messages: unknown[] } {
    const receivers = this.receivers().slice();
    return { receivers, messages: Array.from(receivers, (v) => this.slots[v]) };
  }

  restore(snapshot: { receivers: Int32Array; messages: unknown }): void {
    this.clear();
    const messages = snapshot.messages as (M | M[])[];
    snapshot.receivers.forEach((v, i) => {
      this.flags[v] = 1;
      this.slots[v] = messages[i];
      this.list[this.count++] = v;
    });
  }
}

/** Whether a combiner runs on typed buffers. */
export function isTypedCombiner<M>(combiner: Combiner<M> | undefined): combiner is 'sum' | 'min' | 'max' {
  return combiner === 'sum' || combiner === 'min' || combiner === 'max';
}
