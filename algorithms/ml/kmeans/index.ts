/** k-means, batch (Lloyd with k-means++) and online (Spark's StreamingKMeans), on one model of centres. */
export { KMeans, KMeansModel, type KMeansResult } from './batch.js';
export {
  type DecayTimeUnit,
  OnlineKMeans,
  type OnlineKMeansFitVersion,
  OnlineKMeansModel,
  type OnlineKMeansModelJson,
  type OnlineKMeansParams,
  type OnlineKMeansTransformOptions,
  type OnlineKMeansVersion,
  onlineKMeansParams,
} from './online.js';
export type { MiniBatchAssignments } from './online-fitting.js';
export { kMeansModelParams, kMeansParams } from './params.js';
