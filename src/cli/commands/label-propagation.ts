import { LABEL_PROPAGATION_DEFAULTS, labelPropagation, type ValueColumn } from '../../index.js';
import { defineCommand } from '../command.js';
import {
  edgeInputOptions,
  edgesPositional,
  loadGraph,
  outputOptions,
  writeVertexColumns,
} from '../graph-command.js';

/** `eddy label-propagation`: one `key<TAB>label` line per vertex. */
export default defineCommand({
  name: 'label-propagation',
  summary: 'communities by label propagation (Gelly semantics)',
  description:
    'Every vertex starts with its own key as label and repeatedly adopts the most frequent label among ' +
    'its in-neighbours, a tie going to the greater label. Output: one "key<TAB>label" line per vertex.',
  positionals: [edgesPositional],
  options: {
    'max-iterations': {
      type: 'integer',
      default: LABEL_PROPAGATION_DEFAULTS.maxIterations,
      min: 1,
      description: 'upper bound on supersteps',
    },
    ...edgeInputOptions,
    ...outputOptions,
  },
  examples: ['eddy label-propagation data/lesmis.tsv'],
  async run(context) {
    const graph = await loadGraph(context, { weighted: false });
    const maxIterations = context.options.maxIterations as number;
    const progress = context.progress({
      label: 'label propagation',
      unit: 'supersteps',
      total: maxIterations,
    });
    const labels = labelPropagation(graph, { maxIterations, progress });
    await writeVertexColumns(context, graph.dictionary, { label: labels.values as ValueColumn });
  },
});
