import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { RecordBatchReader, RecordBatchStreamWriter, tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { InputError } from '../../src/core/errors.js';
import { DataStream } from '../../src/stream/datastream.js';
import {
  arrowFileSink,
  callbackSink,
  csvFileSink,
  ndjsonFileSink,
  stdoutSink,
} from '../../src/stream/sinks.js';
import {
  arrowVectorSource,
  csvSource,
  generatorSource,
  iterableSource,
  ndjsonSource,
  ndjsonVectorSource,
  readableSource,
  type VectorBatch,
} from '../../src/stream/sources.js';

const directory = () => mkdtempSync(join(tmpdir(), 'eddy-stream-'));

describe('DataStream operators', () => {
  it('maps, filters, flatMaps and processes in order', async () => {
    const out = await DataStream.from(iterableSource([1, 2, 3, 4, 5, 6], { batchSize: 4 }))
      .map((x) => x * 10)
      .filter((x) => x % 20 === 0)
      .flatMap((x) => [x, x + 1])
      .process<string>({
        processElement(record, _context, out) {
          if (record % 2 === 0) out.collect(`even ${record}`);
        },
        onEnd(out) {
          out.collect('end');
        },
      })
      .collect();
    expect(out).toEqual(['even 20', 'even 40', 'even 60', 'end']);
  });

  it('keeps per-key state with keyBy', async () => {
    const words = ['a', 'b', 'a', 'c', 'a', 'b'];
    const counts = await DataStream.from(iterableSource(words, { batchSize: 2 }))
      .keyBy((word) => word)
      .process<number, [string, number]>({
        processElement(word, context, out) {
          const count = (context.state.value() ?? 0) + 1;
          context.state.update(count);
          out.collect([word, count]);
        },
      })
      .collect();
    expect(counts).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
      ['c', 1],
      ['a', 3],
      ['b', 2],
    ]);
    const sums = await DataStream.from(iterableSource([1, 2, 3, 4, 5]))
      .keyBy((x) => x % 2)
      .reduce((a, b) => a + b)
      .collect();
    expect(sums).toEqual([1, 2, 4, 6, 9]);
  });

  it('is an async iterable and reads async iterables and object-mode Readables', async () => {
    async function* numbers() {
      for (let i = 0; i < 5; i++) yield i;
    }
    const seen: number[] = [];
    for await (const x of DataStream.from(iterableSource(numbers())).map((x) => x + 1)) seen.push(x);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const readable = Readable.from([{ a: 1 }, { a: 2 }], { objectMode: true });
    expect(
      await DataStream.from(readableSource<{ a: number }>(readable))
        .map((r) => r.a)
        .collect(),
    ).toEqual([1, 2]);
  });
});

describe('sources', () => {
  it('reads NDJSON values from a file and reports bad JSON with its line', async () => {
    const dir = directory();
    const path = join(dir, 'in.ndjson');
    writeFileSync(path, '{"a":1}\n\n[2,3]\n"x"\n');
    expect(await DataStream.from(ndjsonSource(path)).collect()).toEqual([{ a: 1 }, [2, 3], 'x']);
    writeFileSync(path, '{"a":1}\n{"a":\n');
    await expect(DataStream.from(ndjsonSource(path)).collect()).rejects.toThrow(
      /in\.ndjson:2(:\d+)?: bad JSON/,
    );
    const skipped: InputError[] = [];
    const kept = await DataStream.from(
      ndjsonSource(path, { skipInvalid: true, onInvalid: (e) => skipped.push(e) }),
    ).collect();
    expect(kept).toEqual([{ a: 1 }]);
    expect(skipped.map((e) => e.line)).toEqual([2]);
  });

  it('parses vectors from NDJSON arrays and objects into batches with input indices', async () => {
    const dir = directory();
    const path = join(dir, 'points.ndjson');
    writeFileSync(path, '[1,2]\n[3,4.5]\n\n[5,6]\n[-7,8e1]');
    const batches = await DataStream.from(ndjsonVectorSource(path, { batchSize: 3 })).collect();
    expect(batches.map((b) => b.points.toRows())).toEqual([
      [
        [1, 2],
        [3, 4.5],
        [5, 6],
      ],
      [[-7, 80]],
    ]);
    expect(batches.map((b) => Array.from(b.indices))).toEqual([[0, 1, 2], [3]]);
    const stream = new PassThrough();
    stream.end('{"x":1,"label":"a","y":2}\n{"y":4,"x":3,"label":"b"}\n');
    const objects = await DataStream.from(ndjsonVectorSource({ stream, name: '<stdin>' })).collect();
    expect(objects[0].points.toRows()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('reports malformed vector lines with their line number, or skips and counts them', async () => {
    const dir = directory();
    const path = join(dir, 'bad.ndjson');
    const cases: [string, RegExp][] = [
      ['[1,2]\n[1,2,3]\n', /bad\.ndjson:2: wrong dimension 3: got "\[1,2,3\]", expected 2 numbers/],
      ['[1,2]\n\n[1,NaN]\n', /bad\.ndjson:3:4: not a finite number/],
      ['[1,2]\n[1,2\n', /bad\.ndjson:2:5: bad JSON/],
      ['{"x":1}\n{"x":"1"}\n', /bad\.ndjson:2: field 'x' is "1"/],
      ['[1,2]\n{"x":1,"y":2}\n', /bad\.ndjson:2: not an array of numbers/],
      ['{"x":1}\n[1]\n', /bad\.ndjson:2: not a point: got "\[1\]", expected an object like the first line/],
    ];
    for (const [text, message] of cases) {
      writeFileSync(path, text);
      await expect(DataStream.from(ndjsonVectorSource(path)).collect()).rejects.toThrow(message);
    }
    writeFileSync(path, '[1,2]\n[1]\n[3,4]\n[x]\n[5,6]\n');
    const lines: number[] = [];
    const batches = await DataStream.from(
      ndjsonVectorSource(path, { skipInvalid: true, onInvalid: (e) => lines.push(e.line!) }),
    ).collect();
    expect(lines).toEqual([2, 4]);
    expect(batches.flatMap((b: VectorBatch) => Array.from(b.indices))).toEqual([0, 2, 4]);
  });

  it('resumes a file source at a byte offset', async () => {
    const dir = directory();
    const path = join(dir, 'points.ndjson');
    writeFileSync(path, '[1]\n[2]\n[3]\n[4]\n');
    const source = ndjsonVectorSource(path, { batchSize: 2 });
    const positions = [];
    for await (const batch of source.read()) positions.push(batch.position);
    const rest = [];
    for await (const batch of source.read(positions[0]))
      rest.push(...batch.records.flatMap((b) => b.points.toRows()));
    expect(rest).toEqual([[3], [4]]);
  });

  it('reads CSV records through parseCsv, with line numbers of bad cells', async () => {
    const dir = directory();
    const path = join(dir, 'in.csv');
    writeFileSync(path, 'x,name\n1,"a, b"\n2,"multi\nline"\n');
    expect(await DataStream.from(csvSource(path)).collect()).toEqual([
      { x: 1, name: 'a, b' },
      { x: 2, name: 'multi\nline' },
    ]);
    writeFileSync(path, 'x,y\n1,2\n3\n');
    await expect(DataStream.from(csvSource(path)).collect()).rejects.toThrow(/in\.csv:3:1: row has 1 fields/);
  });

  it('reads an Arrow IPC stream as vector batches', async () => {
    const dir = directory();
    const path = join(dir, 'points.arrows');
    const table = tableFromArrays({ a: new Float64Array([1, 2, 3]), b: new Int32Array([4, 5, 6]) });
    writeFileSync(path, tableToIPC(table, 'stream'));
    const batches = await DataStream.from(arrowVectorSource(path)).collect();
    expect(batches[0].points.toRows()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    // With reused buffers, each batch overwrites the last one's arrays (same rows and columns).
    const writer = new RecordBatchStreamWriter();
    writer.write(tableFromArrays({ a: new Float64Array([1, 2]) }).batches[0]);
    writer.write(tableFromArrays({ a: new Float64Array([3, 4]) }).batches[0]);
    writer.finish();
    writeFileSync(path, writer.toUint8Array(true));
    const seen: number[][] = [];
    let previous: VectorBatch | undefined;
    for await (const vectors of DataStream.from(arrowVectorSource(path, { reuseBuffers: true }))) {
      seen.push([...vectors.points.data, ...vectors.indices]);
      if (previous) expect(vectors.points.data).toBe(previous.points.data);
      previous = vectors;
    }
    expect(seen).toEqual([
      [1, 2, 0, 1],
      [3, 4, 2, 3],
    ]);
    writeFileSync(path, tableToIPC(tableFromArrays({ a: new Float64Array([1, 2, Number.NaN]) }), 'stream'));
    await expect(DataStream.from(arrowVectorSource(path)).collect()).rejects.toThrow(
      /points\.arrows: not a finite number: got "NaN", expected finite values in column 'a' \(row 2\)/,
    );
  });

  it('generates the same records for the same seed, at a bounded rate', async () => {
    const make = () => generatorSource({ seed: 5, count: 20, generate: (rng) => rng.integer(0, 100) });
    const a = await DataStream.from(make()).collect();
    expect(a).toHaveLength(20);
    expect(await DataStream.from(make()).collect()).toEqual(a);
    const started = performance.now();
    await DataStream.from(
      generatorSource({ seed: 1, count: 5, ratePerSecond: 100, generate: (_rng, i) => i }),
    ).collect();
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
  });
});

describe('sinks', () => {
  it('write NDJSON, CSV and Arrow files, renamed into place at the end', async () => {
    const dir = directory();
    const records = [
      { id: 1, name: 'a' },
      { id: 2, name: 'b,c' },
    ];
    await DataStream.from(iterableSource(records, { batchSize: 1 })).sinkTo(
      ndjsonFileSink(join(dir, 'out.ndjson')),
    );
    expect(readFileSync(join(dir, 'out.ndjson'), 'utf8')).toBe(
      '{"id":1,"name":"a"}\n{"id":2,"name":"b,c"}\n',
    );
    await DataStream.from(iterableSource(records, { batchSize: 1 })).sinkTo(
      csvFileSink(join(dir, 'out.csv')),
    );
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('id,name\n1,a\n2,"b,c"\n');
    await DataStream.from(iterableSource(records, { batchSize: 1 })).sinkTo(
      arrowFileSink(join(dir, 'out.arrows')),
    );
    const reader = RecordBatchReader.from(readFileSync(join(dir, 'out.arrows')));
    const rows = [...reader].flatMap((batch) => batch.toArray().map((row) => row.toJSON()));
    expect(rows).toEqual(records);
  });

  it('writes NDJSON to stdout and hands batches to callbacks', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (chunk) => chunks.push(String(chunk)));
    await DataStream.from(iterableSource([1, [2]])).sinkTo(stdoutSink(out));
    expect(chunks.join('')).toBe('1\n[2]\n');
    const seen: number[][] = [];
    await DataStream.from(iterableSource([1, 2, 3], { batchSize: 2 })).sinkTo(
      callbackSink((batch) => void seen.push([...batch])),
    );
    expect(seen).toEqual([[1, 2], [3]]);
  });

  it('applies backpressure: a slow sink keeps the source at most one batch ahead', async () => {
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    const source = generatorSource({
      seed: 1,
      count: 200,
      batchSize: 10,
      generate: (_rng, index) => {
        produced++;
        return index;
      },
    });
    await DataStream.from(source)
      .map((x) => x * 2)
      .sinkTo(
        callbackSink(async (batch) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          consumed += batch.length;
          maxAhead = Math.max(maxAhead, produced - consumed);
        }),
      );
    expect(consumed).toBe(200);
    expect(maxAhead).toBeLessThanOrEqual(10);
  });

  it('applies backpressure from a slow stdout: memory stays bounded on a long stream', async () => {
    const slow = new PassThrough({ highWaterMark: 1024 });
    let drained = 0;
    const reading = (async () => {
      for await (const chunk of slow) {
        drained += (chunk as Buffer).length;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    let produced = 0;
    let maxBuffered = 0;
    const source = generatorSource({
      seed: 1,
      count: 20_000,
      batchSize: 100,
      generate: (_rng, index) => {
        produced++;
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        return index;
      },
    });
    await DataStream.from(source).sinkTo(stdoutSink(slow));
    slow.end();
    await reading;
    expect(produced).toBe(20_000);
    expect(drained).toBeGreaterThan(100_000);
    // One batch (~600 bytes) past the high-water mark at most, never the whole stream.
    expect(maxBuffered).toBeLessThan(4096);
  });
});
