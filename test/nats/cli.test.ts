/**
 * `eddy kmeans --stream nats://...`: worker processes of one group on a real server. The crash
 * test runs two workers while two other processes load both cores, SIGKILLs one when the shared
 * model has counted a random share of the stream, and starts it again. The stream's size is
 * EDDY_NATS_POINTS (default 100,000; the 1,000,000 was run by hand, see the README).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnlineKMeansModel } from '../../algorithms/ml/kmeans/online.js';
import { random } from '../../src/core/random.js';
import { readSharedModel } from '../../src/ml/shared-fit.js';
import { JetStreamSource } from '../../src/stream/nats/index.js';
import { ended, withBusyCores } from '../helpers/crash.js';
import { useEddyProcesses } from './eddy-processes.js';
import { clusteredPoints, expectModelOfOneWorker, initialModel, publishPoints } from './points.js';
import { freePort, useNatsServer } from './servers.js';

const server = useNatsServer();
const folder = mkdtempSync(join(tmpdir(), 'eddy-nats-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const eddyProcess = useEddyProcesses();
const eddy = (args: string[]) => eddyProcess(['kmeans', '--stream', ...args]);

async function messagesOn(subject: string, group: string) {
  const source = await JetStreamSource.open(server.connection, { subject, group });
  const texts: { seq: number; text: string }[] = [];
  for await (const message of source.messages({ idleTimeoutMs: 1000 })) {
    if (message === null) continue;
    texts.push({ seq: message.seq, text: new TextDecoder().decode(message.data) });
    message.ack();
  }
  return texts;
}

const n = Number(process.env.EDDY_NATS_POINTS ?? 100_000);

describe('eddy kmeans --stream nats://', () => {
  it('two workers, one SIGKILLed mid-stream and restarted: every point counted once, the centroids of one worker', {
    timeout: Math.max(120_000, n * 0.6),
  }, async () => {
    const points = clusteredPoints(n, 8, 16, 20);
    const messages = await publishPoints(server.connection, 'points', points, 500);
    const init = join(folder, 'init.json');
    writeFileSync(init, JSON.stringify(initialModel(points.centres)));
    const url = server.nats.urls[0];
    const args = [
      `${url}/points`,
      '--k',
      '8',
      '--group',
      'workers',
      '--initial-model',
      init,
      '--batch-size',
      '5000',
      '--ack-wait',
      '3000',
      '--idle-timeout',
      '8000',
      '--output',
      `${url}/assignments`,
      '--quiet',
    ];
    const location = { bucket: 'eddy-models', key: 'workers' };
    const rng = random(7);
    const killAt = Math.round(n * rng.uniformIn(0.1, 0.7));
    const [survivor, killed, restarted] = await withBusyCores(async () => {
      const first = eddy(args);
      const second = eddy(args);
      const firstEnd = ended(first);
      const secondEnd = ended(second);
      // Kill the second worker once the shared model has counted `killAt` points.
      for (;;) {
        const state = await readSharedModel(server.connection, location).catch(() => undefined);
        const seen = state?.model ? OnlineKMeansModel.fromJSON(state.model).recordsSeen : 0;
        if (seen >= killAt || second.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      second.kill('SIGKILL');
      const killedEnd = await secondEnd;
      const again = await ended(eddy(args));
      return [await firstEnd, killedEnd, again];
    });
    expect(killed.signal, `the worker had ended before the kill: ${killed.stderr}`).toBe('SIGKILL');
    expect(survivor.code, survivor.stderr).toBe(0);
    expect(restarted.code, restarted.stderr).toBe(0);
    const state = await readSharedModel(server.connection, location);
    expectModelOfOneWorker(state!.model, points);
    // The output: one message per input message, each point once, though batches were
    // published again by the worker that took over from the killed one.
    const output = await messagesOn('assignments', 'check');
    expect(output.length).toBe(messages);
    expect(new Set(output.map((m) => JSON.parse(m.text.split('\n')[0]).seq)).size).toBe(messages);
    const lines = output.flatMap((m) => m.text.trimEnd().split('\n'));
    expect(lines.length).toBe(n);
  });

  it('refuses a NATS input without --group (exit 2), and names the URL of a server it cannot reach (exit 1)', async () => {
    const noGroup = await ended(eddy([`${server.nats.urls[0]}/points`, '--k', '2']));
    expect(noGroup.code).toBe(2);
    expect(noGroup.stderr).toContain('--group is required');
    const checkpoint = await ended(
      eddy([`${server.nats.urls[0]}/points`, '--k', '2', '--group', 'g', '--checkpoint-dir', folder]),
    );
    expect(checkpoint.code).toBe(2);
    const url = `nats://127.0.0.1:${await freePort()}`;
    const unreachable = await ended(eddy([`${url}/points`, '--k', '2', '--group', 'g']));
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(url);
    const natsOnly = await ended(eddy(['points.ndjson', '--k', '2', '--group', 'g']));
    expect(natsOnly.code).toBe(2);
    expect(natsOnly.stderr).toContain('--group applies to a NATS input only');
  });

  it('stops at a bad payload naming its stream sequence; --skip-invalid counts, reports and acknowledges it', async () => {
    const url = server.nats.urls[0];
    const { natsJetStream } = await import('../../src/stream/nats/client.js');
    const { ensureStream } = await import('../../src/stream/nats/index.js');
    await ensureStream(server.connection, 'dirty');
    const js = natsJetStream().jetstream(server.connection);
    await js.publish('dirty', '[1,2]\n[3,4]\n');
    await js.publish('dirty', '[1,2]\n[NaN,4]\n');
    await js.publish('dirty', 'not json');
    const args = [
      `${url}/dirty`,
      '--k',
      '1',
      '--group',
      'dirty',
      '--idle-timeout',
      '1000',
      '--ack-wait',
      '1000',
    ];
    const stopped = await ended(eddy(args));
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/dirty \(stream EDDY_dirty, sequence 2\):2:2: not a finite number/);
    const skipping = await ended(eddy([...args, '--skip-invalid']));
    expect(skipping.code, skipping.stderr).toBe(0);
    expect(skipping.stderr).toContain('skipped 2 invalid records');
    expect(JSON.parse(skipping.stdout).recordsSeen).toBe(3);
  });
});
