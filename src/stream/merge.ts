/**
 * Merging the events of several inputs (union and connect): records pass as they come, each
 * batch marked with the input it came from; the watermark is the minimum of the inputs'
 * watermarks (an input that ended counts as +Infinity); checkpoint barriers are aligned: an
 * input that delivered barrier n is not read again until every input has delivered it, so that
 * the state that follows the barrier reflects exactly the records before it on every input.
 * Inputs from different sources bring different barrier objects of one checkpoint: they are
 * joined into one, which holds every source's position.
 */
import { EddyError } from '../core/errors.js';
import { type Barrier, joinBarrier, type StreamEvent } from './events.js';
import type { InputEvent } from './keyed.js';

export async function* mergeInputs(
  inputs: readonly AsyncIterable<StreamEvent<unknown>>[],
): AsyncIterable<InputEvent> {
  const iterators = inputs.map((input) => input[Symbol.asyncIterator]());
  const count = iterators.length;
  const pending: (Promise<{ input: number; result: IteratorResult<StreamEvent<unknown>> }> | undefined)[] =
    new Array(count).fill(undefined);
  const watermarks = new Array<number>(count).fill(Number.NEGATIVE_INFINITY);
  const ended = new Array<boolean>(count).fill(false);
  const blocked: (Barrier | undefined)[] = new Array(count).fill(undefined);
  let watermark = Number.NEGATIVE_INFINITY;

  /** The watermark when the minimum over the inputs rose, else undefined. */
  const advanced = (): InputEvent | undefined => {
    const low = Math.min(...watermarks);
    if (low <= watermark) return undefined;
    watermark = low;
    return { kind: 'watermark', time: low };
  };
  /** The barrier once every input still running delivered it, else undefined. */
  const aligned = (): InputEvent | undefined => {
    let barrier: Barrier | undefined;
    for (let i = 0; i < count; i++) {
      if (ended[i]) continue;
      if (!blocked[i]) return undefined;
      barrier ??= blocked[i];
      if (blocked[i]!.id !== barrier!.id) {
        // Every source emits every checkpoint's barrier in order (see JobContext.afterBatch).
        throw new EddyError(
          `union/connect: checkpoint barriers ${barrier!.id} and ${blocked[i]!.id} met; barriers must come in the same order on every input`,
        );
      }
    }
    if (!barrier) return undefined;
    for (let i = 0; i < count; i++) if (!ended[i]) joinBarrier(barrier, blocked[i]!);
    blocked.fill(undefined);
    return { kind: 'barrier', barrier };
  };

  try {
    while (ended.includes(false)) {
      for (let i = 0; i < count; i++) {
        if (!ended[i] && !blocked[i] && !pending[i]) {
          pending[i] = iterators[i].next().then((result) => ({ input: i, result }));
        }
      }
      const { input, result } = await Promise.race(pending.filter((p) => p !== undefined));
      pending[input] = undefined;
      let event: InputEvent | undefined;
      if (result.done) {
        ended[input] = true;
        watermarks[input] = Number.POSITIVE_INFINITY;
        event = aligned();
        if (event) yield event;
        event = advanced();
      } else if (result.value.kind === 'records') event = { ...result.value, input };
      else if (result.value.kind === 'watermark') {
        watermarks[input] = Math.max(watermarks[input], result.value.time);
        event = advanced();
      } else {
        blocked[input] = result.value.barrier;
        event = aligned();
      }
      if (event) yield event;
    }
  } finally {
    // Stopped early (an error downstream): the inputs stop too.
    for (let i = 0; i < count; i++) if (!ended[i]) iterators[i].return?.().catch(() => {});
  }
}
