/** Latent Dirichlet Allocation: online and batch variational Bayes, its model, and the UCI bag-of-words reader. */
export { LDA, type LdaFitOptions } from './lda.js';
export { LDAModel, type LdaModelOptions, type TopicDescription } from './model.js';
export { ldaModelParams, ldaParams } from './params.js';
export { corpusFromTriples, type TripleColumns } from './triples.js';
export { type BagOfWords, readBagOfWords, readDocword, readVocabulary } from './uci-bag-of-words.js';
