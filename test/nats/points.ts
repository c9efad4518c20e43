/**
 * Points around known centres for the JetStream tests, published as NDJSON messages of a batch
 * each, and the initial model every worker starts from.
 */
import { expect } from 'vitest';
import { OnlineKMeans, OnlineKMeansModel } from '../../algorithms/ml/kmeans/online.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import type { JsonValue } from '../../src/stream/events.js';
import { natsJetStream, retrying } from '../../src/stream/nats/client.js';
import { ensureStream, type NatsConnection } from '../../src/stream/nats/index.js';

/** `n` points of dimension `d` around `k` centres far apart (noise 1, centres ±100), in random order. */
export function clusteredPoints(n: number, k: number, d: number, seed: number) {
  const rng = random(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.uniformIn(-100, 100)));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[rng.integer(0, k)];
    for (let j = 0; j < d; j++) data[i * d + j] = c[j] + rng.normal();
  }
  return { centres, data, n, d };
}

/** Points `start` to `end` (excluded) as NDJSON lines, one message's payload. */
export function ndjsonOf(points: { data: Float64Array; d: number }, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++)
    text += `[${points.data.subarray(i * points.d, (i + 1) * points.d).join(',')}]\n`;
  return text;
}

/** Publishes the points as NDJSON messages of `perMessage` points; returns the number of messages. */
export async function publishPoints(
  connection: NatsConnection,
  subject: string,
  points: { data: Float64Array; n: number; d: number },
  perMessage: number,
): Promise<number> {
  await ensureStream(connection, subject);
  const js = natsJetStream().jetstream(connection);
  let messages = 0;
  const pending: Promise<unknown>[] = [];
  for (let start = 0; start < points.n; start += perMessage) {
    const end = Math.min(points.n, start + perMessage);
    const text = ndjsonOf(points, start, end);
    // A message id makes a publish retried after a timeout (a loaded machine) a duplicate.
    const msgID = `${subject}-${messages}`;
    pending.push(retrying(() => js.publish(subject, text, { msgID })));
    messages++;
    if (pending.length >= 16) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return messages;
}

/** The initial model: the known centres moved by 5 in every coordinate, weight 0. */
export function initialModel(centres: number[][]) {
  return {
    type: 'kmeans' as const,
    centroids: centres.map((c) => c.map((x) => x + 5)),
    weights: centres.map(() => 0),
  };
}

/**
 * Checks that the shared model counted every point once and has the centroids of one worker
 * fed every point from the same initial model, to 1e-6 (decay 1, centres far apart: each point
 * goes to its own centre's cluster whatever the order, so the centroids are the clusters' means).
 */
export function expectModelOfOneWorker(
  state: JsonValue,
  points: { centres: number[][]; data: Float64Array; n: number; d: number },
): void {
  const model = OnlineKMeansModel.fromJSON(state);
  expect(model.recordsSeen).toBe(points.n);
  const single = new OnlineKMeans({
    k: points.centres.length,
    batchSize: points.n,
    initialCentroids: initialModel(points.centres).centroids,
  });
  single.partialFit(new DenseMatrix(points.n, points.d, points.data));
  for (let i = 0; i < model.centroids.length; i++) {
    expect(Math.abs(model.centroids[i] - single.model!.centroids[i])).toBeLessThan(1e-6);
  }
}
