import { describe, expect, it } from 'vitest';
import { arrow } from '../../src/core/arrow-module.js';
import { InputError } from '../../src/core/errors.js';
import { natsJetStream } from '../../src/stream/nats/client.js';
import {
  connectNats,
  type JetStreamMessage,
  JetStreamSource,
  jetStreamSink,
  PointRows,
  parsePointsPayload,
} from '../../src/stream/nats/index.js';
import { freePort, useNatsServer } from './servers.js';

const server = useNatsServer();

async function take(source: JetStreamSource, idleMs: number, ack: boolean): Promise<JetStreamMessage[]> {
  const taken: JetStreamMessage[] = [];
  for await (const message of source.messages({ idleTimeoutMs: idleMs })) {
    if (message === null) continue;
    taken.push(message);
    if (ack) message.ack();
  }
  return taken;
}

describe('NATS connection', () => {
  it('names the URL of a server that cannot be reached', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const error = await connectNats({ servers: url, timeout: 1000 }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(url);
  });
});

describe('JetStream source', () => {
  it('reads NDJSON, JSON-array and Arrow IPC payloads, a batch per message, with their stream sequences', async () => {
    const js = natsJetStream().jetstream(server.connection);
    const source = await JetStreamSource.open(server.connection, { subject: 'formats', group: 'reader' });
    const table = arrow().tableFromArrays({ x: Float64Array.of(5, 7), y: Float64Array.of(6, 8) });
    const arrowBytes = arrow().tableToIPC(table, 'stream');
    await js.publish('formats', '[1,2]\n\n[3, 4]\n');
    await js.publish('formats', '[[9,10],[11,12]]');
    await js.publish('formats', arrowBytes);
    const messages = await take(source, 500, true);
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    const rows = new PointRows();
    const counts = messages.map((m) =>
      parsePointsPayload(m.data, `formats#${m.seq}`, rows, (error) => {
        throw error;
      }),
    );
    expect(counts).toEqual([2, 2, 2]);
    expect(Array.from(rows.data.subarray(0, rows.rows * rows.dimension))).toEqual([
      1, 2, 3, 4, 9, 10, 11, 12, 5, 6, 7, 8,
    ]);
    // All were acknowledged: nothing comes again.
    expect(await take(source, 300, true)).toEqual([]);
  });

  it('redelivers what was taken and not acknowledged, with the same stream sequence', async () => {
    const js = natsJetStream().jetstream(server.connection);
    const source = await JetStreamSource.open(server.connection, {
      subject: 'redeliver',
      group: 'slow',
      ackWaitMs: 400,
    });
    for (let i = 0; i < 3; i++) await js.publish('redeliver', `[${i}]`);
    const first = await take(source, 300, false);
    expect(first.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(first.every((m) => !m.redelivered)).toBe(true);
    const again = await take(source, 1500, true);
    expect(again.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(again.every((m) => m.redelivered)).toBe(true);
    expect(await source.ackFloor()).toBe(3);
  });

  it('splits the messages between two workers of one group: each message once', async () => {
    const js = natsJetStream().jetstream(server.connection);
    const options = { subject: 'split', group: 'workers', pullAhead: 4 };
    const [a, b] = await Promise.all([
      JetStreamSource.open(server.connection, options),
      JetStreamSource.open(server.connection, options),
    ]);
    for (let i = 0; i < 200; i++) await js.publish('split', `[${i}]`);
    const [fromA, fromB] = await Promise.all([take(a, 500, true), take(b, 500, true)]);
    expect(fromA.length).toBeGreaterThan(0);
    expect(fromB.length).toBeGreaterThan(0);
    const seqs = [...fromA, ...fromB].map((m) => m.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });
});

describe('JetStream sink', () => {
  it('stores a record published again after a resume once (message ids from job and position)', async () => {
    const sink = jetStreamSink<{ i: number }>(server.connection, { subject: 'sunk', job: 'job-1' });
    await sink.open(undefined);
    await sink.write([{ i: 0 }, { i: 1 }]);
    const committed = await sink.commit();
    await sink.write([{ i: 2 }, { i: 3 }]);
    // A crash after records 2 and 3 were published: the resumed job writes them again.
    const resumed = jetStreamSink<{ i: number }>(server.connection, { subject: 'sunk', job: 'job-1' });
    await resumed.open(committed);
    await resumed.write([{ i: 2 }, { i: 3 }, { i: 4 }]);
    await resumed.close();
    const source = await JetStreamSource.open(server.connection, { subject: 'sunk', group: 'check' });
    const messages = await take(source, 500, true);
    expect(messages.map((m) => JSON.parse(new TextDecoder().decode(m.data)).i)).toEqual([0, 1, 2, 3, 4]);
  });
});
