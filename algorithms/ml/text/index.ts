/** Text features in Spark ML's and Flink ML's names: tokens, stop words, n-grams, term counts, IDF. */
export {
  CountVectorizer,
  CountVectorizerModel,
  countVectorizerModelParams,
  countVectorizerParams,
} from './count-vectorizer.js';
export { ENGLISH_STOP_WORDS } from './english-stop-words.js';
export { HashingTF, hashingTFParams } from './hashing-tf.js';
export { IDF, IDFModel, idfModelParams, idfParams } from './idf.js';
export { NGram, nGramParams } from './ngram.js';
export { StopWordsRemover, stopWordsRemoverParams } from './stop-words-remover.js';
export { RegexTokenizer, regexTokenizerParams, Tokenizer, tokenizerParams } from './tokenizer.js';
