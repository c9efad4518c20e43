/**
 * Fan-out within one job: when two streams of a job read the same upstream stream (a main
 * output and its side output, or two branches that are unioned again), the upstream operators
 * run once and each reader gets every event. Readers are pulled concurrently; one that runs
 * ahead of the slowest by more than a few events waits for it, so the buffer stays small.
 */

/** How far (in events) a reader may run ahead of the slowest one before it waits. */
const MAX_LEAD = 32;

/** One upstream iterable shared by the readers created by {@link SharedEvents.reader}. */
export class SharedEvents<E> {
  private readonly events: AsyncIterable<E>;
  private upstream: AsyncIterator<E> | undefined;
  private readonly buffer: IteratorResult<E>[] = [];
  /** Index (in the whole sequence) of buffer[0]. */
  private offset = 0;
  private readonly positions: number[] = [];
  private pulling: Promise<void> | undefined;
  private waiting: (() => void)[] = [];
  /** The error the upstream failed with: every reader gets it, none waits any longer. */
  private failure: { error: unknown } | undefined;

  /**
   * `events` is built when the stream is first read in a job; building a stream builds the
   * streams it reads, so every reader of a job exists before its sinks pull anything.
   */
  constructor(events: AsyncIterable<E>) {
    this.events = events;
  }

  /** A new reader: it sees every event from the start. */
  reader(): AsyncIterable<E> {
    const index = this.positions.push(0) - 1;
    return { [Symbol.asyncIterator]: () => this.iterator(index) };
  }

  private iterator(index: number): AsyncIterator<E> {
    this.upstream ??= this.events[Symbol.asyncIterator]();
    // One reader: no buffering at all.
    if (this.positions.length === 1) return this.upstream;
    return {
      next: () => this.next(index),
      return: async () => {
        // A reader that stops no longer holds the others back.
        this.positions[index] = Number.POSITIVE_INFINITY;
        this.trim();
        return { done: true, value: undefined };
      },
    };
  }

  private async next(index: number): Promise<IteratorResult<E>> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      const position = this.positions[index];
      if (position - this.slowest() >= MAX_LEAD) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      const at = position - this.offset;
      if (at < this.buffer.length) {
        const result = this.buffer[at];
        if (!result.done) this.positions[index] = position + 1;
        this.trim();
        return result;
      }
      this.pulling ??= this.upstream!.next().then(
        (result) => {
          this.buffer.push(result);
          this.pulling = undefined;
        },
        (error) => {
          this.pulling = undefined;
          this.failure = { error };
          this.trim();
        },
      );
      await this.pulling;
    }
  }

  private slowest(): number {
    let slowest = Number.POSITIVE_INFINITY;
    for (const position of this.positions) slowest = Math.min(slowest, position);
    return slowest;
  }

  /** Drops what every reader has seen and wakes readers that waited for the slowest. */
  private trim(): void {
    const slowest = this.slowest();
    const drop = Math.min(slowest - this.offset, this.buffer.length);
    if (drop > 0 && Number.isFinite(slowest)) {
      this.buffer.splice(0, drop);
      this.offset += drop;
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}
