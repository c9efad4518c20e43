/**
 * A checkpointed DataStream job over a JetStream consumer, as its own process (so that a test
 * can SIGKILL it): `node datastream-worker.mjs URL SUBJECT GROUP CHECKPOINTS OUTPUT [resume]`.
 * It keeps a running count per key (keyBy + reduce) and writes each record with its key's count
 * to an exactly-once NDJSON file; it ends once the stream has been idle for 3 seconds. Uses the
 * build (dist/).
 */
import {
  connectNats,
  DataStream,
  jetStreamSource,
  ndjsonFileSink,
  StreamEnvironment,
} from '../../dist/src/index.js';

const [url, subject, group, directory, output, resume] = process.argv.slice(2);
const connection = await connectNats({ servers: url });
const environment = new StreamEnvironment({
  checkpoint: { directory, everyRecords: 100, resume: resume === 'resume' },
});
const source = jetStreamSource(connection, {
  subject,
  group,
  ackWaitMs: 2000,
  pullAhead: 8,
  idleTimeoutMs: 3000,
});
const result = await DataStream.from(source, environment)
  .keyBy((record) => record.key)
  .reduce((counted, record) => ({ key: record.key, id: record.id, n: counted.n + record.n }))
  .sinkTo(ndjsonFileSink(output));
process.stdout.write(`${JSON.stringify(result)}\n`);
await connection.close();
