/**
 * `eddy logistic-regression train --stream nats://...` and `eddy standard-scaler train --stream
 * nats://...`: worker processes of one group on a real server, as `eddy kmeans --stream` in
 * cli.test.ts (whose crash test covers the exactly-once machinery the three commands share).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnlineLogisticRegression } from '../../algorithms/ml/online-logistic-regression.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import { readSharedModel } from '../../src/ml/shared-fit.js';
import { natsJetStream } from '../../src/stream/nats/client.js';
import { ensureStream } from '../../src/stream/nats/index.js';
import { ended } from '../helpers/crash.js';
import { useEddyProcesses } from './eddy-processes.js';
import { clusteredPoints, publishPoints } from './points.js';
import { useNatsServer } from './servers.js';

const server = useNatsServer();
const folder = mkdtempSync(join(tmpdir(), 'eddy-nats-online-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const eddyProcess = useEddyProcesses();
const eddy = (command: string, args: string[]) => eddyProcess([command, 'train', ...args]);

/** `n` records `[x1, x2, x3, y]`, y from a noisy linear rule. */
function labelledRecords(n: number, seed: number) {
  const rng = random(seed);
  const d = 4;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const x = [rng.normal(), rng.normal(), rng.normal()];
    data.set(x, i * d);
    data[i * d + 3] = 2 * x[0] - x[1] + 0.5 * rng.normal() > 0 ? 1 : 0;
  }
  return { data, n, d };
}

describe('online estimators on NATS from the command line', () => {
  it("logistic-regression --stream: one worker's shared model is one estimator fed the stream's batches in order", async () => {
    const records = labelledRecords(5000, 31);
    await publishPoints(server.connection, 'clicks', records, 250);
    const model = join(folder, 'logistic.json');
    const run = await ended(
      eddy('logistic-regression', [
        '--stream',
        `${server.nats.urls[0]}/clicks`,
        '--group',
        'lr',
        '--batch-size',
        '500',
        '--alpha',
        '0.5',
        '--idle-timeout',
        '1000',
        '--model',
        model,
      ]),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('this worker counted 5000 records');
    const saved = JSON.parse(readFileSync(model, 'utf8'));
    expect(saved.type).toBe('logistic-regression');
    expect(saved.recordsSeen).toBe(5000);
    const reference = new OnlineLogisticRegression({ alpha: 0.5 });
    for (let start = 0; start < records.n; start += 500) {
      const rows = records.data.subarray(start * 4, (start + 500) * 4);
      const features = new DenseMatrix(500, 3);
      const labels = new Float64Array(500);
      for (let i = 0; i < 500; i++) {
        features.data.set(rows.subarray(i * 4, i * 4 + 3), i * 3);
        labels[i] = rows[i * 4 + 3];
      }
      reference.partialFit(features, labels);
    }
    expect(saved.coefficients).toEqual(reference.toJSON().coefficients);
    expect(saved.intercept).toBe(reference.toJSON().intercept);
    // The rule's signs are learnt.
    expect(saved.coefficients[0]).toBeGreaterThan(0.5);
    expect(saved.coefficients[1]).toBeLessThan(-0.2);
  });

  it('standard-scaler --stream: two workers split the stream; the shared statistics count every point once', async () => {
    const points = clusteredPoints(20_000, 4, 5, 7);
    await publishPoints(server.connection, 'scale', points, 200);
    const args = [
      '--stream',
      `${server.nats.urls[0]}/scale`,
      '--group',
      'scalers',
      '--batch-size',
      '1000',
      '--idle-timeout',
      '1500',
    ];
    const runs = await Promise.all([
      ended(eddy('standard-scaler', args)),
      ended(eddy('standard-scaler', args)),
    ]);
    let counted = 0;
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).type).toBe('standard-scaler');
      counted += Number(/this worker counted (\d+) points/.exec(run.stderr)![1]);
    }
    expect(counted).toBe(points.n);
    const state = await readSharedModel(server.connection, { bucket: 'eddy-models', key: 'scalers' });
    const scaler = state!.model as { count: number; mean: number[]; m2: number[] };
    expect(scaler.count).toBe(points.n);
    for (let j = 0; j < points.d; j++) {
      let sum = 0;
      for (let i = 0; i < points.n; i++) sum += points.data[i * points.d + j];
      const mean = sum / points.n;
      let squares = 0;
      for (let i = 0; i < points.n; i++) squares += (points.data[i * points.d + j] - mean) ** 2;
      expect(scaler.mean[j]).toBeCloseTo(mean, 9);
      expect(scaler.m2[j] / squares).toBeCloseTo(1, 9);
    }
  });

  it('stops at a label that is not 0 or 1, naming its stream sequence; --skip-invalid counts and reports it', async () => {
    await ensureStream(server.connection, 'labels');
    const js = natsJetStream().jetstream(server.connection);
    await js.publish('labels', '[1,2,1]\n[3,4,0]\n');
    await js.publish('labels', '[1,2,0]\n[3,4,2]\n');
    const args = ['--stream', `${server.nats.urls[0]}/labels`, '--group', 'labels', '--idle-timeout', '1000'];
    const stopped = await ended(eddy('logistic-regression', [...args, '--ack-wait', '1000']));
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(
      /labels \(stream EDDY_labels, sequence 2\): label 2 in point 2 of the message/,
    );
    const skipping = await ended(eddy('logistic-regression', [...args, '--skip-invalid']));
    expect(skipping.code, skipping.stderr).toBe(0);
    expect(skipping.stderr).toContain('eddy logistic-regression: skipped 1 invalid record');
    expect(JSON.parse(skipping.stdout).recordsSeen).toBe(3);
  });

  it('refuses options of the other mode, a file with --stream, a scaler without --stream and a worker without --group (exit 2)', async () => {
    const url = `${server.nats.urls[0]}/clicks`;
    const cases: [string, string[], RegExp][] = [
      [
        'logistic-regression',
        ['--stream', 'data.csv', '--group', 'g'],
        /--stream trains on a NATS JetStream subject/,
      ],
      [
        'logistic-regression',
        ['--stream', url, '--group', 'g', '--label', 'y'],
        /--label does not apply with --stream/,
      ],
      [
        'logistic-regression',
        ['--stream', url, '--group', 'g', '--reg', 'auto'],
        /--reg auto applies to the batch fit/,
      ],
      [
        'logistic-regression',
        ['data.csv', '--label', 'y', '--model', 'm.json', '--alpha', '0.5'],
        /--alpha applies to stream mode only/,
      ],
      ['logistic-regression', ['--stream', url], /--group is required/],
      ['standard-scaler', [url, '--group', 'g'], /add --stream/],
    ];
    for (const [command, args, message] of cases) {
      const run = await ended(eddy(command, args));
      expect(run.code, `${command} ${args.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
