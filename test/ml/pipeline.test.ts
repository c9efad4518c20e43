import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KMeans, KMeansModel } from '../../algorithms/ml/kmeans/batch.js';
import { LogisticRegression } from '../../algorithms/ml/logistic-regression.js';
import { StandardScaler } from '../../algorithms/ml/scalers.js';
import { StringIndexer } from '../../algorithms/ml/string-indexer.js';
import { VectorAssembler } from '../../algorithms/ml/vector-assembler.js';
import { accuracy } from '../../src/ml/evaluation.js';
import { loadModel } from '../../src/ml/persistence.js';
import { Pipeline, PipelineModel } from '../../src/ml/pipeline.js';
import { readTabularFile, tableFromCsvText } from '../../src/ml/tabular-file.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';

describe('Pipeline', () => {
  it('fits stages in order on transformed data, and the saved model predicts the same', async () => {
    const iris = await readTabularFile(mlFixturePath('iris.csv'));
    const pipeline = new Pipeline([
      new VectorAssembler({
        inputCols: ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'],
        outputCol: 'raw',
      }),
      new StandardScaler({ inputCol: 'raw', outputCol: 'features' }),
      new LogisticRegression({ labelCol: 'species', reg: 0.001 }),
    ]);
    const model = await pipeline.fit(iris);
    const table = await model.transform(iris);
    expect(table.names).toEqual([
      ...iris.names,
      'raw',
      'features',
      'prediction',
      'rawPrediction',
      'probability',
    ]);
    const predictions = table.column('prediction')!.toArray() as string[];
    const species = iris.columns[4].values as string[];
    expect(accuracy(species, predictions)).toBeGreaterThan(0.95);
    // The scaler was fitted before the classifier saw its output: its features are standardised.
    const features = table.column('features')!;
    let mean = 0;
    for (let i = 0; i < features.length; i++) mean += features.get(i).get(0) / features.length;
    expect(mean).toBeCloseTo(0, 12);

    const path = join(mkdtempSync(join(tmpdir(), 'eddy-pipeline-')), 'pipeline.json');
    await model.save(path);
    const loaded = await loadModel(path);
    expect(loaded).toBeInstanceOf(PipelineModel);
    const again = await loaded.transform(mlFixturePath('iris.csv'));
    expect(Array.from(again.column('prediction')!.toArray() as string[])).toEqual(Array.from(predictions));
  });

  it('passes transformers through and chains an indexer into k-means', async () => {
    const frame = tableFromCsvText('x,y,tag\n0,0,a\n0,1,a\n10,10,b\n10,11,b\n', 'small.csv');
    const model = await new Pipeline([
      new StringIndexer({ inputCol: 'tag', outputCol: 'tagIndex' }),
      new KMeans({ k: 2, seed: 3, featuresCol: ['x', 'y'] }),
    ]).fit(frame);
    expect(model.stages[1]).toBeInstanceOf(KMeansModel);
    const table = await model.transform(frame);
    const clusters = Array.from(table.column('prediction')!.toArray() as Float64Array);
    const tags = Array.from(table.column('tagIndex')!.toArray() as Float64Array);
    expect(clusters[0]).toBe(clusters[1]);
    expect(clusters[2]).toBe(clusters[3]);
    expect(clusters[0]).not.toBe(clusters[2]);
    expect(tags).toEqual([0, 0, 1, 1]);
  });

  it('rejects stages that are neither estimators nor transformers', () => {
    expect(() => new Pipeline([{} as never])).toThrow("parameter 'stages[0]'");
  });
});
