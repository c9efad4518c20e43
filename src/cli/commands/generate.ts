import {
  circulantGraph,
  completeGraphBlocks,
  cycleGraph,
  type EdgeBlocks,
  echoGraph,
  emptyGraph,
  formatForPath,
  type GeneratedGraph,
  gridGraph,
  hypercubeGraph,
  pathGraph,
  RMAT_DEFAULTS,
  rmatGraph,
  singletonEdgeGraph,
  starGraph,
  UsageError,
  writeEdgeList,
} from '../../index.js';
import { defineCommand, type OptionValues } from '../command.js';
import { flag, refuseOptions } from '../option-rules.js';

/** Each generator with the options it reads (camelCase); the others are refused with it. */
const generatorOptions: Readonly<Record<string, readonly string[]>> = {
  rmat: ['scale', 'edgeFactor', 'a', 'b', 'c', 'noise', 'seed'],
  complete: ['vertexCount'],
  cycle: ['vertexCount'],
  path: ['vertexCount'],
  star: ['vertexCount'],
  grid: ['dimensions', 'wrap'],
  hypercube: ['dimensionCount'],
  circulant: ['vertexCount', 'offsets'],
  echo: ['vertexCount', 'vertexDegree'],
  empty: ['vertexCount'],
  'singleton-edge': ['pairCount'],
};
const generators = Object.keys(generatorOptions);
const anyGeneratorOption = [...new Set(Object.values(generatorOptions).flat())];

function required(options: OptionValues, name: string, generator: string): number {
  const value = options[name];
  if (value === undefined) throw new UsageError(`'${generator}' needs ${flag(name)}`);
  return value as number;
}

function integerList(text: string, option: string, separator: RegExp): number[] {
  const values = text.split(separator).map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isInteger(value) || value < 1)) {
    throw new UsageError(`--${option} expects positive integers like '4x4' or '1,2'; got '${text}'`);
  }
  return values;
}

function generate(name: string, options: OptionValues): GeneratedGraph | EdgeBlocks<number> {
  switch (name) {
    case 'rmat':
      return rmatGraph({
        scale: options.scale as number,
        edgeFactor: options.edgeFactor as number,
        a: options.a as number,
        b: options.b as number,
        c: options.c as number,
        noise: options.noise as number,
        seed: options.seed as number,
      });
    case 'complete':
      // Written a block at a time: a million vertices make 10^12 edges, far more than memory.
      return completeGraphBlocks(required(options, 'vertexCount', name));
    case 'cycle':
      return cycleGraph(required(options, 'vertexCount', name));
    case 'path':
      return pathGraph(required(options, 'vertexCount', name));
    case 'star':
      return starGraph(required(options, 'vertexCount', name));
    case 'grid': {
      if (options.dimensions === undefined) throw new UsageError(`'grid' needs --dimensions (like 4x4)`);
      const sizes = integerList(options.dimensions as string, 'dimensions', /x/i);
      return gridGraph(sizes.map((size) => ({ size, wrap: options.wrap === true })));
    }
    case 'hypercube':
      return hypercubeGraph(required(options, 'dimensionCount', name));
    case 'circulant': {
      if (options.offsets === undefined) throw new UsageError(`'circulant' needs --offsets (like 1,2)`);
      const offsets = integerList(options.offsets as string, 'offsets', /,/);
      return circulantGraph(required(options, 'vertexCount', name), offsets);
    }
    case 'echo':
      return echoGraph(required(options, 'vertexCount', name), required(options, 'vertexDegree', name));
    case 'empty':
      return emptyGraph(required(options, 'vertexCount', name));
    case 'singleton-edge':
      return singletonEdgeGraph(required(options, 'pairCount', name));
    default:
      throw new UsageError(`unknown generator '${name}'; one of ${generators.join(', ')}`);
  }
}

/** `eddy generate`: writes a generated graph as an edge list. */
export default defineCommand({
  name: 'generate',
  summary: 'write a generated graph (R-MAT, grid, complete, ...) as an edge list',
  description:
    'Generators follow Gelly: all but rmat make undirected graphs (every edge in both directions) over ' +
    'vertices 0..n-1; rmat makes a directed multigraph of 2^scale vertices and edgeFactor * 2^scale edges, ' +
    'the same for the same --seed. Output is one "source<TAB>target" line per edge.',
  positionals: [{ name: 'generator', description: generators.join(', '), required: true }],
  options: {
    'vertex-count': { type: 'integer', min: 0, description: 'number of vertices', valueName: 'N' },
    scale: {
      type: 'integer',
      default: RMAT_DEFAULTS.scale,
      min: 0,
      max: 30,
      description: 'rmat: log2 of the vertex count',
    },
    'edge-factor': {
      type: 'number',
      default: RMAT_DEFAULTS.edgeFactor,
      min: 0,
      description: 'rmat: edges per vertex',
    },
    a: {
      type: 'number',
      default: RMAT_DEFAULTS.a,
      min: 0,
      max: 1,
      description: 'rmat: top-left probability',
    },
    b: {
      type: 'number',
      default: RMAT_DEFAULTS.b,
      min: 0,
      max: 1,
      description: 'rmat: top-right probability',
    },
    c: {
      type: 'number',
      default: RMAT_DEFAULTS.c,
      min: 0,
      max: 1,
      description: 'rmat: bottom-left probability',
    },
    noise: {
      type: 'number',
      default: RMAT_DEFAULTS.noise,
      min: 0,
      max: 1.999,
      description: 'rmat: per-level jitter (0: off)',
    },
    seed: { type: 'integer', default: RMAT_DEFAULTS.seed, description: 'rmat: random seed' },
    dimensions: { type: 'string', description: 'grid: sizes, like 4x4x2', valueName: 'AxB' },
    wrap: { type: 'boolean', description: 'grid: connect the ends of every dimension' },
    'dimension-count': { type: 'integer', min: 1, max: 30, description: 'hypercube: number of dimensions' },
    offsets: { type: 'string', description: 'circulant: offsets, like 1,2', valueName: 'LIST' },
    'vertex-degree': { type: 'integer', min: 1, description: 'echo: neighbours per vertex' },
    'pair-count': { type: 'integer', min: 0, description: 'singleton-edge: number of edges' },
    format: {
      type: 'string',
      choices: ['tsv', 'csv', 'arrow'],
      description: 'output format (default: from --output, else tsv)',
    },
    output: {
      type: 'string',
      description: 'write here instead of stdout',
      valueName: 'FILE',
      writes: true,
    },
  },
  examples: [
    'eddy generate rmat --scale 20 --edge-factor 16 --seed 1 --output rmat20.tsv',
    'eddy generate grid --dimensions 3x3 --wrap',
    'eddy generate echo --vertex-count 10 --vertex-degree 3',
  ],
  async run(context) {
    const [name] = context.positionals;
    if (!generators.includes(name)) {
      throw new UsageError(`unknown generator '${name}'; one of ${generators.join(', ')}`);
    }
    refuseOptions(
      context,
      anyGeneratorOption.filter((option) => !generatorOptions[name].includes(option)),
      `does not apply to the '${name}' generator`,
    );
    const graph = generate(name, context.options);
    const output = context.options.output as string | undefined;
    const format = (context.options.format as 'tsv' | 'csv' | 'arrow' | undefined) ?? formatForPath(output);
    await writeEdgeList(output ?? context.stdout, graph, { format });
  },
});
