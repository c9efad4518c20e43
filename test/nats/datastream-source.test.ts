/**
 * A JetStream consumer as a DataStream source: without checkpoints it acknowledges each batch
 * once handed on; with checkpoints it acknowledges at each checkpoint and a job SIGKILLed at
 * random moments (while two other processes load both cores) and resumed counts every record
 * once, in its keyed state and in its exactly-once file output.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataStream } from '../../src/stream/datastream.js';
import { natsJetStream, retrying } from '../../src/stream/nats/client.js';
import { ensureStream, JetStreamSource, jetStreamSource } from '../../src/stream/nats/index.js';
import { killAndResume, withBusyCores } from '../helpers/crash.js';
import { useNatsServer } from './servers.js';

const server = useNatsServer();
const folder = mkdtempSync(join(tmpdir(), 'eddy-nats-datastream-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Publishes records `{id, key, n: 1}` for ids 0..n-1 as NDJSON messages of `perMessage` records. */
async function publishRecords(subject: string, n: number, perMessage: number, keys: number): Promise<number> {
  await ensureStream(server.connection, subject);
  const js = natsJetStream().jetstream(server.connection);
  let messages = 0;
  const pending: Promise<unknown>[] = [];
  for (let start = 0; start < n; start += perMessage) {
    let text = '';
    for (let id = start; id < Math.min(n, start + perMessage); id++)
      text += `${JSON.stringify({ id, key: `k${id % keys}`, n: 1 })}\n`;
    const msgID = `${subject}-${messages++}`;
    pending.push(retrying(() => js.publish(subject, text, { msgID })));
    if (pending.length >= 32) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return messages;
}

describe('jetStreamSource (a DataStream source)', () => {
  it('reads every record of the consumer in order and, without checkpoints, acknowledges them', async () => {
    const messages = await publishRecords('records', 300, 7, 3);
    const options = { subject: 'records', group: 'plain', idleTimeoutMs: 500 };
    const records = await DataStream.from(jetStreamSource<{ id: number }>(server.connection, options))
      .map((record) => record.id)
      .collect();
    expect(records).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const consumer = await JetStreamSource.open(server.connection, options);
    expect(await consumer.ackFloor()).toBe(messages);
  });

  it('names the stream sequence of a line that is not JSON; skipInvalid skips it', async () => {
    await ensureStream(server.connection, 'broken');
    const js = natsJetStream().jetstream(server.connection);
    await js.publish('broken', '{"id":1}\n');
    await js.publish('broken', '{"id":2}\n{"id":\n{"id":3}\n');
    const options = { subject: 'broken', group: 'strict', idleTimeoutMs: 500, ackWaitMs: 1000 };
    const error = await DataStream.from(jetStreamSource(server.connection, options))
      .collect()
      .catch((e) => e);
    expect(error.message).toMatch(/broken \(stream EDDY_broken, sequence 2\):2.*bad JSON/);
    const skipped: string[] = [];
    const records = await DataStream.from(
      jetStreamSource(server.connection, {
        ...options,
        idleTimeoutMs: 2000,
        skipInvalid: true,
        onInvalid: (e) => skipped.push(e.message),
      }),
    ).collect();
    // The first message was acknowledged by the first job: the second job reads the second only.
    expect(records).toEqual([{ id: 2 }, { id: 3 }]);
    expect(skipped).toHaveLength(1);
  });

  it('a checkpointed job SIGKILLed at random moments and resumed: every record once, in state and output', {
    timeout: 180_000,
  }, async () => {
    expect(existsSync('dist/src/index.js'), 'dist/ is missing: run npm run build').toBe(true);
    const n = 5000;
    const keys = 4;
    const messages = await publishRecords('counted', n, 5, keys);
    const checkpoints = join(folder, 'checkpoints');
    const output = join(folder, 'counted.ndjson');
    const start = (resume: boolean) =>
      spawn(
        process.execPath,
        [
          'test/nats/datastream-worker.mjs',
          server.nats.urls[0],
          'counted',
          'job',
          checkpoints,
          output,
          ...(resume ? ['resume'] : []),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
    const { killed, last } = await withBusyCores(() =>
      killAndResume({ start, checkpoints, kills: 3, seed: 5, maxCheckpoints: 4, maxDelayMs: 50 }),
    );
    expect(last.code, last.stderr).toBe(0);
    expect(killed).toBeGreaterThan(0);
    const lines = readFileSync(output, 'utf8').trimEnd().split('\n');
    const records = lines.map((line) => JSON.parse(line) as { id: number; key: string; n: number });
    // Every record once in the output...
    expect(records.map((r) => r.id).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    // ...and once in the keyed state: each key's running counts are 1, 2, ... its records.
    for (let k = 0; k < keys; k++) {
      const counts = records.filter((r) => r.key === `k${k}`).map((r) => r.n);
      expect(counts).toEqual(Array.from({ length: n / keys }, (_, i) => i + 1));
    }
    const consumer = await JetStreamSource.open(server.connection, { subject: 'counted', group: 'job' });
    expect(await consumer.ackFloor()).toBe(messages);
  });
});
