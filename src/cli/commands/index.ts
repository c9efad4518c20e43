import type { CommandSpec } from '../command.js';
import adamicAdar from './adamic-adar.js';
import clusteringCoefficient from './clustering-coefficient.js';
import communityDetection from './community-detection.js';
import components from './components.js';
import generate from './generate.js';
import hits from './hits.js';
import jaccard from './jaccard.js';
import { kmeansCommand } from './kmeans.js';
import labelPropagation from './label-propagation.js';
import { linearRegressionCommand } from './linear-regression.js';
import { logisticRegressionCommand } from './logistic-regression.js';
import metrics from './metrics.js';
import pagerank from './pagerank.js';
import { predictCommand } from './predict.js';
import sssp from './sssp.js';
import triangles from './triangles.js';

/** Every `eddy` sub-command, in the order `eddy --help` lists them. */
export const commands: readonly CommandSpec[] = [
  generate,
  pagerank,
  hits,
  components,
  sssp,
  labelPropagation,
  communityDetection,
  triangles,
  clusteringCoefficient,
  jaccard,
  adamicAdar,
  metrics,
  kmeansCommand,
  linearRegressionCommand,
  logisticRegressionCommand,
  predictCommand,
];
