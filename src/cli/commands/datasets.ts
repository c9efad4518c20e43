import { DATASETS, datasetNames, datasetPath, UsageError } from '../../index.js';
import { defineCommand } from '../command.js';

const ACTIONS = 'list, or path NAME';

/** `eddy datasets list | path NAME`: the data sets shipped with eddy, as files for any command. */
export default defineCommand({
  name: 'datasets',
  summary: 'list the bundled data sets (iris, wine, digits, karate, ...) or print the path of one',
  description:
    "'list' writes one line per bundled data set: name, kind (table or graph), rows or edges and what it holds. " +
    "'path NAME' writes the absolute path of its file (CSV for tables, an edge list for graphs), to give to " +
    'any other command. Provenance and licences: data/README.md in the package.',
  positionals: [
    { name: 'action', description: ACTIONS, required: true },
    { name: 'name', description: 'the data set, for path', required: false },
  ],
  options: {},
  examples: ['eddy datasets list', 'eddy pagerank "$(eddy datasets path karate)" --undirected --top 3'],
  async run(context) {
    const [action, name] = context.positionals;
    if (action === 'list') {
      if (name !== undefined) throw new UsageError(`unexpected argument '${name}' after list`);
      context.stdout.write('name\tkind\tsize\tdescription\n');
      for (const dataset of DATASETS) {
        context.stdout.write(`${dataset.name}\t${dataset.kind}\t${dataset.size}\t${dataset.description}\n`);
      }
    } else if (action === 'path') {
      if (name === undefined)
        throw new UsageError(`missing argument <name>: one of ${datasetNames().join(', ')}`);
      if (!datasetNames().includes(name)) {
        throw new UsageError(`unknown data set '${name}'; expected one of ${datasetNames().join(', ')}`);
      }
      context.stdout.write(`${datasetPath(name)}\n`);
    } else {
      throw new UsageError(`unknown action '${action}'; expected ${ACTIONS}`);
    }
  },
});
