import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CheckpointStore,
  contentHash,
  jsonPayload,
  parseJsonPayload,
  parseValuePayload,
  valuePayload,
} from '../../src/core/checkpoint-store.js';
import { InputError, OutputError } from '../../src/core/errors.js';

const directory = () => mkdtempSync(join(tmpdir(), 'eddy-store-'));
const store = (dir: string, fingerprint: Record<string, string> = { parameters: 'k=3' }, retain = 2) =>
  new CheckpointStore({ directory: dir, kind: 'test-job', fingerprint, retain });

/** A real checkpoint file's bytes: a stream job's state after some records. */
async function realCheckpoint(): Promise<{ dir: string; path: string; bytes: Buffer }> {
  const dir = directory();
  const s = store(dir);
  await s.prepare();
  await s.write(
    7,
    jsonPayload({ position: { offset: 123456 }, records: 4000, state: { fit: { pending: [1.5, -2.25] } } }),
  );
  const path = s.pathOf(7);
  return { dir, path, bytes: readFileSync(path) };
}

/** Expects reading the checkpoint in `dir` to be refused with an InputError naming its file. */
async function expectRefused(dir: string, path: string): Promise<void> {
  const error = await store(dir)
    .latest()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).message).toContain(path);
}

describe('CheckpointStore', () => {
  it('writes verified checkpoints, returns the latest and keeps the newest `retain`', async () => {
    const dir = directory();
    const s = store(dir);
    await s.prepare();
    expect(await s.latest()).toBeUndefined();
    for (let id = 1; id <= 4; id++) await s.write(id, jsonPayload({ op: id }));
    const latest = await s.latest();
    expect(latest?.id).toBe(4);
    expect(latest?.complete).toBe(false);
    expect(parseJsonPayload(latest!)).toEqual({ op: 4 });
    expect(readdirSync(dir).sort()).toEqual([
      'checkpoint-00000003.checkpoint',
      'checkpoint-00000004.checkpoint',
    ]);
    s.writeSync(5, valuePayload({ values: new Float64Array([1, Number.NaN]), missing: undefined }), true);
    const last = s.latestSync()!;
    expect(last.complete).toBe(true);
    expect(parseValuePayload(last)).toEqual({
      values: new Float64Array([1, Number.NaN]),
      missing: undefined,
    });
    await s.clear();
    expect(await s.latest()).toBeUndefined();
  });

  it('two overlapping writes of one job both succeed, in order (regression: ENOENT on rename)', async () => {
    const dir = directory();
    const s = store(dir, {}, 3);
    await s.prepare();
    // The old store removed every *.json.tmp after a write, deleting the other write's temporary file.
    const writes = [];
    for (let id = 1; id <= 6; id++)
      writes.push(s.write(id, jsonPayload({ id, filler: 'x'.repeat(100_000) })));
    await expect(Promise.all(writes)).resolves.toHaveLength(6);
    expect(parseJsonPayload((await s.latest())!)).toMatchObject({ id: 6 });
    expect(readdirSync(dir).sort()).toEqual([
      'checkpoint-00000004.checkpoint',
      'checkpoint-00000005.checkpoint',
      'checkpoint-00000006.checkpoint',
    ]);
  });

  it('leaves the temporary file of a write in flight alone; removes stale ones only at start-up', async () => {
    const dir = directory();
    const s = store(dir);
    await s.prepare();
    const inFlight = join(dir, '.checkpoint-00000009.checkpoint.eddy-tmp-99999-0');
    writeFileSync(inFlight, 'half a checkpoint');
    await s.write(1, jsonPayload({}));
    expect(readdirSync(dir)).toContain('.checkpoint-00000009.checkpoint.eddy-tmp-99999-0');
    await store(dir).prepare();
    expect(readdirSync(dir)).toEqual(['checkpoint-00000001.checkpoint']);
  });

  it('stops with an OutputError naming the file when its directory vanished', async () => {
    const dir = directory();
    const s = store(dir);
    await s.prepare();
    await s.write(1, jsonPayload({}));
    rmSync(dir, { recursive: true });
    await expect(s.write(2, jsonPayload({}))).rejects.toThrow(OutputError);
    await expect(s.write(3, jsonPayload({}))).rejects.toThrow(join(dir, 'checkpoint-00000003.checkpoint'));
  });

  it('refuses a checkpoint of another job, naming what differs', async () => {
    const dir = directory();
    await store(dir, { parameters: 'k=3', input: 'a.ndjson 100 bytes' }).write(1, jsonPayload({}));
    await expect(store(dir, { parameters: 'k=4', input: 'a.ndjson 100 bytes' }).latest()).rejects.toThrow(
      /another parameters.*k=3.*k=4/s,
    );
    await expect(store(dir, { parameters: 'k=3', input: 'a.ndjson 101 bytes' }).latest()).rejects.toThrow(
      /another input/,
    );
    await expect(store(dir, { parameters: 'k=3' }).latest()).rejects.toThrow(/another input/);
    await expect(
      new CheckpointStore({ directory: dir, kind: 'other', fingerprint: {} }).latest(),
    ).rejects.toThrow(/another kind of job/);
  });

  it('refuses every truncation of a real checkpoint', async () => {
    const { dir, path, bytes } = await realCheckpoint();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), async (length) => {
        writeFileSync(path, bytes.subarray(0, length));
        await expectRefused(dir, path);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses any bit flip of a real checkpoint', async () => {
    const { dir, path, bytes } = await realCheckpoint();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: bytes.length * 8 - 1 }), { minLength: 1, maxLength: 3 }),
        async (bits) => {
          const flipped = Buffer.from(bytes);
          for (const bit of bits) flipped[bit >> 3] ^= 1 << (bit & 7);
          writeFileSync(path, flipped);
          await expectRefused(dir, path);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses edits of any field of a real checkpoint, in its header or its state', async () => {
    const { dir, path, bytes } = await realCheckpoint();
    const text = bytes.toString('utf8');
    const newline = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, newline));
    const payload = JSON.parse(text.slice(newline + 1));
    const edits: [string, unknown][] = [
      ['id', 8],
      ['complete', true],
      ['bytes', header.bytes - 1],
      ['version', 2],
      ['kind', 'stream-job'],
      ['fingerprint', { parameters: 'k=4' }],
      ['fingerprint', {}],
      ['checksum', '0'.repeat(64)],
      ['format', 'something'],
    ];
    const values = fc.oneof(fc.integer(), fc.constant(null), fc.constant({}), fc.string(), fc.double());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(...edits).map(([key, value]) => ({ where: 'header' as const, key, value })),
          fc
            .record({ key: fc.constantFrom('records', 'position', 'state'), value: values })
            .map((edit) => ({ where: 'payload' as const, ...edit })),
          fc
            .constantFrom('null', '{}', '[]', '')
            .map((value) => ({ where: 'whole' as const, key: '', value })),
        ),
        async (edit) => {
          let edited: string;
          if (edit.where === 'whole') edited = edit.value as string;
          else if (edit.where === 'header') {
            edited = `${JSON.stringify({ ...header, [edit.key]: edit.value })}\n${text.slice(newline + 1)}`;
          } else {
            const changed = JSON.stringify({ ...payload, [edit.key]: edit.value });
            edited = `${JSON.stringify({ ...header, bytes: Buffer.byteLength(changed) })}\n${changed}`;
          }
          fc.pre(edited !== text);
          writeFileSync(path, edited);
          await expectRefused(dir, path);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('contentHash', () => {
  it('hashes typed arrays by their bytes and objects by their sorted keys', () => {
    expect(contentHash({ a: 1, b: new Int32Array([1, 2]) })).toBe(
      contentHash({ b: new Int32Array([1, 2]), a: 1 }),
    );
    expect(contentHash(new Int32Array([1, 2]))).not.toBe(contentHash(new Int32Array([2, 1])));
    expect(contentHash(new Float64Array([1]))).not.toBe(contentHash(new Int32Array([0, 1072693248])));
  });
});
