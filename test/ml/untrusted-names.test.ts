/**
 * Names that come from files (CSV headers, saved models) are data, not JavaScript properties:
 * `__proto__` is a column like any other, `constructor` is no parameter. Errors in such files
 * name the file, and a text cell is blamed on its own line (issue 16, "Inputs").
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from '../../src/dataset/sources.js';
import { csvSource, DataStream, InputError, loadModel } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-names-'));

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe('a CSV column named __proto__', () => {
  const path = file('proto.csv', 'x,__proto__\n1,2\n3,4\n');

  it('is a field of stream records', async () => {
    const records = (await DataStream.from(csvSource(path)).collect()) as Record<string, unknown>[];
    expect(records.map((r) => Object.hasOwn(r, '__proto__'))).toEqual([true, true]);
    expect(records.map((r) => Object.getOwnPropertyDescriptor(r, '__proto__')?.value)).toEqual([2, 4]);
  });

  it('is a field of DataSet records', async () => {
    const records = await readCsvRecords(path, {});
    expect(records.map((r) => Object.getOwnPropertyDescriptor(r, '__proto__')?.value)).toEqual([2, 4]);
  });
});

describe('a saved model', () => {
  const model = {
    type: 'linear-regression',
    params: { featuresCol: ['a'], predictionCol: 'prediction' },
    coefficients: [2],
    intercept: 1,
  };

  it('with constructor or toString as a parameter is an InputError naming the file', async () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const path = file(`${name}.json`, JSON.stringify({ ...model, params: { ...model.params, [name]: 1 } }));
      const error = await loadModel(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `${path}: invalid value for parameter 'linear-regression.params': "${name}"; expected one of featuresCol, predictionCol`,
      );
    }
  });

  it('with a parameter value its spec refuses names the file', async () => {
    const path = file(
      'bad.json',
      JSON.stringify({ ...model, params: { ...model.params, predictionCol: 5 } }),
    );
    await expect(loadModel(path)).rejects.toThrow(`${path}: invalid value for parameter 'predictionCol': 5`);
  });
});

describe('a text cell in a numeric column', () => {
  it('is blamed on its own line and value', async () => {
    const path = file('c_text.csv', 'a,b,label\n1,2,0\n3,x,1\n4,5,0\n');
    const run = await runCli([
      'linear-regression',
      'train',
      path,
      '--label',
      'label',
      '--model',
      join(directory, 'm.json'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path}:3: feature column 'b' is not numeric: got "x"`);
    const label = file('label_text.csv', 'a,label\n1,2\n3,\n4,oops\n');
    const labelRun = await runCli([
      'linear-regression',
      'train',
      label,
      '--label',
      'label',
      '--model',
      join(directory, 'm.json'),
    ]);
    expect(labelRun.stderr).toContain(`${label}:4: label column 'label' is not numeric: got "oops"`);
  });
});
