/**
 * Faults in a three-server cluster: the stream and the model bucket replicated three times, a
 * worker process fitting while a producer publishes, and the server that leads the stream
 * killed mid-stream and started again. Nothing is lost, nothing counted twice, the job goes on.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readSharedModel } from '../../src/ml/shared-fit.js';
import { natsJetStream, retrying } from '../../src/stream/nats/client.js';
import {
  connectNats,
  ensureStream,
  JetStreamSource,
  type NatsConnection,
} from '../../src/stream/nats/index.js';
import { ended } from '../helpers/crash.js';
import { clusteredPoints, expectModelOfOneWorker, initialModel } from './points.js';
import { type NatsServers, startNats } from './servers.js';

let nats: NatsServers;
let connection: NatsConnection;
const folder = mkdtempSync(join(tmpdir(), 'eddy-nats-cluster-'));

beforeAll(async () => {
  nats = await startNats(3);
  connection = await connectNats({ servers: nats.urls });
});

afterAll(async () => {
  await connection?.close();
  await nats?.stop();
  rmSync(folder, { recursive: true, force: true });
});

it('stopping the stream leader mid-stream and starting it again loses no record and duplicates none', {
  timeout: 240_000,
}, async () => {
  const n = 40_000;
  const perMessage = 200;
  const points = clusteredPoints(n, 8, 16, 30);
  const stream = await retrying(() => ensureStream(connection, 'cpoints', { replicas: 3 }), {
    attempts: 120,
  });
  const init = join(folder, 'init.json');
  writeFileSync(init, JSON.stringify(initialModel(points.centres)));
  const address = `nats://${nats.urls.map((url) => url.slice('nats://'.length)).join(',')}`;
  const worker: ChildProcess = spawn(
    process.execPath,
    [
      'dist/src/cli/bin.js',
      'kmeans',
      '--stream',
      `${address}/cpoints`,
      '--k',
      '8',
      '--group',
      'cworkers',
      '--replicas',
      '3',
      '--initial-model',
      init,
      '--batch-size',
      '2000',
      '--ack-wait',
      '4000',
      '--idle-timeout',
      '15000',
      '--output',
      `${address}/cassignments`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const workerEnd = ended(worker);

  // The producer publishes with message ids, retrying through the failover: each message is
  // stored once. Mid-stream the stream's leader is killed, and started again two seconds later.
  const js = natsJetStream().jetstream(connection);
  const jsm = await natsJetStream().jetstreamManager(connection);
  const messages = n / perMessage;
  let restarted: Promise<void> | undefined;
  for (let m = 0; m < messages; m++) {
    let text = '';
    for (let i = m * perMessage; i < (m + 1) * perMessage; i++) {
      text += `[${points.data.subarray(i * 16, (i + 1) * 16).join(',')}]\n`;
    }
    await retrying(() => js.publish('cpoints', text, { msgID: `p-${m}` }), { attempts: 200 });
    if (m === Math.floor(messages / 3)) {
      const info = await retrying(() => jsm.streams.info(stream));
      const leader = nats.servers[Number(info.cluster!.leader!.replace('eddy-', ''))];
      await leader.stop();
      restarted = new Promise((resolve) => setTimeout(resolve, 2000)).then(() => leader.start());
    }
    if (m % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await restarted;
  const result = await workerEnd;
  expect(result.code, result.stderr).toBe(0);

  const info = await retrying(() => jsm.streams.info(stream));
  expect(info.state.messages).toBe(messages);
  const state = await retrying(() => readSharedModel(connection, { bucket: 'eddy-models', key: 'cworkers' }));
  expectModelOfOneWorker(state!.model, points);
  const output = await JetStreamSource.open(connection, { subject: 'cassignments', group: 'check' });
  let outputMessages = 0;
  let lines = 0;
  for await (const message of output.messages({ idleTimeoutMs: 2000 })) {
    if (message === null) continue;
    outputMessages++;
    lines += new TextDecoder().decode(message.data).trimEnd().split('\n').length;
    message.ack();
  }
  expect(outputMessages).toBe(messages);
  expect(lines).toBe(n);
});
