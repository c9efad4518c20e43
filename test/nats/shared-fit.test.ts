/**
 * Exactly-once with the broker, in one process: the shared model in a key-value bucket counts
 * each message once, whether it is redelivered after a commit whose acknowledgement never came,
 * split between two workers, or malformed.
 */
import { describe, expect, it, vi } from 'vitest';
import { OnlineKMeans, OnlineKMeansModel } from '../../algorithms/ml/kmeans/online.js';
import { OnlineStandardScaler } from '../../algorithms/ml/online-standard-scaler.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { openModelBucket, readSharedModel, watchSharedModel } from '../../src/ml/shared-fit.js';
import { natsJetStream } from '../../src/stream/nats/client.js';
import {
  addSequences,
  containsSequence,
  ensureStream,
  JetStreamSource,
} from '../../src/stream/nats/index.js';
import { clusteredPoints, expectModelOfOneWorker, initialModel, ndjsonOf, publishPoints } from './points.js';
import { useNatsServer } from './servers.js';

const server = useNatsServer();

function estimator(centres: number[][], batchSize: number): OnlineKMeans {
  const init = initialModel(centres);
  return new OnlineKMeans({
    k: centres.length,
    batchSize,
    initialCentroids: init.centroids,
    initialWeight: init.weights,
  });
}

describe('addSequences', () => {
  it('merges sequences into the fewest ranges', () => {
    expect(addSequences([], [3, 1, 2].sort())).toEqual([[1, 3]]);
    expect(
      addSequences(
        [
          [1, 3],
          [7, 8],
        ],
        [4, 6, 10],
      ),
    ).toEqual([
      [1, 4],
      [6, 8],
      [10, 10],
    ]);
  });
});

describe('fitSharedModel on OnlineKMeans', () => {
  it('one worker: the model of partialFit over the messages in order, bit for bit, however many mini-batches a commit holds', async () => {
    const points = clusteredPoints(2000, 4, 3, 1);
    await publishPoints(server.connection, 'one', points, 250);
    const source = await JetStreamSource.open(server.connection, { subject: 'one', group: 'g1' });
    const shared = estimator(points.centres, 250);
    // The first mini-batch is committed at once; the seven after it wait out the interval (the
    // worker is never taken for caught up), and the worker's end commits them together, one
    // update each.
    const summary = await shared.fitShared(server.connection, source, {
      bucket: 'models',
      key: 'one',
      idleTimeoutMs: 500,
      commitIntervalMs: 60_000,
      caughtUpMs: 60_000,
    });
    expect(summary.records).toBe(2000);
    expect(summary.commits).toBe(2);
    const local = estimator(points.centres, 250);
    for (let start = 0; start < 2000; start += 250) {
      local.partialFit(new DenseMatrix(250, 3, points.data.subarray(start * 3, (start + 250) * 3)));
    }
    const state = await readSharedModel(server.connection, { bucket: 'models', key: 'one' });
    const model = OnlineKMeansModel.fromJSON(state!.model);
    expect(model.recordsSeen).toBe(2000);
    expect(model.version).toBe(8);
    expect(Array.from(model.centroids)).toEqual(Array.from(local.model!.centroids));
    expect(state!.committed).toEqual([[1, 8]]);
  });

  it('a worker that has caught up with the stream commits at once, not a commit interval after its last commit', async () => {
    const points = clusteredPoints(2000, 4, 3, 7);
    const half = { ...points, n: 1000 };
    await publishPoints(server.connection, 'caught', half, 250);
    // An ack wait of 20 s: nothing here is committed for being held too long.
    const source = await JetStreamSource.open(server.connection, {
      subject: 'caught',
      group: 'g8',
      ackWaitMs: 20_000,
    });
    const js = natsJetStream().jetstream(server.connection);
    const late: Promise<unknown>[] = [];
    const commits: number[] = [];
    const summary = await estimator(points.centres, 250).fitShared(server.connection, source, {
      bucket: 'models',
      key: 'caught',
      // Longer than the idle timeout: were the worker to wait out the interval, the messages
      // held after its first commit would be committed only as it stops, and those published
      // below after its second commit would come too late.
      commitIntervalMs: 4000,
      idleTimeoutMs: 2500,
      // Long enough that the four messages published below, one by one, come in one commit.
      caughtUpMs: 500,
      onCommit: (commit) => {
        commits.push(commit.workerRecords);
        if (commits.length !== 2) return;
        for (let m = 0; m < 4; m++) {
          const text = ndjsonOf(points, 1000 + m * 250, 1000 + (m + 1) * 250);
          late.push(js.publish('caught', text, { msgID: `caught-late-${m}` }));
        }
      },
    });
    await Promise.all(late);
    // The first mini-batch at once; the three after it once the worker had caught up; the four
    // published then, likewise.
    expect(commits).toEqual([250, 1000, 2000]);
    expect(summary.records).toBe(2000);
    const model = OnlineKMeansModel.fromJSON(
      (await readSharedModel(server.connection, { bucket: 'models', key: 'caught' }))!.model,
    );
    const local = estimator(points.centres, 250);
    for (let start = 0; start < 2000; start += 250) {
      local.partialFit(new DenseMatrix(250, 3, points.data.subarray(start * 3, (start + 250) * 3)));
    }
    expect(Array.from(model.centroids)).toEqual(Array.from(local.model!.centroids));
  });

  it('a worker that has caught up commits a short mini-batch at once, not at a full one or its stop', async () => {
    const points = clusteredPoints(500, 4, 3, 8);
    await publishPoints(server.connection, 'short', { ...points, n: 300 }, 100);
    const source = await JetStreamSource.open(server.connection, { subject: 'short', group: 'g10' });
    const js = natsJetStream().jetstream(server.connection);
    const late: Promise<unknown>[] = [];
    const commits: number[] = [];
    // Mini-batches of 1000 points that never fill, and a commit interval longer than the run:
    // only being caught up commits before the worker stops.
    const summary = await estimator(points.centres, 1000).fitShared(server.connection, source, {
      bucket: 'models',
      key: 'short',
      commitIntervalMs: 60_000,
      idleTimeoutMs: 2500,
      // Long enough that the two messages published below, one by one, come in one commit.
      caughtUpMs: 500,
      onCommit: (commit) => {
        commits.push(commit.workerRecords);
        if (commits.length !== 1) return;
        for (let m = 0; m < 2; m++) {
          const text = ndjsonOf(points, 300 + m * 100, 300 + (m + 1) * 100);
          late.push(js.publish('short', text, { msgID: `short-late-${m}` }));
        }
      },
    });
    await Promise.all(late);
    // Committed while the worker ran: the points published after the first commit are counted.
    expect(commits).toEqual([300, 500]);
    expect(summary.records).toBe(500);
    const state = (await readSharedModel(server.connection, { bucket: 'models', key: 'short' }))!;
    expect(state.committed).toEqual([[1, 5]]);
    // Two short mini-batches, one update each.
    const local = estimator(points.centres, 1000);
    local.partialFit(new DenseMatrix(300, 3, points.data.subarray(0, 900)));
    local.partialFit(new DenseMatrix(200, 3, points.data.subarray(900, 1500)));
    const model = OnlineKMeansModel.fromJSON(state.model);
    expect(model.recordsSeen).toBe(500);
    expect(model.version).toBe(2);
    expect(Array.from(model.centroids)).toEqual(Array.from(local.model!.centroids));
  });

  it('skips, and acknowledges, redelivered messages that the model already counts', async () => {
    const points = clusteredPoints(1000, 4, 3, 2);
    await publishPoints(server.connection, 'again', points, 100);
    const options = { subject: 'again', group: 'g2', ackWaitMs: 500 };
    const source = await JetStreamSource.open(server.connection, options);
    // A worker that commits but dies before its acknowledgements leave.
    const deaf = Object.create(source) as JetStreamSource;
    deaf.messages = async function* (options) {
      for await (const message of source.messages(options)) yield message && { ...message, ack: () => {} };
    };
    const location = { bucket: 'models', key: 'again', idleTimeoutMs: 300 };
    const first = await estimator(points.centres, 200).fitShared(server.connection, deaf, location);
    expect(first.records).toBe(1000);
    const second = await estimator(points.centres, 200).fitShared(server.connection, source, {
      ...location,
      idleTimeoutMs: 2000,
    });
    expect(second.records).toBe(0);
    expect(second.skippedMessages).toBe(10);
    const state = await readSharedModel(server.connection, location);
    expect(OnlineKMeansModel.fromJSON(state!.model).recordsSeen).toBe(1000);
    expect(await source.ackFloor()).toBe(10);
  });

  it('two workers at once: every record counted once, the centroids of one worker to 1e-6', async () => {
    const points = clusteredPoints(20_000, 8, 16, 3);
    await publishPoints(server.connection, 'two', points, 500);
    const options = { subject: 'two', group: 'g3', pullAhead: 4 };
    const location = { bucket: 'models', key: 'two', idleTimeoutMs: 1000 };
    const [a, b] = await Promise.all(
      [0, 1].map(async () =>
        estimator(points.centres, 1000).fitShared(
          server.connection,
          await JetStreamSource.open(server.connection, options),
          location,
        ),
      ),
    );
    expect(a.records + b.records).toBe(20_000);
    expect(a.records).toBeGreaterThan(0);
    expect(b.records).toBeGreaterThan(0);
    const model = OnlineKMeansModel.fromJSON((await readSharedModel(server.connection, location))!.model);
    expect(model.recordsSeen).toBe(20_000);
    const single = estimator(points.centres, 1000);
    single.partialFit(new DenseMatrix(20_000, 16, points.data));
    for (let i = 0; i < model.centroids.length; i++) {
      expect(model.centroids[i]).toBeCloseTo(single.model!.centroids[i], 6);
    }
  });

  it('two workers fed as they go, committing short mini-batches whenever caught up: every record counted once', async () => {
    const points = clusteredPoints(6000, 8, 16, 9);
    await ensureStream(server.connection, 'trickle');
    const options = { subject: 'trickle', group: 'g11', pullAhead: 4 };
    const location = { bucket: 'models', key: 'trickle', idleTimeoutMs: 1500 };
    const workers = [0, 1].map(async () =>
      estimator(points.centres, 1000).fitShared(
        server.connection,
        await JetStreamSource.open(server.connection, options),
        location,
      ),
    );
    // Published one message at a time while the workers run: they catch up again and again,
    // and so commit (and conflict) with mini-batches far short of 1000 points.
    const js = natsJetStream().jetstream(server.connection);
    for (let m = 0; m < 60; m++) {
      await js.publish('trickle', ndjsonOf(points, m * 100, (m + 1) * 100), { msgID: `trickle-${m}` });
    }
    const [a, b] = await Promise.all(workers);
    expect(a.records + b.records).toBe(6000);
    const state = (await readSharedModel(server.connection, location))!;
    // Every message counted (some below the floor that pruning raises), none beyond them.
    for (let seq = 1; seq <= 60; seq++) expect(containsSequence(state, seq)).toBe(true);
    expect(containsSequence(state, 61)).toBe(false);
    expectModelOfOneWorker(state.model, points);
  });

  it('a commit that loses the compare-and-set merges its statistics into the newer model, without assigning the points again', async () => {
    const points = clusteredPoints(1000, 4, 3, 4);
    await publishPoints(server.connection, 'lost', points, 250);
    const source = await JetStreamSource.open(server.connection, { subject: 'lost', group: 'g6' });
    const location = { bucket: 'models', key: 'lost' };
    const kv = await openModelBucket(server.connection, location);
    // The costly half of k-means' update (each point's nearest centroid), counted.
    const statistics = vi.spyOn(
      OnlineKMeans.prototype as unknown as { statistics: () => unknown },
      'statistics',
    );
    let outputs = 0;
    try {
      const summary = await estimator(points.centres, 250).fitShared(server.connection, source, {
        ...location,
        idleTimeoutMs: 500,
        commitIntervalMs: 60_000,
        caughtUpMs: 60_000,
        output: async () => {
          // While the second commit (the three last mini-batches) is being made, another
          // "worker" commits: the same centroids, 7 records and sequence 100 more.
          if (++outputs !== 2) return;
          const state = (await readSharedModel(server.connection, location))!;
          const model = state.model as { recordsSeen: number };
          model.recordsSeen += 7;
          await kv.put(
            location.key,
            JSON.stringify({ ...state, committed: addSequences(state.committed, [100]) }),
          );
        },
      });
      expect(summary.conflicts).toBe(1);
      expect(summary.commits).toBe(2);
      expect(summary.records).toBe(1000);
      // Four mini-batches, each assigned and published once.
      expect(statistics).toHaveBeenCalledTimes(4);
      expect(outputs).toBe(4);
    } finally {
      statistics.mockRestore();
    }
    const state = (await readSharedModel(server.connection, location))!;
    expect(state.committed).toEqual([
      [1, 4],
      [100, 100],
    ]);
    const model = OnlineKMeansModel.fromJSON(state.model);
    expect(model.recordsSeen).toBe(1007);
    const local = estimator(points.centres, 250);
    for (let start = 0; start < 1000; start += 250) {
      local.partialFit(new DenseMatrix(250, 3, points.data.subarray(start * 3, (start + 250) * 3)));
    }
    expect(Array.from(model.centroids)).toEqual(Array.from(local.model!.centroids));
  });

  it('stops at a malformed record, naming its stream sequence, before it touches the model', async () => {
    await ensureStream(server.connection, 'bad');
    const js = natsJetStream().jetstream(server.connection);
    await js.publish('bad', '[1,2]\n[3,4]\n');
    await js.publish('bad', '[1,2]\n[3]\n');
    const source = await JetStreamSource.open(server.connection, {
      subject: 'bad',
      group: 'g4',
      ackWaitMs: 500,
    });
    const kmeans = new OnlineKMeans({ k: 1, batchSize: 100 });
    const location = { bucket: 'models', key: 'bad', idleTimeoutMs: 300 };
    const error = await kmeans.fitShared(server.connection, source, location).catch((e) => e);
    expect(error.message).toMatch(/bad \(stream EDDY_bad, sequence 2\):2.*wrong dimension 1/);
    expect(await readSharedModel(server.connection, location)).toBeUndefined();
    // With skipInvalid the record is counted, reported and its message acknowledged.
    const skipped: string[] = [];
    const summary = await new OnlineKMeans({ k: 1, batchSize: 100 }).fitShared(server.connection, source, {
      ...location,
      idleTimeoutMs: 1500,
      skipInvalid: true,
      onInvalid: (e) => skipped.push(e.message),
    });
    expect(summary.invalidRecords).toBe(1);
    expect(skipped[0]).toContain('sequence 2');
    expect(summary.records).toBe(3);
    expect(await source.ackFloor()).toBe(2);
  });

  it('a message whose every record is skipped is counted and acknowledged, and changes nothing in the model', async () => {
    await ensureStream(server.connection, 'empty');
    const js = natsJetStream().jetstream(server.connection);
    await js.publish('empty', '[1,2]\n[3,4]\n');
    await js.publish('empty', '[5]\n[6,7,8]\n');
    const source = await JetStreamSource.open(server.connection, { subject: 'empty', group: 'g9' });
    const location = { bucket: 'models', key: 'empty' };
    // Mini-batches of one point: the second message is a mini-batch of none, committed alone.
    const summary = await new OnlineKMeans({ k: 1, batchSize: 1 }).fitShared(server.connection, source, {
      ...location,
      idleTimeoutMs: 500,
      skipInvalid: true,
    });
    expect(summary.invalidRecords).toBe(2);
    expect(summary.records).toBe(2);
    expect(summary.commits).toBe(2);
    expect(await source.ackFloor()).toBe(2);
    const state = (await readSharedModel(server.connection, location))!;
    expect(containsSequence(state, 2)).toBe(true);
    const model = OnlineKMeansModel.fromJSON(state.model);
    const local = new OnlineKMeans({ k: 1, batchSize: 1 }).partialFit(
      new DenseMatrix(2, 2, Float64Array.of(1, 2, 3, 4)),
    );
    expect(model.recordsSeen).toBe(2);
    expect(model.version).toBe(local.version);
    expect(Array.from(model.centroids)).toEqual(Array.from(local.centroids));
  });

  it('OnlineStandardScaler: two workers share the statistics; every record counted once', async () => {
    const points = clusteredPoints(10_000, 3, 4, 5);
    await publishPoints(server.connection, 'scale', points, 250);
    const options = { subject: 'scale', group: 'g5', pullAhead: 4 };
    const location = { bucket: 'models', key: 'scale', idleTimeoutMs: 1000, batchSize: 1000 };
    const summaries = await Promise.all(
      [0, 1].map(async () =>
        new OnlineStandardScaler().fitShared(
          server.connection,
          await JetStreamSource.open(server.connection, options),
          location,
        ),
      ),
    );
    expect(summaries[0].records + summaries[1].records).toBe(10_000);
    const shared = new OnlineStandardScaler();
    shared.restoreState((await readSharedModel(server.connection, location))!.model);
    const single = new OnlineStandardScaler().partialFit(new DenseMatrix(10_000, 4, points.data));
    expect(shared.recordsSeen).toBe(10_000);
    for (let j = 0; j < 4; j++) {
      expect(shared.getMean()[j]).toBeCloseTo(single.getMean()[j], 9);
      expect(shared.getStd()[j]).toBeCloseTo(single.getStd()[j], 9);
    }
  });

  it('watchSharedModel follows every committed version, in order, for scoring workers', async () => {
    const points = clusteredPoints(3000, 4, 3, 6);
    await publishPoints(server.connection, 'watched', points, 500);
    const location = { bucket: 'models', key: 'watched' };
    await openModelBucket(server.connection, location);
    const abort = new AbortController();
    const seen: number[] = [];
    const watching = (async () => {
      for await (const state of watchSharedModel(server.connection, location, abort.signal)) {
        const model = OnlineKMeansModel.fromJSON(state.model);
        seen.push(model.version);
        if (model.recordsSeen === 3000) abort.abort();
      }
    })();
    const source = await JetStreamSource.open(server.connection, { subject: 'watched', group: 'g6' });
    // A commit per mini-batch, so that every version is one the bucket held.
    await estimator(points.centres, 500).fitShared(server.connection, source, {
      ...location,
      idleTimeoutMs: 500,
      commitIntervalMs: 0,
    });
    await watching;
    // From the first version it saw (the watch may start after the first commit), every one.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual(Array.from({ length: 7 - seen[0] }, (_, i) => seen[0] + i));
  });
});
