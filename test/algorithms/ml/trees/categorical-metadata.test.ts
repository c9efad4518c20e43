import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table as ArrowTable, RecordBatch, Schema, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { StringIndexer } from '../../../../algorithms/ml/string-indexer.js';
import {
  type DecisionTreeClassificationModel,
  DecisionTreeClassifier,
} from '../../../../algorithms/ml/trees/decision-tree.js';
import { GBTClassifier } from '../../../../algorithms/ml/trees/gbt.js';
import { RandomForestClassifier } from '../../../../algorithms/ml/trees/random-forest.js';
import { VectorAssembler } from '../../../../algorithms/ml/vector-assembler.js';
import { InputError } from '../../../../src/core/errors.js';
import { random } from '../../../../src/core/random.js';
import { loadModel } from '../../../../src/ml/persistence.js';
import { Pipeline, PipelineModel } from '../../../../src/ml/pipeline.js';
import { toTable } from '../../../../src/ml/table-input.js';
import { tableFromCsvText } from '../../../../src/ml/tabular-file.js';
import { Table } from '../../../../src/table/table.js';
import { CATEGORIES_METADATA } from '../../../../src/table/typed-columns.js';

const COLOURS = ['red', 'green', 'blue', 'yellow', 'purple', 'orange'];

/**
 * Rows of (colour, size, label): the label is 1 for green, purple and orange (not neighbours in
 * any index order StringIndexer gives), flipped for large sizes, so the best first split is a
 * subset of colours, which no single threshold on the index can make.
 */
function colourRows(seed: number, rows: number): Table {
  const rng = random(seed);
  const lines = ['colour,size,label'];
  for (let i = 0; i < rows; i++) {
    // Frequencies differ by colour, so the frequency order of the indexer is fixed.
    const colour = COLOURS[Math.min(COLOURS.length - 1, Math.floor(rng.uniform() ** 1.3 * COLOURS.length))];
    const size = Math.round(rng.uniform() * 100) / 10;
    const positive = ['green', 'purple', 'orange'].includes(colour) !== size > 9;
    lines.push(`${colour},${size},${positive ? 1 : 0}`);
  }
  return tableFromCsvText(`${lines.join('\n')}\n`, 'colours.csv');
}

const indexer = () => new StringIndexer({ inputCol: 'colour', outputCol: 'colourIndex' });
const assembler = () => new VectorAssembler({ inputCols: ['colourIndex', 'size'], outputCol: 'features' });

/** StringIndexer -> VectorAssembler -> DecisionTreeClassifier, fitted on `frame`. */
const fitPipeline = (frame: Table) =>
  new Pipeline([indexer(), assembler(), new DecisionTreeClassifier({ labelCol: 'label', maxDepth: 3 })]).fit(
    frame,
  );

/** The nodes of a fitted tree model, as saved. */
const treeJSON = (model: { toJSON(): unknown }) => (model.toJSON() as { trees: unknown }).trees;

describe('categorical features from StringIndexer (column metadata)', () => {
  it('StringIndexer marks its output; VectorAssembler keeps the slot', () => {
    const frame = colourRows(1, 200);
    const indexed = indexer().fitTable(frame).transformTable(frame);
    const column = indexed.columns[indexed.names.indexOf('colourIndex')];
    expect(column).toMatchObject({ kind: 'number', categories: 6 });
    const kept = new StringIndexer({ inputCol: 'colour', outputCol: 'colourIndex', handleInvalid: 'keep' })
      .fitTable(frame)
      .transformTable(frame);
    expect(kept.columns[kept.names.indexOf('colourIndex')]).toMatchObject({ categories: 7 });
    const assembled = new VectorAssembler({
      inputCols: ['size', 'colourIndex'],
      outputCol: 'v',
    }).transformTable(indexed);
    const vector = assembled.columns[assembled.names.indexOf('v')];
    expect(vector.kind === 'vector' && [...(vector.categories ?? [])]).toEqual([[1, 6]]);
    // A plain numeric column stays plain.
    const size = assembled.columns[assembled.names.indexOf('size')];
    expect(size.kind === 'number' && size.categories).toBeUndefined();
  });

  it('a tree after StringIndexer -> VectorAssembler splits the colours by a subset, as when declared', async () => {
    const frame = colourRows(2, 1500);
    const pipeline = await fitPipeline(frame);
    const tree = pipeline.stages[2] as DecisionTreeClassificationModel;
    expect(tree.tree.nodes.feature[0]).toBe(0);
    const labels = (pipeline.stages[0] as unknown as { labels: readonly string[] }).labels;
    const positives = ['green', 'purple', 'orange'].map((colour) => labels.indexOf(colour)).sort();
    const subset = tree.tree.nodes.categories[0]!;
    const other = [0, 1, 2, 3, 4, 5].filter((c) => !positives.includes(c));
    expect([positives, other]).toContainEqual(subset);
    expect(tree.toDebugString()).toMatch(/^if \(f0 in \{/);

    // The same rows with the index as a plain number: the same tree only when declared categorical.
    const indexed = assembler().transformTable(indexer().fitTable(frame).transformTable(frame));
    const matrix = indexed.columns[indexed.names.indexOf('features')].values;
    const plain = toTable({
      features: matrix as never,
      labels: (indexed.columns[indexed.names.indexOf('label')].values as Float64Array).slice(),
    });
    const declared = new DecisionTreeClassifier({ maxDepth: 3, categoricalFeatures: [0] }).fitTable(plain);
    expect(treeJSON(declared)).toEqual(treeJSON(tree));
    const undeclared = new DecisionTreeClassifier({ maxDepth: 3 }).fitTable(plain);
    expect(undeclared.tree.nodes.categories[0]).toBeNull();

    // On the core driver's threads too, and for forests and boosting.
    const threaded = await new DecisionTreeClassifier({ labelCol: 'label', maxDepth: 3, parallelism: 2 }).fit(
      indexed,
    );
    expect(treeJSON(threaded)).toEqual(treeJSON(tree));
    for (const estimator of [
      new RandomForestClassifier({
        labelCol: 'label',
        numTrees: 3,
        maxDepth: 2,
        featureSubsetStrategy: 'all',
      }),
      new GBTClassifier({ labelCol: 'label', maxIter: 2, maxDepth: 2 }),
    ]) {
      const model = estimator.fitTable(indexed);
      expect(model.trees[0].nodes.categories[0]).not.toBeNull();
    }
  });

  it('scalar feature columns after StringIndexer are categorical too', () => {
    const frame = indexer().fitTable(colourRows(3, 800)).transformTable(colourRows(3, 800));
    const model = new DecisionTreeClassifier({
      labelCol: 'label',
      featuresCol: ['size', 'colourIndex'],
      maxDepth: 2,
    }).fitTable(frame);
    expect(model.tree.nodes.feature[0]).toBe(1);
    expect(model.tree.nodes.categories[0]).not.toBeNull();
  });

  it('the categories survive Arrow IPC; malformed metadata is an InputError', () => {
    const frame = assembler().transformTable(
      indexer().fitTable(colourRows(4, 50)).transformTable(colourRows(4, 50)),
    );
    const table = tableFromIPC(tableToIPC(frame.toArrow(), 'file'));
    expect(table.schema.fields.find((f) => f.name === 'colourIndex')!.metadata.get(CATEGORIES_METADATA)).toBe(
      '6',
    );
    const back = Table.fromArrow(table, 'back.arrow');
    expect(back.columns[back.names.indexOf('colourIndex')]).toMatchObject({ categories: 6 });
    const vector = back.columns[back.names.indexOf('features')];
    expect(vector.kind === 'vector' && [...(vector.categories ?? [])]).toEqual([[0, 6]]);

    for (const [name, text] of [
      ['features', '[[5, 2]]'],
      ['features', '{"0": 6}'],
      ['colourIndex', '0'],
      ['colourIndex', 'six'],
    ]) {
      const schema = new Schema(
        table.schema.fields.map((field) =>
          field.name === name ? field.clone({ metadata: new Map([[CATEGORIES_METADATA, text]]) }) : field,
        ),
      );
      const broken = new ArrowTable(
        schema,
        table.batches.map((batch) => new RecordBatch(schema, batch.data)),
      );
      expect(() => Table.fromArrow(broken, 'bad.arrow').columns, text).toThrow(InputError);
      expect(() => Table.fromArrow(broken, 'bad.arrow').columns, text).toThrow(`column '${name}'`);
    }
  });

  it('a saved and loaded pipeline model predicts the same and still marks the column', async () => {
    const frame = colourRows(5, 1000);
    const model = await fitPipeline(frame);
    const path = join(mkdtempSync(join(tmpdir(), 'eddy-categorical-')), 'pipeline.json');
    await model.save(path);
    const loaded = await loadModel(path);
    expect(loaded).toBeInstanceOf(PipelineModel);
    const fresh = colourRows(6, 300);
    const before = model.transformTable(fresh);
    const after = (loaded as PipelineModel).transformTable(fresh);
    const predictions = (f: Table) =>
      Array.from(f.columns[f.names.indexOf('prediction')].values as Float64Array);
    expect(predictions(after)).toEqual(predictions(before));
    expect(after.columns[after.names.indexOf('colourIndex')]).toMatchObject({ categories: 6 });
    const loadedTree = (loaded as PipelineModel).stages[2] as DecisionTreeClassificationModel;
    expect(loadedTree.tree.nodes.categories[0]).not.toBeNull();
    expect(treeJSON(loadedTree)).toEqual(treeJSON(model.stages[2] as DecisionTreeClassificationModel));
  });
});
