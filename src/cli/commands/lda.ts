import {
  CountVectorizer,
  corpusFromTriples,
  countVectorizerParams,
  getColumn,
  LDA,
  RegexTokenizer,
  readBagOfWords,
  readTextLines,
  readVocabulary,
  type SparseRows,
  StopWordsRemover,
  ldaParams as specs,
  Table,
  UsageError,
  writeFileAtomically,
} from '../../index.js';
import { defineCommand } from '../command.js';
import { note } from '../ml-io.js';
import { refuseOptions } from '../option-rules.js';

/** Options that shape the vocabulary of raw text only. */
const textOnlyOptions = ['minDf', 'maxDf', 'vocabularySize'];

/** scikit-learn's CountVectorizer tokens: runs of two or more word characters. */
const TOKEN_PATTERN = '\\b\\w\\w+\\b';

/** Raw text, one document per line, as term counts: tokens, English stop words out, then counts. */
async function textCorpus(
  path: string,
  options: { minDF: number; maxDF: number; vocabularySize: number },
): Promise<{ corpus: SparseRows; vocabulary: readonly string[] }> {
  const lines = await readTextLines(path);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const text = Table.fromTypedColumns(['text'], [{ kind: 'string', values: lines }], { source: path });
  const tokenizer = new RegexTokenizer({ pattern: TOKEN_PATTERN, gaps: false, outputCol: 'words' });
  const tokens = new StopWordsRemover({ inputCol: 'words', outputCol: 'tokens' }).transformTable(
    tokenizer.transformTable(text),
  );
  const vectorizer = new CountVectorizer({ ...options, outputCol: 'counts' }).fitTable(tokens);
  const counts = getColumn(vectorizer.transformTable(tokens), 'counts');
  if (counts.kind !== 'sparse') throw new Error('CountVectorizer made no sparse column');
  return { corpus: counts.values, vocabulary: vectorizer.vocabulary };
}

/** k lines, each a topic's word probabilities for word ids 1..V, tab-separated. */
function topicLines(distributions: { rows: number; row(i: number): Float64Array }): string {
  const lines: string[] = [];
  for (let t = 0; t < distributions.rows; t++) lines.push(Array.from(distributions.row(t)).join('\t'));
  return `${lines.join('\n')}\n`;
}

/** `eddy lda`: topics of a UCI bag-of-words corpus or of raw text, by online or batch variational Bayes. */
export const ldaCommand = defineCommand({
  name: 'lda',
  summary: 'LDA topic model of a UCI bag-of-words corpus or of raw text',
  description:
    'Fits a Latent Dirichlet Allocation topic model by variational Bayes (online in mini-batches, as ' +
    'Hoffman, Blei and Bach 2010, or batch) and prints each topic with its --top-words most probable ' +
    'words (TSV: topic, words). The corpus is a UCI docword file (D, W, NNZ header lines, then ' +
    '"docID wordID count" lines; gzip too) with its --vocab file, an Arrow file of (document, term, count) ' +
    'rows (ids from 0; --vocab optional), or with --text raw text, one document ' +
    'per line, tokenized as scikit-learn does, without English stop words. Progress per pass shows on a ' +
    'terminal; the E-steps run on --parallelism threads, with the same topics at any parallelism.',
  positionals: [
    {
      name: 'docword',
      description: 'UCI docword file, or .arrow (document, term, count) rows (not with --text)',
      required: false,
    },
  ],
  options: {
    vocab: { type: 'string', valueName: 'FILE', description: 'the UCI vocab file: word i on line i' },
    text: {
      type: 'string',
      valueName: 'FILE',
      description: 'raw text instead of a docword file, one document per line (- for stdin)',
    },
    topics: { type: 'integer', min: 1, valueName: 'K', description: 'the number of topics (required)' },
    passes: {
      type: 'integer',
      min: 1,
      default: specs.maxIterations.default,
      valueName: 'N',
      description: 'passes over the corpus',
    },
    'batch-size': {
      type: 'integer',
      min: 1,
      default: specs.batchSize.default,
      valueName: 'B',
      description: 'documents per online update',
    },
    method: {
      type: 'string',
      default: specs.learningMethod.default,
      choices: ['online', 'batch'],
      description: 'online (mini-batch) or batch variational Bayes',
    },
    seed: { type: 'integer', default: specs.seed.default as number, valueName: 'S', description: 'the seed' },
    parallelism: {
      type: 'integer',
      min: 1,
      default: specs.parallelism.default,
      valueName: 'P',
      description: 'threads for the E-steps (default: the number of cores); the topics are the same',
    },
    'top-words': {
      type: 'integer',
      min: 1,
      default: 10,
      valueName: 'N',
      description: 'words printed per topic',
    },
    'topics-output': {
      type: 'string',
      valueName: 'FILE',
      writes: true,
      description: "write k lines, each a topic's word probabilities for word ids 1..V, tab-separated",
    },
    model: { type: 'string', valueName: 'FILE', writes: true, description: 'save the model (JSON) here' },
    'min-df': {
      type: 'number',
      min: 0,
      default: countVectorizerParams.minDF.default,
      valueName: 'N',
      description: 'with --text: the fewest documents a word must be in (below 1: a fraction)',
    },
    'max-df': {
      type: 'number',
      min: 0,
      default: 0.5,
      valueName: 'N',
      description: 'with --text: the most documents a word may be in (below 1: a fraction)',
    },
    'vocabulary-size': {
      type: 'integer',
      min: 1,
      default: countVectorizerParams.vocabularySize.default,
      valueName: 'N',
      description: 'with --text: the most words kept, the most frequent',
    },
  },
  examples: [
    'eddy lda docword.kos.txt --vocab vocab.kos.txt --topics 20 --passes 5 --top-words 8',
    'eddy lda --text abstracts.txt --topics 10 --min-df 5 --model lda.json --topics-output topics.tsv',
  ],
  async run(context) {
    const { options, positionals } = context;
    if (options.topics === undefined) throw new UsageError('--topics is required');
    let corpus: SparseRows;
    let vocabulary: readonly string[] | undefined;
    let source: string;
    if (typeof options.text === 'string') {
      if (positionals.length > 0) throw new UsageError('give either <docword> or --text, not both');
      refuseOptions(context, ['vocab'], 'does not apply with --text (the vocabulary comes from the text)');
      source = options.text;
      ({ corpus, vocabulary } = await textCorpus(source, {
        minDF: options.minDf as number,
        maxDF: options.maxDf as number,
        vocabularySize: options.vocabularySize as number,
      }));
    } else {
      if (positionals.length === 0) throw new UsageError('missing argument <docword> (or --text FILE)');
      refuseOptions(context, textOnlyOptions, 'applies to --text only');
      source = positionals[0];
      if (/\.(arrow|arrows|ipc)$/i.test(source)) {
        // An Arrow table of (document, term, count) rows, term ids from 0.
        vocabulary = typeof options.vocab === 'string' ? await readVocabulary(options.vocab) : undefined;
        corpus = await corpusFromTriples(source, { vocabularySize: vocabulary?.length });
      } else {
        ({ corpus, vocabulary } = await readBagOfWords(source, options.vocab as string | undefined));
      }
    }
    const passes = options.passes as number;
    const lda = new LDA({
      k: options.topics as number,
      maxIterations: passes,
      batchSize: options.batchSize as number,
      learningMethod: options.method as 'online' | 'batch',
      seed: options.seed as number,
      parallelism: options.parallelism as number,
    });
    const progress = context.progress({ label: `lda ${source}`, total: passes, unit: 'passes' });
    const started = performance.now();
    const model = await lda.fitCorpus(corpus, {
      vocabulary,
      onPass: (pass) => progress.update(pass, `pass ${pass} of ${passes}`),
    });
    progress.finish();
    note(
      context,
      `lda: ${corpus.rows} documents, ${corpus.columns} words, ${corpus.total()} tokens, ` +
        `${model.k} topics, ${passes} ${options.method} passes in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    if (typeof options.model === 'string') await model.save(options.model);
    if (typeof options.topicsOutput === 'string') {
      await writeFileAtomically(options.topicsOutput, topicLines(model.topicWordDistributions()));
    }
    const lines = ['topic\twords'];
    for (const topic of model.describeTopics(options.topWords as number)) {
      const words = topic.terms ?? Array.from(topic.termIndices, (w) => String(w + 1));
      lines.push(`${topic.topic}\t${words.join(' ')}`);
    }
    context.stdout.write(`${lines.join('\n')}\n`);
  },
});
