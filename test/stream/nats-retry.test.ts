/**
 * How NATS operations ride out a failover (no server needed): transient failures are retried
 * for a bounded time in all, however long each attempt takes, and then reported; other
 * failures are not retried.
 */
import { describe, expect, it } from 'vitest';
import { NatsUnavailableError, pauseAfterFailure, retrying } from '../../src/stream/nats/client.js';

const transient = () => new Error('insufficient resources');

describe('retrying', () => {
  it('returns what a later attempt gives after transient failures', async () => {
    let calls = 0;
    const value = await retrying(
      async () => {
        calls++;
        if (calls < 3) throw new Error('TimeoutError: timeout');
        return 42;
      },
      { delayMs: 1 },
    );
    expect(value).toBe(42);
    expect(calls).toBe(3);
  });

  it('rethrows a failure a failover does not clear at once, without retrying', async () => {
    let calls = 0;
    const error = new Error('wrong last sequence: 7');
    await expect(
      retrying(
        async () => {
          calls++;
          throw error;
        },
        { delayMs: 1 },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('gives up after the deadline, counting the time each attempt waited, and names the last failure', async () => {
    let calls = 0;
    const started = Date.now();
    const failure = retrying(
      async () => {
        calls++;
        // An attempt that waits long before failing, as a request to an unresponsive server does.
        await new Promise((resolve) => setTimeout(resolve, 40));
        throw transient();
      },
      { delayMs: 1, deadlineMs: 100 },
    );
    await expect(failure).rejects.toBeInstanceOf(NatsUnavailableError);
    await expect(failure).rejects.toThrow(/NATS kept failing for \d+\.\d s \(insufficient resources\)/);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(4);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up after the attempts when they run out first', async () => {
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls++;
          throw transient();
        },
        { attempts: 5, delayMs: 1 },
      ),
    ).rejects.toBeInstanceOf(NatsUnavailableError);
    expect(calls).toBe(5);
  });
});

describe('pauseAfterFailure', () => {
  it('pauses within the deadline and throws past it', async () => {
    const now = Date.now();
    await expect(
      pauseAfterFailure(transient(), { since: now, attempt: 1 }, { delayMs: 1 }),
    ).resolves.toBeUndefined();
    const late = pauseAfterFailure(transient(), { since: now - 61_000, attempt: 1 }, { delayMs: 1 });
    await expect(late).rejects.toBeInstanceOf(NatsUnavailableError);
    const error = new Error('bad request');
    await expect(pauseAfterFailure(error, { since: now, attempt: 1 })).rejects.toBe(error);
  });
});
