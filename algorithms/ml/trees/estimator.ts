/**
 * What the tree estimators share (one tree, forests, boosting), like scikit-learn's one base
 * class for its tree family: running the training's passes here or on the core driver's
 * threads, and the two shapes of training, classification (class labels in, class
 * probabilities out) and regression (numeric labels), around each estimator's own growth.
 */
import {
  type ClassLabel,
  type ClassLabels,
  loadData,
  type MLData,
  numericLabels,
  trainingClassLabels,
} from '../../../src/ml/data.js';
import type { ParamValues } from '../../../src/ml/params.js';
import { Estimator, type FitOptions, type Transformer } from '../../../src/ml/stage.js';
import type { Table } from '../../../src/table/table.js';
import type { Ensemble, TreeClassificationModel, TreeRegressionModel } from './models.js';
import type { treeClassificationModelParams, treeGrowthParams, treeModelParams } from './params.js';
import { type PassSequence, runPassesHere, runPassesOnThreads, trainingThreads } from './passes.js';
import { type TreeInput, treeInput } from './training.js';

/** The model class of a tree estimator: its static `Model` (`DecisionTreeClassifier.Model`, ...). */
function modelClass<C>(estimator: object): C {
  return (estimator.constructor as unknown as { Model: C }).Model;
}

type GrowthValues = ParamValues<typeof treeGrowthParams> & { featuresCol: string | readonly string[] };

/**
 * What the tree estimators share: `fitTable` runs the training's passes on the calling thread,
 * `fit` on the core driver's threads (`parallelism`, for data large enough), with the same
 * model either way.
 */
export abstract class TreeEstimator<
  S extends typeof treeGrowthParams & { featuresCol: (typeof treeModelParams)['featuresCol'] },
  M extends Transformer,
> extends Estimator<S, M> {
  fitTable(frame: Table, options: FitOptions = {}): M {
    return runPassesHere(
      this.training(frame, treeInput(frame, this.growthValues()), false),
      options.progress,
    );
  }

  /** `progress` counts the passes over the rows (a few per tree level), noted with the tree or round. */
  override async fit(data: MLData, options: FitOptions = {}): Promise<M> {
    const frame = await loadData(data);
    const params = this.growthValues();
    const input = treeInput(frame, params);
    const threads = trainingThreads(input.matrix.rows, input.matrix.columns, params.parallelism);
    return runPassesOnThreads(this.training(frame, input, threads > 1), threads, options.progress);
  }

  /** The parameters every tree estimator has (S holds them: the generic type cannot show it). */
  protected growthValues(): GrowthValues {
    return this.getParams() as unknown as GrowthValues;
  }

  /** The training as passes; `share`: its arrays must be shared with worker threads. */
  protected abstract training(frame: Table, input: TreeInput, share: boolean): PassSequence<M>;
}

type ClassifierValues = GrowthValues & ParamValues<typeof treeClassificationModelParams>;

/** A classifier of the tree family: the labels become class indices, the model keeps the classes. */
export abstract class TreeClassifierEstimator<
  S extends typeof treeGrowthParams & typeof treeClassificationModelParams,
  M extends TreeClassificationModel,
> extends TreeEstimator<S, M> {
  protected *training(frame: Table, input: TreeInput, share: boolean): PassSequence<M> {
    const params = this.getParams() as unknown as ClassifierValues;
    const { classes, indices } = trainingClassLabels(frame, params.labelCol);
    const ensemble = yield* this.grow(input, { classes, indices }, share);
    const Model =
      modelClass<
        new (
          ensemble: Ensemble,
          classes: readonly ClassLabel[],
          params: Partial<ParamValues<typeof treeClassificationModelParams>>,
        ) => M
      >(this);
    return new Model(ensemble, classes, {
      featuresCol: input.featuresCol,
      predictionCol: params.predictionCol,
      probabilityCol: params.probabilityCol,
    });
  }

  /** The trees for class indices `labels.indices` (of `labels.classes`). */
  protected abstract grow(input: TreeInput, labels: ClassLabels, share: boolean): PassSequence<Ensemble>;
}

/** A regressor of the tree family: numeric labels. */
export abstract class TreeRegressorEstimator<
  S extends typeof treeGrowthParams & typeof treeModelParams,
  M extends TreeRegressionModel,
> extends TreeEstimator<S, M> {
  protected *training(frame: Table, input: TreeInput, share: boolean): PassSequence<M> {
    const params = this.growthValues() as GrowthValues & ParamValues<typeof treeModelParams>;
    const ensemble = yield* this.grow(input, numericLabels(frame, params.labelCol), share);
    const Model =
      modelClass<new (ensemble: Ensemble, params: Partial<ParamValues<typeof treeModelParams>>) => M>(this);
    return new Model(ensemble, { featuresCol: input.featuresCol, predictionCol: params.predictionCol });
  }

  /** The trees for the targets. */
  protected abstract grow(input: TreeInput, targets: Float64Array, share: boolean): PassSequence<Ensemble>;
}
