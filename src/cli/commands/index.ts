import type { CommandEntry } from '../command.js';

/**
 * Every `eddy` sub-command, in the order `eddy --help` lists them. A command's module is imported
 * only when that command runs.
 */
export const commands: readonly CommandEntry[] = [
  {
    name: 'generate',
    summary: 'write a generated graph (R-MAT, grid, complete, ...) as an edge list',
    load: async () => (await import('./generate.js')).default,
  },
  {
    name: 'convert',
    summary: 'convert an edge list into a binary graph file (.eddy) that loads without parsing',
    load: async () => (await import('./convert.js')).default,
  },
  {
    name: 'pagerank',
    summary: 'PageRank score of every vertex of an edge list',
    load: async () => (await import('./pagerank.js')).default,
  },
  {
    name: 'hits',
    summary: 'HITS hub and authority scores of every vertex',
    load: async () => (await import('./hits.js')).default,
  },
  {
    name: 'components',
    summary: 'connected components: each vertex with the key of its component',
    load: async () => (await import('./components.js')).default,
  },
  {
    name: 'sssp',
    summary: 'shortest-path distance of every vertex from a source vertex',
    load: async () => (await import('./sssp.js')).default,
  },
  {
    name: 'label-propagation',
    summary: 'communities by label propagation (Gelly semantics)',
    load: async () => (await import('./label-propagation.js')).default,
  },
  {
    name: 'community-detection',
    summary: 'communities by score-attenuated label propagation (Gelly CommunityDetection)',
    load: async () => (await import('./community-detection.js')).default,
  },
  {
    name: 'triangles',
    summary: 'list the triangles (or --count them) of the undirected graph',
    load: async () => (await import('./triangles.js')).default,
  },
  {
    name: 'clustering-coefficient',
    summary: 'local, average or global clustering coefficient of the undirected graph',
    load: async () => (await import('./clustering-coefficient.js')).default,
  },
  {
    name: 'jaccard',
    summary: 'Jaccard index of the vertex pairs that share a neighbour',
    load: async () => (await import('./jaccard.js')).default,
  },
  {
    name: 'adamic-adar',
    summary: 'Adamic-Adar index of the vertex pairs that share a neighbour',
    load: async () => (await import('./adamic-adar.js')).default,
  },
  {
    name: 'metrics',
    summary: 'vertex and edge metrics: counts, degrees, triplets, self-loops, reciprocity',
    load: async () => (await import('./metrics.js')).default,
  },
  {
    name: 'kmeans',
    summary: 'k-means clustering of the rows of a CSV or Arrow file',
    load: async () => (await import('./kmeans.js')).kmeansCommand,
  },
  {
    name: 'linear-regression',
    summary: 'train a linear regression (least squares, ridge, elastic net) on a CSV or Arrow file',
    load: async () => (await import('./linear-regression.js')).linearRegressionCommand,
  },
  {
    name: 'logistic-regression',
    summary: 'train a logistic regression classifier (binomial or multinomial) on a CSV or Arrow file',
    load: async () => (await import('./logistic-regression.js')).logisticRegressionCommand,
  },
  {
    name: 'standard-scaler',
    summary: 'fit a standard scaler (feature means and deviations) online over a NATS JetStream subject',
    load: async () => (await import('./standard-scaler.js')).standardScalerCommand,
  },
  {
    name: 'lda',
    summary: 'LDA topic model of a UCI bag-of-words corpus or of raw text',
    load: async () => (await import('./lda.js')).ldaCommand,
  },
  {
    name: 'decision-tree',
    summary: 'train a decision tree (classification or regression) on a CSV or Arrow file, or show one',
    load: async () => (await import('./decision-tree.js')).decisionTreeCommand,
  },
  {
    name: 'random-forest',
    summary: 'train a random forest (classification or regression) on a CSV or Arrow file',
    load: async () => (await import('./random-forest.js')).randomForestCommand,
  },
  {
    name: 'gbt',
    summary: 'train gradient-boosted trees (binary classification or regression) on a CSV or Arrow file',
    load: async () => (await import('./gbt.js')).gbtCommand,
  },
  {
    name: 'mlp',
    summary: 'train a neural network (multilayer perceptron, TensorFlow.js) on a CSV or Arrow file',
    load: async () => (await import('./mlp.js')).mlpCommand,
  },
  {
    name: 'predict',
    summary: 'apply a saved model (k-means, regression, classifier, pipeline) to a CSV or Arrow file',
    load: async () => (await import('./predict.js')).predictCommand,
  },
  {
    name: 'cep',
    summary: 'match a pattern (JSON states and transitions) over NDJSON events (Flink CEP semantics)',
    load: async () => (await import('./cep.js')).default,
  },
  {
    name: 'datasets',
    summary: 'list the bundled data sets (iris, wine, digits, karate, ...) or print the path of one',
    load: async () => (await import('./datasets.js')).default,
  },
];
