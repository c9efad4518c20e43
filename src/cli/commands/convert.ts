import {
  buildCsr,
  renumberEdges,
  renumberedDictionary,
  VERTEX_ORDERS,
  type VertexOrder,
  vertexOrder,
  writeGraphFile,
} from '../../index.js';
import { defineCommand } from '../command.js';
import { edgeInputOptions, edgesPositional, readGraphEdges } from '../graph-command.js';
import { PhaseTimer } from '../phase-timer.js';

/** `eddy convert`: an edge list into a binary graph file that every graph command reads. */
export default defineCommand({
  name: 'convert',
  summary: 'convert an edge list into a binary graph file (.eddy) that loads without parsing',
  description:
    'Reads the edge list once (plain or .gz, with the usual input options) and writes its vertex keys and ' +
    'CSR index, and with --in-edges its in-edge index, as little-endian arrays with checksums (layout in the ' +
    'README). Every graph command takes the graph file in place of the edge list; a third column is kept as ' +
    'the weights. With --reorder the vertices are stored in another order for locality (results are still ' +
    'reported under the keys as read). The file is written atomically.',
  positionals: [edgesPositional, { name: 'graph', description: 'the graph file to write', required: true }],
  options: {
    'in-edges': { type: 'boolean', description: 'also store the in-edge index (what PageRank pulls along)' },
    reorder: {
      type: 'string',
      default: 'none',
      choices: ['none', ...VERTEX_ORDERS],
      description:
        'store the vertices by descending degree (degree) or in breadth-first order along out-edges (bfs)',
    },
    timings: { type: 'boolean', description: 'print the seconds each phase took on stderr' },
    ...edgeInputOptions,
  },
  examples: [
    'eddy convert web-Google.txt.gz web.eddy',
    'eddy convert web.tsv web.eddy --in-edges --reorder degree',
    'eddy pagerank web.eddy --top 10',
  ],
  async run(context) {
    const phases = new PhaseTimer();
    const edges = await readGraphEdges(context, { weighted: 'auto' });
    phases.end('read');
    let dictionary = edges.dictionary;
    const reorder = context.options.reorder as VertexOrder | 'none';
    if (reorder !== 'none') {
      const newId = vertexOrder(reorder, dictionary.size, edges.sources, edges.targets);
      renumberEdges(newId, edges.sources, edges.targets);
      dictionary = renumberedDictionary(dictionary, newId);
      phases.end('reorder');
    }
    const { csr } = buildCsr(dictionary.size, edges.sources, edges.targets, { weights: edges.weights });
    phases.end('index');
    await writeGraphFile(
      context.positionals[1],
      { dictionary, csr },
      { inEdges: context.options.inEdges === true },
    );
    phases.end('write');
    if (context.options.timings) context.stderr.write(`eddy convert: ${phases.summary()}\n`);
  },
});
