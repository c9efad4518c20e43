import { readFileSync } from 'node:fs';
import { extractFeatures } from '../../../../src/ml/data.js';
import { toTable } from '../../../../src/ml/table-input.js';
import { readTabularFile } from '../../../../src/ml/tabular-file.js';
import type { Table } from '../../../../src/table/table.js';
import { mlFixturePath } from '../../../helpers/ml-fixtures.js';

/**
 * scikit-learn's figures for the tree family (test/fixtures/ml/trees/expected.json, made by
 * make_tree_fixtures.py there with Debian's python3-sklearn 1.2.1) and the splits they used.
 */
// biome-ignore lint/suspicious/noExplicitAny: the JSON is read as written by the script.
export const treeExpected: any = JSON.parse(readFileSync(mlFixturePath('trees/expected.json'), 'utf8'));

/** A reference figure: scikit-learn's score for each of its seeds, and their mean. */
export interface Reference {
  scores: number[];
  mean: number;
}

/**
 * The fixture's 70/30 split of one data set. scikit-learn's trees read features as float32,
 * so the features are rounded to float32 here too: near-equal doubles (diabetes has values one
 * ulp apart) are then equal for both, as they are for scikit-learn.
 */
export async function fixtureSplit(name: string): Promise<{
  train: Table;
  test: { rows: Float64Array[]; labels: number[] };
}> {
  const reference = treeExpected[name];
  const frame = await readTabularFile(mlFixturePath(`${name}.csv`));
  const { matrix } = extractFeatures(frame, 'features', [reference.label]);
  for (let at = 0; at < matrix.data.length; at++) matrix.data[at] = Math.fround(matrix.data[at]);
  const labels = frame.columns[frame.names.indexOf(reference.label)].values as Float64Array;
  const testRows = new Set<number>(reference.test);
  const trainRows = [...Array(frame.numRows).keys()].filter((i) => !testRows.has(i));
  return {
    train: toTable({
      features: trainRows.map((i) => Array.from(matrix.row(i))),
      labels: trainRows.map((i) => labels[i]),
    }),
    test: {
      rows: [...testRows].map((i) => matrix.row(i).slice()),
      labels: [...testRows].map((i) => labels[i]),
    },
  };
}
