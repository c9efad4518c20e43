import { InputError, ParamError } from '../core/errors.js';
import type { Table } from '../table/table.js';
import { loadData, type MLData } from './data.js';
import { checkStageJSON, modelFromJSON, readModelJSON, registerModelType } from './persistence.js';
import { Estimator, type StageJSON, Transformer } from './stage.js';

/** A stage of a {@link Pipeline}: something to fit, or something that only transforms. */
// biome-ignore lint/suspicious/noExplicitAny: stages have different parameter specs.
export type PipelineStage = Estimator<any, Transformer> | Transformer;

/**
 * The fitted form of a {@link Pipeline}: its stages' models, applied in order. Saved as
 * `{ "type": "pipeline", "params": {}, "stages": [ ...each stage's JSON ] }`.
 */
export class PipelineModel extends Transformer<Record<string, never>> {
  readonly type = 'pipeline';
  readonly stages: readonly Transformer[];

  constructor(stages: readonly Transformer[]) {
    super({});
    this.stages = stages;
  }

  override async ready(): Promise<void> {
    for (const stage of this.stages) await stage.ready();
  }

  transformTable(frame: Table): Table {
    return this.stages.reduce((data, stage) => stage.transformTable(data), frame);
  }

  protected stateJSON(): Record<string, unknown> {
    return { stages: this.stages.map((stage) => stage.toJSON()) };
  }

  /** Reads a saved pipeline model back (each stage by its own type). */
  static fromJSON(json: unknown, source = '<json>'): PipelineModel {
    const stage = checkStageJSON(json, source, 'pipeline');
    if (!Array.isArray(stage.stages)) {
      throw new InputError('pipeline model has no "stages" list', {
        file: source,
        expected: 'a saved pipeline',
      });
    }
    return new PipelineModel(stage.stages.map((s: StageJSON) => modelFromJSON(s, source)));
  }

  /** Loads a pipeline model saved with `save(path)`. */
  static async load(path: string): Promise<PipelineModel> {
    return PipelineModel.fromJSON(await readModelJSON(path), path);
  }
}

registerModelType('pipeline', PipelineModel.fromJSON);

/**
 * Stages fitted in order, each on the output of the stages before it (Flink ML's and
 * scikit-learn's Pipeline).
 * @example
 * const model = await new Pipeline([
 *   new StandardScaler({ inputCol: 'features', outputCol: 'scaled' }),
 *   new KMeans({ k: 3, featuresCol: 'scaled' }),
 * ]).fit(points);
 * const table = await model.transform(points);   // features, scaled, prediction
 */
export class Pipeline {
  readonly stages: readonly PipelineStage[];

  constructor(stages: readonly PipelineStage[]) {
    stages.forEach((stage, i) => {
      if (!(stage instanceof Estimator) && !(stage instanceof Transformer)) {
        throw new ParamError(`stages[${i}]`, stage, 'an Estimator or a Transformer');
      }
    });
    this.stages = stages;
  }

  /** Fits every estimator in order, transforming the data between stages. */
  fitTable(frame: Table): PipelineModel {
    const models: Transformer[] = [];
    let data = frame;
    this.stages.forEach((stage, i) => {
      const model = stage instanceof Estimator ? stage.fitTable(data) : stage;
      models.push(model);
      if (i < this.stages.length - 1) data = model.transformTable(data);
    });
    return new PipelineModel(models);
  }

  /** Fits the pipeline on data in memory or in a CSV / Arrow IPC file. */
  async fit(data: MLData): Promise<PipelineModel> {
    for (const stage of this.stages) await stage.ready();
    return this.fitTable(await loadData(data));
  }
}
