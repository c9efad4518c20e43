/**
 * Checkpointed iterations for the crash tests, run as child processes from dist/ (a start costs
 * no TypeScript transform): `node iteration-crash-program.mjs <dataset|graph> <dir|-> <fresh|resume>`.
 * Each runs 50 supersteps with a checkpoint after every one (none with `-`) and prints the
 * result as JSON. The DataSet iteration resumes by itself from a checkpoint of the same plan and
 * data; the graph iteration is given `resumeFrom` when resuming and a checkpoint exists.
 */
import { existsSync, readdirSync } from 'node:fs';
import { env, sumAggregator } from '../../dist/src/dataset/index.js';
import { Graph, runVertexCentricIteration } from '../../dist/src/graph/index.js';

const SUPERSTEPS = 50;
const [kind, dir, mode] = process.argv.slice(2);
const checkpoint = dir === '-' ? undefined : { dir, every: 1 };

async function dataset() {
  const environment = env({ parallelism: 2 });
  const iteration = environment
    .generateSequence(1, 500)
    .iterate(SUPERSTEPS, { name: 'scramble', checkpoint });
  iteration.registerAggregator('total', sumAggregator());
  const next = iteration.map((value, context) => {
    const previous = context.previousAggregate('total') ?? 0;
    context.aggregate('total', value);
    return (value * 31 + context.superstep + (previous % 7)) % 1009;
  });
  const result = await iteration.closeWith(next).collect();
  return { result, report: environment.lastJob.iterations[0] };
}

function graph() {
  // A ring of 400 vertices with a chord from every 7th: every vertex messages its successors each superstep.
  const sources = [];
  const targets = [];
  for (let v = 0; v < 400; v++) {
    sources.push(v);
    targets.push((v + 1) % 400);
    if (v % 7 === 0) {
      sources.push(v);
      targets.push((v * 13 + 5) % 400);
    }
  }
  const start = Graph.fromArrays(sources, targets).mapVertices((vertex) => vertex.id % 11);
  const resumable =
    mode === 'resume' && existsSync(dir) && readdirSync(dir).some((name) => name.endsWith('.checkpoint'));
  const result = runVertexCentricIteration(
    start,
    (vertex, messages, context) => {
      let sum = vertex.value;
      for (const message of messages) sum += message;
      const value = (sum * 31 + context.getSuperstepNumber()) % 1009;
      context.setNewVertexValue(value);
      context.sendMessagesAlongEdges(() => value);
    },
    { maxIterations: SUPERSTEPS, combiner: 'sum', checkpoint, ...(resumable ? { resumeFrom: dir } : {}) },
  );
  return { values: Array.from(result.graph.numericVertexValues()), iterations: result.iterations };
}

const output = kind === 'dataset' ? await dataset() : graph();
process.stdout.write(`${JSON.stringify(output)}\n`);
