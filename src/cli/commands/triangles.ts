import { countTriangles, TRIANGLE_CHUNKS, triangles } from '../../index.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  writeKeyRows,
} from '../graph-command.js';
import { refuseOptions } from '../option-rules.js';

/** `eddy triangles`: every triangle as `a<TAB>b<TAB>c`, or `--count` alone. */
export default defineCommand({
  name: 'triangles',
  summary: 'list the triangles (or --count them) of the undirected graph',
  description:
    'Triangles with edge direction ignored, self-loops and repeated edges dropped. Output: one ' +
    '"a<TAB>b<TAB>c" line per triangle, or with --count the number of triangles alone (counted on ' +
    '--parallelism threads: degree-ordered orientation, sorted-merge intersections).',
  positionals: [edgesPositional],
  options: {
    count: { type: 'boolean', description: 'print the number of triangles alone' },
    ...edgeInputOptions,
    parallelism: {
      ...edgeInputOptions.parallelism,
      description: 'threads that parse the file and count (--count; same count at any value)',
    },
    ...outputOptions,
  },
  examples: ['eddy triangles data/lesmis.tsv --count', 'eddy triangles data/lesmis.tsv'],
  async run(context) {
    const count = context.options.count === true;
    if (count)
      refuseOptions(context, ['output', 'format'], 'does not apply to --count (one number on stdout)');
    const graph = await loadGraph(context, { weighted: false });
    if (count) {
      const progress = context.progress({
        label: 'counting triangles',
        unit: 'chunks',
        total: TRIANGLE_CHUNKS,
      });
      const parallelism = context.options.parallelism as number;
      context.stdout.write(`${await countTriangles(graph, { parallelism, progress })}\n`);
      return;
    }
    const progress = context.progress({
      label: 'listing triangles',
      unit: 'vertices',
      total: graph.csr.vertexCount,
    });
    const found = triangles(graph, { list: true, progress });
    const listing = found.listing!;
    const column = (k: number) => Int32Array.from({ length: found.count }, (_, t) => listing[3 * t + k]);
    await writeKeyRows(context, graph.dictionary, { first: column(0), second: column(1), third: column(2) });
  },
});
