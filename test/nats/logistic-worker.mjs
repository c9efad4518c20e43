/**
 * One worker of the shared OnlineLogisticRegression fit, as its own process (so that a test can
 * SIGKILL it): `node logistic-worker.mjs URL SUBJECT GROUP KEY`. It uses the build (dist/) and
 * prints its summary as JSON when the stream has been idle for 6 seconds.
 */
import { connectNats, JetStreamSource, OnlineLogisticRegression } from '../../dist/src/index.js';

const [url, subject, group, key] = process.argv.slice(2);
const connection = await connectNats({ servers: url });
const source = await JetStreamSource.open(connection, { subject, group, ackWaitMs: 3000, pullAhead: 4 });
const summary = await new OnlineLogisticRegression({ alpha: 0.5 }).fitShared(connection, source, {
  bucket: 'models',
  key,
  batchSize: 1000,
  idleTimeoutMs: 6000,
});
process.stdout.write(`${JSON.stringify({ records: summary.records, skipped: summary.skippedMessages })}\n`);
await connection.close();
