import { availableParallelism } from 'node:os';
import { isGraphFile, PAGERANK_DEFAULTS, pageRank, readGraphFilePullIndex } from '../../index.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  readGraphEdges,
  writeVertexColumns,
} from '../graph-command.js';
import { PhaseTimer } from '../phase-timer.js';

/** `eddy pagerank`: one `key<TAB>score` line per vertex. */
export default defineCommand({
  name: 'pagerank',
  summary: 'PageRank score of every vertex of an edge list',
  description:
    "Gelly's PageRank: start at 1/N, split each score over the out-edges (by weight with --weighted), " +
    'spread the score of sinks and the random jump over all vertices, stop when the L1 change is <= ' +
    '--tolerance or after --max-iterations. Output: one "key<TAB>score" line per vertex, keys as read.',
  positionals: [edgesPositional],
  options: {
    'damping-factor': {
      type: 'number',
      default: PAGERANK_DEFAULTS.dampingFactor,
      min: 0,
      max: 1,
      description: 'probability of following an edge rather than jumping',
    },
    'max-iterations': {
      type: 'integer',
      default: PAGERANK_DEFAULTS.maxIterations,
      min: 1,
      description: 'upper bound on the rounds',
    },
    tolerance: {
      type: 'number',
      default: PAGERANK_DEFAULTS.tolerance,
      min: 0,
      description: 'stop when the L1 norm of the change is at most this',
    },
    weighted: { type: 'boolean', description: 'split scores by the weights in the third column' },
    top: { type: 'integer', min: 1, description: 'print only the N highest-scoring vertices, highest first' },
    timings: { type: 'boolean', description: 'print the seconds each phase took on stderr' },
    ...edgeInputOptions,
    parallelism: {
      type: 'integer',
      // Measured on two cores (bench/RESULTS.md): a few percent faster end to end than one
      // thread, the rounds alone about a fifth faster at R-MAT scale 20.
      default: availableParallelism(),
      min: 1,
      description:
        'threads that parse the file, index it, run the rounds and format the scores (same output at any value)',
    },
    ...outputOptions,
  },
  examples: [
    'eddy pagerank data/lesmis.tsv --top 10',
    'eddy pagerank web.tsv --max-iterations 20 --tolerance 0 --output ranks.arrow',
  ],
  async run(context) {
    const { options } = context;
    const weighted = options.weighted === true;
    const parallelism = options.parallelism as number;
    const phases = new PhaseTimer();
    // A graph file with an in-edge index gives (unweighted) PageRank only that index; other
    // graph files their CSR as stored; an edge list's arrays go to PageRank as read, which
    // indexes the in-edges straight from them.
    const path = context.positionals[0];
    const graphFile = !context.options.undirected && isGraphFile(path);
    const pull = graphFile && !weighted ? await readGraphFilePullIndex(path) : undefined;
    const edges =
      pull ??
      (graphFile ? await loadGraph(context, { weighted }) : await readGraphEdges(context, { weighted }));
    phases.end('read');
    context.phase('computing');
    const maxIterations = options.maxIterations as number;
    const ranks = await pageRank(edges, {
      parallelism,
      weighted,
      dampingFactor: options.dampingFactor as number,
      maxIterations,
      tolerance: options.tolerance as number,
      onPhase: (phase) => phases.end(phase),
      progress: context.progress({ label: 'PageRank', unit: 'rounds', total: maxIterations }),
    });
    phases.end(`${ranks.iterations} rounds`);
    const top = options.top as number | undefined;
    await writeVertexColumns(
      context,
      edges.dictionary,
      { score: ranks.values },
      top === undefined ? undefined : ranks.topIds(top),
    );
    phases.end('write');
    if (options.timings) context.stderr.write(`eddy pagerank: ${phases.summary()}\n`);
  },
});
