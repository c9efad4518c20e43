import { mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Bool,
  Dictionary,
  Field,
  Float64,
  Int32,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkArrowIpcBytes, checkArrowIpcFile } from '../../src/core/arrow-ipc-check.js';
import { InputError } from '../../src/core/errors.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-arrow-check-'));

/** Tables of many types: numbers, strings, booleans with nulls, a dictionary, lists, a struct, several batches. */
function tables(): Table[] {
  const numbers = tableFromArrays({ x: Float64Array.from([1, 2, 3]), y: Int32Array.from([4, 5, 6]) });
  const mixed = new Table({
    name: vectorFromArray(['a', 'b', null], new Utf8()),
    flag: vectorFromArray([true, null, false], new Bool()),
    kind: vectorFromArray(['u', 'v', 'u'], new Dictionary(new Utf8(), new Int32())),
    list: vectorFromArray([[1], [2, 3], []], new List(new Field('item', new Float64(), true))),
    pair: vectorFromArray(
      [
        { a: 1, b: 'p' },
        { a: 2, b: 'q' },
        { a: 3, b: 'r' },
      ],
      new Struct([new Field('a', new Float64()), new Field('b', new Utf8())]),
    ),
  });
  const schema = new Schema([new Field('v', new Float64())]);
  const batch = (values: number[]) =>
    new RecordBatch(
      schema,
      makeData({
        type: new Struct(schema.fields),
        length: values.length,
        children: [makeData({ type: new Float64(), data: Float64Array.from(values) })],
      }),
    );
  const batches = new Table([batch([1, 2]), batch([3]), batch([4, 5, 6])]);
  const empty = tableFromArrays({ x: new Float64Array(0) });
  return [numbers, mixed, batches, empty];
}

function outcome(bytes: Uint8Array): string {
  try {
    checkArrowIpcBytes(bytes, 'x.arrow');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /^x\.arrow: corrupt Arrow IPC data \(.+\): expected an Arrow IPC/,
    );
    return 'refused';
  }
  try {
    // What passes the check, Arrow JS reads or refuses at once.
    tableFromIPC(bytes);
    return 'read';
  } catch {
    return 'refused by Arrow';
  }
}

describe('checkArrowIpcBytes / checkArrowIpcFile', () => {
  it('passes what Arrow writes, file and stream format, of every type', async () => {
    for (const [i, table] of tables().entries()) {
      for (const format of ['file', 'stream'] as const) {
        const bytes = tableToIPC(table, format);
        expect(() => checkArrowIpcBytes(bytes, 'x.arrow'), `${i} ${format}`).not.toThrow();
        const path = join(directory, `ok-${i}.${format}`);
        writeFileSync(path, bytes);
        const handle = await open(path, 'r');
        await expect(checkArrowIpcFile(handle, path)).resolves.toBeUndefined();
        await handle.close();
      }
    }
  });

  it('refuses a record-batch count or field count that the bytes cannot hold (what made Arrow JS spin)', () => {
    const file = tableToIPC(tables()[0], 'file');
    // The footer's vector of record-batch blocks: its length is the uint32 just before the blocks.
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const footerLength = view.getInt32(file.length - 10, true);
    const footer = file.length - 10 - footerLength;
    let patched = 0;
    for (let at = footer; at < file.length - 10 - 4; at += 4) {
      // The block vector holds one block at offset 8: its length field reads 1 followed by 8.
      if (view.getUint32(at, true) === 1 && Number(view.getBigInt64(at + 4, true)) === 8) {
        const garbled = new Uint8Array(file);
        new DataView(garbled.buffer).setUint32(at, 0x7fffffff, true);
        expect(() => checkArrowIpcBytes(garbled, 'x.arrow')).toThrow(/corrupt Arrow IPC data \(footer\)/);
        patched++;
      }
    }
    expect(patched).toBe(1);
    expect(() => checkArrowIpcBytes(file.subarray(0, file.length >> 1), 'x.arrow')).toThrow(
      /no ARROW1 at the end of the file/,
    );
  });

  it('fuzzed: flipped bytes and truncations are refused with an InputError or read, never looped on', () => {
    const sources = tables().flatMap((table) => [tableToIPC(table, 'file'), tableToIPC(table, 'stream')]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sources.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        (which, flips, cut) => {
          const source = sources[which];
          const bytes = new Uint8Array(source);
          for (const [at, mask] of flips) bytes[at % bytes.length] ^= mask;
          const garbled = cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length);
          expect(['refused', 'read', 'refused by Arrow']).toContain(outcome(garbled));
        },
      ),
      { numRuns: 300, seed: 16 },
    );
  });
});
