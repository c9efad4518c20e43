import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import {
  DATASETS,
  datasetInfo,
  datasetNames,
  datasetPath,
  loadDataset,
  loadGraphDataset,
} from '../../src/datasets/index.js';
import { Table } from '../../src/table/table.js';

const root = resolve(import.meta.dirname, '../..');

describe('bundled data sets', () => {
  it('are the five scikit-learn tables and the two graphs (with the karate clubs), in data/', () => {
    expect(datasetNames()).toEqual([
      'iris',
      'wine',
      'breast-cancer',
      'digits',
      'diabetes',
      'lesmis',
      'karate',
      'karate-clubs',
    ]);
    for (const name of datasetNames())
      expect(datasetPath(name)).toBe(resolve(root, 'data', datasetInfo(name).file));
  });

  it('each have a provenance and licence note in data/README.md', () => {
    const notes = readFileSync(resolve(root, 'data/README.md'), 'utf8');
    for (const { name, file } of DATASETS) {
      const row = notes.split('\n').find((line) => line.startsWith(`| \`${name}\` | \`${file}\``));
      expect(row, name).toBeDefined();
      expect(row?.split(' | ').length, name).toBe(6);
    }
  });

  it('load as Tables with the rows and columns scikit-learn gives', async () => {
    const iris = await loadDataset('iris');
    expect(iris).toBeInstanceOf(Table);
    expect(iris.numRows).toBe(150);
    expect(iris.getSchema().getFieldNames()).toEqual([
      'sepal_length_cm',
      'sepal_width_cm',
      'petal_length_cm',
      'petal_width_cm',
      'species',
    ]);
    expect(iris.toRows()[0]).toEqual({
      sepal_length_cm: 5.1,
      sepal_width_cm: 3.5,
      petal_length_cm: 1.4,
      petal_width_cm: 0.2,
      species: 'setosa',
    });
    const shapes: Record<string, [number, number]> = {
      wine: [178, 14],
      'breast-cancer': [569, 31],
      digits: [1797, 65],
      diabetes: [442, 11],
      'karate-clubs': [34, 2],
    };
    for (const [name, [rows, columns]] of Object.entries(shapes)) {
      const table = await loadDataset(name);
      expect([table.numRows, table.getSchema().getFieldNames().length], name).toEqual([rows, columns]);
      expect(table.numRows, name).toBe(datasetInfo(name).size);
    }
    const cancer = (await loadDataset('breast-cancer')).toRows();
    // scikit-learn: 212 malignant, 357 benign.
    expect(cancer.filter((row) => row.malignant === 1).length).toBe(212);
  });

  it('graphs load as edge tables and as Graphs matching networkx (77/254 and 34/78)', async () => {
    const edges = await loadDataset('karate');
    expect(edges.getSchema().getFieldNames()).toEqual(['source', 'target', 'weight']);
    expect(edges.toRows()[0]).toEqual({ source: 0, target: 1, weight: 4 });
    const karate = await loadGraphDataset('karate');
    expect([karate.numberOfVertices(), karate.numberOfEdges()]).toEqual([34, 78]);
    const lesmis = await loadGraphDataset('lesmis');
    expect([lesmis.numberOfVertices(), lesmis.numberOfEdges()]).toEqual([77, 254]);
    expect((await loadDataset('lesmis')).toRows()[1]).toEqual({
      source: 'Myriel',
      target: 'MlleBaptistine',
      weight: 8,
    });
    const clubs = (await loadDataset('karate-clubs')).toRows();
    expect(clubs.filter((row) => row.club === 'Officer').length).toBe(17);
  });

  it('an unknown name, or a table asked for as a graph, is a ParamError listing the names', async () => {
    expect(() => datasetPath('irsi')).toThrow(ParamError);
    expect(() => datasetPath('irsi')).toThrow(/one of iris, wine, .*karate-clubs/);
    await expect(loadDataset('nope')).rejects.toThrow(ParamError);
    await expect(loadGraphDataset('iris')).rejects.toThrow(/a graph data set: one of lesmis, karate/);
  });
});
