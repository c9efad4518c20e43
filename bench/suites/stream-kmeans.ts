/**
 * Streaming k-means throughput, d = 16, k = 16, batches of 1000 points, end to end from a file:
 * NDJSON parsed from bytes (short decimals, the common case, and full 17-digit doubles, the
 * slow path), the `eddy kmeans --stream` command writing every assignment, and an Arrow IPC
 * stream (as row-major VectorBatches, and as Float64 columns read in place). The peer is the obvious JavaScript way: readline + JSON.parse per line feeding the
 * same OnlineKMeans, measured in the same run.
 */
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { makeVector, RecordBatchStreamWriter, Table } from 'apache-arrow';
import { OnlineKMeans } from '../../algorithms/ml/kmeans/online.js';
import { main } from '../../src/cli/main.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import type { ColumnPoints } from '../../src/stream/arrow-columns.js';
import { DataStream } from '../../src/stream/datastream.js';
import {
  arrowColumnSource,
  arrowVectorSource,
  ndjsonVectorSource,
  type VectorBatch,
} from '../../src/stream/sources.js';
import { machineDescription, median, timeRuns } from '../timing.js';

const POINTS = 500_000;
const D = 16;
const K = 16;
const BATCH = 1000;
const dataDirectory = join(import.meta.dirname, '..', 'data');

function points(seed: number): Float64Array {
  const rng = random(seed);
  const centres = Array.from({ length: K }, () => Array.from({ length: D }, () => rng.uniformIn(-20, 20)));
  const data = new Float64Array(POINTS * D);
  for (let i = 0; i < POINTS; i++) {
    const centre = centres[rng.integer(0, K)];
    for (let j = 0; j < D; j++) data[i * D + j] = centre[j] + rng.normal(0, 2);
  }
  return data;
}

function writeNdjson(path: string, data: Float64Array, format: (x: number) => string): void {
  const lines: string[] = new Array(POINTS);
  for (let i = 0; i < POINTS; i++) {
    const row: string[] = new Array(D);
    for (let j = 0; j < D; j++) row[j] = format(data[i * D + j]);
    lines[i] = `[${row.join(',')}]`;
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function writeArrow(path: string, data: Float64Array): void {
  const writer = new RecordBatchStreamWriter();
  const chunks: Uint8Array[] = [];
  const rowsPerBatch = 65_536;
  for (let start = 0; start < POINTS; start += rowsPerBatch) {
    const rows = Math.min(rowsPerBatch, POINTS - start);
    const columns: Record<string, ReturnType<typeof makeVector>> = {};
    for (let j = 0; j < D; j++) {
      const column = new Float64Array(rows);
      for (let i = 0; i < rows; i++) column[i] = data[(start + i) * D + j];
      columns[`x${j}`] = makeVector(column);
    }
    writer.write(new Table(columns).batches[0]);
  }
  writer.finish();
  chunks.push(writer.toUint8Array(true));
  writeFileSync(path, chunks[0]);
}

async function fitFrom(stream: AsyncIterable<VectorBatch | ColumnPoints>): Promise<number> {
  const kmeans = new OnlineKMeans({ k: K, batchSize: BATCH, seed: 1, halfLife: 10 });
  let seen = 0;
  for await (const version of kmeans.fit(stream)) seen = version.recordsSeen;
  if (seen !== POINTS) throw new Error(`saw ${seen} points, expected ${POINTS}`);
  return seen;
}

/** The peer: readline + JSON.parse, one JS array per point, into the same estimator. */
async function jsonParseBaseline(path: string): Promise<void> {
  const kmeans = new OnlineKMeans({ k: K, batchSize: BATCH, seed: 1, halfLife: 10 });
  const buffer = new DenseMatrix(BATCH, D);
  let filled = 0;
  let seen = 0;
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (line === '') continue;
    const row = JSON.parse(line) as number[];
    buffer.data.set(row, filled * D);
    if (++filled === BATCH) {
      kmeans.partialFit(buffer);
      seen += filled;
      filled = 0;
    }
  }
  if (filled > 0) kmeans.partialFit(buffer.sliceRows(0, filled));
  seen += filled;
  if (seen !== POINTS) throw new Error(`saw ${seen} points`);
}

async function cli(path: string): Promise<void> {
  const sink = new PassThrough();
  sink.resume();
  const code = await main(
    [
      'kmeans',
      '--stream',
      path,
      '--k',
      String(K),
      '--batch-size',
      String(BATCH),
      '--half-life',
      '10',
      '--seed',
      '1',
      '--output',
      join(dataDirectory, 'assignments.ndjson'),
      '--model',
      join(dataDirectory, 'model.json'),
    ],
    { stdin: new PassThrough(), stdout: sink, stderr: sink },
  );
  if (code !== 0) throw new Error(`eddy kmeans --stream exited with ${code}`);
}

export async function run(): Promise<void> {
  mkdirSync(dataDirectory, { recursive: true });
  const short = join(dataDirectory, 'stream-points-short.ndjson');
  const full = join(dataDirectory, 'stream-points-full.ndjson');
  const arrow = join(dataDirectory, 'stream-points.arrows');
  if (!existsSync(short) || !existsSync(full) || !existsSync(arrow)) {
    const data = points(42);
    writeNdjson(short, data, (x) => x.toFixed(6));
    writeNdjson(full, data, (x) => String(x));
    writeArrow(arrow, data);
  }
  const rate = (ms: number) =>
    `${((POINTS / ms) * 1000).toLocaleString('en-US', { maximumFractionDigits: 0 })}/s`;
  // Wall time and this process's CPU time per run: on a shared machine the CPU time is what
  // one core spent, which is the "per core" figure; medians of 5 runs after one warm-up.
  const measure = async (task: () => Promise<unknown>) => {
    const cpu: number[] = [];
    const wall = await timeRuns(
      async () => {
        const before = process.cpuUsage();
        await task();
        const used = process.cpuUsage(before);
        cpu.push((used.user + used.system) / 1000);
      },
      5,
      1,
    );
    return { wall: median(wall), cpu: median(cpu.slice(1)) };
  };

  const rows: [string, { wall: number; cpu: number }][] = [
    [
      'NDJSON file, 6 decimals -> OnlineKMeans.fit',
      await measure(() => fitFrom(DataStream.from(ndjsonVectorSource(short, { batchSize: BATCH })))),
    ],
    [
      'NDJSON file, 17 digits -> OnlineKMeans.fit',
      await measure(() => fitFrom(DataStream.from(ndjsonVectorSource(full, { batchSize: BATCH })))),
    ],
    ['eddy kmeans --stream, 6 decimals, writes assignments', await measure(() => cli(short))],
    [
      'Arrow IPC stream file -> OnlineKMeans.fit (arrowVectorSource, reuseBuffers)',
      await measure(() => fitFrom(DataStream.from(arrowVectorSource(arrow, { reuseBuffers: true })))),
    ],
    [
      'Arrow IPC stream file -> OnlineKMeans.fit (arrowColumnSource)',
      await measure(() => fitFrom(DataStream.from(arrowColumnSource(arrow)))),
    ],
    ['peer: readline + JSON.parse -> OnlineKMeans', await measure(() => jsonParseBaseline(short))],
  ];
  console.log(machineDescription());
  console.log(
    `${POINTS.toLocaleString('en-US')} points, d = ${D}, k = ${K}, batch ${BATCH}, one thread; medians of 5 runs`,
  );
  console.log('| path | wall ms | points/s (wall) | CPU ms | points/s per core (CPU time) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, { wall, cpu }] of rows) {
    console.log(`| ${name} | ${wall.toFixed(0)} | ${rate(wall)} | ${cpu.toFixed(0)} | ${rate(cpu)} |`);
  }
  console.log(
    `byte parser vs the JSON.parse peer (CPU time): ${(rows[5][1].cpu / rows[0][1].cpu).toFixed(2)}x`,
  );
}
