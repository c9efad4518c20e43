import type { GraphIndex, PairScores, SimilarityOptions, VertexKey } from '../index.js';
import { type CommandSpec, defineCommand } from './command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  writeKeyRows,
} from './graph-command.js';

/** What distinguishes one vertex-pair similarity command from another. */
export interface SimilarityCommandSpec {
  name: string;
  summary: string;
  /** How a pair is scored, in words, for `--help`. */
  scoreDescription: string;
  example: string;
  score(
    graph: GraphIndex<VertexKey>,
    options: SimilarityOptions & { parallelism: number },
  ): Promise<PairScores<VertexKey>>;
}

/** A command writing one `a<TAB>b<TAB>score` line per vertex pair with a shared neighbour. */
export function similarityCommand(spec: SimilarityCommandSpec): CommandSpec {
  return defineCommand({
    name: spec.name,
    summary: spec.summary,
    description:
      'On the undirected graph without self-loops and repeated edges, every pair with at least one shared ' +
      `neighbour is scored: ${spec.scoreDescription}. Output: one "a<TAB>b<TAB>score" line per pair scoring at least ` +
      '--minimum-score.',
    positionals: [edgesPositional],
    options: {
      'minimum-score': {
        type: 'number',
        default: 0,
        min: 0,
        description: 'leave out pairs scoring below this',
      },
      ...edgeInputOptions,
      parallelism: {
        ...edgeInputOptions.parallelism,
        description: 'threads that parse the file and score the pairs (same pairs and scores at any value)',
      },
      ...outputOptions,
    },
    examples: [spec.example],
    async run(context) {
      const graph = await loadGraph(context, { weighted: false });
      const progress = context.progress({
        label: `scoring pairs (${spec.name})`,
        unit: 'vertices',
        total: graph.csr.vertexCount,
      });
      const pairs = await spec.score(graph, {
        minimumScore: context.options.minimumScore as number,
        parallelism: context.options.parallelism as number,
        progress,
      });
      await writeKeyRows(
        context,
        graph.dictionary,
        { first: pairs.first, second: pairs.second },
        { score: pairs.scores },
      );
    },
  });
}
