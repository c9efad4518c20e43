/**
 * The bundled command line (scripts/bundle-cli.mjs) loads only the modules a command uses. These
 * tests run the built executable (npm test builds first) to show what that must not break:
 * `eddy predict` still reads a model of any type, a graph command loads no ML module, and a
 * command loads no module that only another command uses.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = 'dist/src/cli/bin.js';
const work = mkdtempSync(join(tmpdir(), 'eddy-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function eddy(...args: string[]): string {
  return execFileSync('node', [bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * The packages and the library's modules that `eddy ...args` loads: a module hook logs every file
 * it loads, and the bundle's chunks name the modules they were made of in their comments.
 */
function loadedBy(...args: string[]): { packages: string[]; modules: string[] } {
  const log = join(work, 'loaded.txt');
  rmSync(log, { force: true });
  writeFileSync(
    join(work, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return next(url, context);
}`,
  );
  writeFileSync(
    join(work, 'register.mjs'),
    "import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);",
  );
  execFileSync('node', ['--import', pathToFileURL(join(work, 'register.mjs')).href, bin, ...args]);
  const loaded = readFileSync(log, 'utf8').split('\n');
  const chunks = loaded.filter((url) => url.includes('/dist/cli/'));
  expect(chunks.length).toBeGreaterThan(2);
  const modules = chunks.flatMap((url) =>
    [...readFileSync(fileURLToPath(url), 'utf8').matchAll(/^\/\/ (dist\/\S+\.js)$/gm)].map((m) => m[1]),
  );
  return { packages: loaded.filter((url) => url.includes('/node_modules/')), modules };
}

function jsFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? jsFiles(path) : entry.name.endsWith('.js') ? [path] : [];
  });
}

describe('the bundled command line', () => {
  it('names every module that registers a model type, for loadModel', () => {
    const registering = [...jsFiles('dist/src'), ...jsFiles('dist/algorithms')].filter(
      (file) =>
        !file.includes(`${join('src', 'cli')}`) && /^registerModelType\(/m.test(readFileSync(file, 'utf8')),
    );
    expect(registering.length).toBeGreaterThan(5);
    const entry = readFileSync('dist/cli/eddy.js', 'utf8');
    const registry = entry.slice(entry.indexOf('registerModelTypeModules(['));
    const named = registry.slice(0, registry.indexOf(']);')).match(/import\(/g) ?? [];
    expect(named.length).toBe(registering.length);
  });

  it('predicts with models whose modules no other part of the command loads', () => {
    const kmeans = join(work, 'kmeans.json');
    eddy(
      'kmeans',
      'data/iris.csv',
      '--k',
      '3',
      '--ignore',
      'species',
      '--seed',
      '1',
      '--model',
      kmeans,
      '--quiet',
    );
    expect(eddy('predict', '--model', kmeans, 'data/iris.csv').split('\n').slice(0, 2)).toEqual([
      'prediction',
      expect.stringMatching(/^[012]$/),
    ]);
    const classifier = join(work, 'classifier.json');
    eddy(
      'logistic-regression',
      'train',
      'data/iris.csv',
      '--label',
      'species',
      '--model',
      classifier,
      '--quiet',
    );
    expect(eddy('predict', '--model', classifier, 'data/iris.csv').split('\n')[1]).toBe('setosa');
  });

  it('loads no package and no machine-learning, stream, table or DataSet module for a graph command', () => {
    const { packages, modules } = loadedBy('pagerank', 'data/lesmis.tsv', '--top', '1');
    // Nor any package: seedrandom, ndarray, ml-matrix and apache-arrow load on first use.
    expect(packages).toEqual([]);
    expect(modules).toContain('dist/algorithms/graph/pagerank/pagerank.js');
    expect(modules.filter((m) => /dist\/(algorithms\/ml|src\/(stream|table|dataset))\//.test(m))).toEqual([]);
  });

  it("loads no other command's algorithm: a command's imports from the public entry reach only what it uses", () => {
    // Through the public entry's re-exports every command would reach every module that another
    // command uses, and esbuild would put them all in the chunks each command loads.
    const components = loadedBy('components', 'data/lesmis.tsv', '--output', join(work, 'components.tsv'));
    expect(components.modules).toContain('dist/algorithms/graph/connected-components.js');
    const others =
      /dist\/algorithms\/graph\/(pagerank|hits|triangles|similarity|sssp|label-propagation|metrics)/;
    expect(components.modules.filter((m) => others.test(m))).toEqual([]);
    // A stream job (each NATS worker too) loads the online estimator, not the batch one and the
    // DataSet engine it runs on.
    const points = join(work, 'points.ndjson');
    writeFileSync(points, '[0,0]\n[0,1]\n[9,9]\n[9,8]\n');
    const stream = loadedBy(
      'kmeans',
      '--stream',
      points,
      '--k',
      '2',
      '--output',
      join(work, 'clusters.ndjson'),
    );
    expect(stream.modules).toContain('dist/algorithms/ml/kmeans/online.js');
    const batch =
      /dist\/(algorithms\/ml\/kmeans\/(batch|lloyd)|src\/dataset\/(environment|runtime\/executor))\.js/;
    expect(stream.modules.filter((m) => batch.test(m))).toEqual([]);
    const generate = loadedBy('generate', 'rmat', '--scale', '4', '--output', join(work, 'rmat.tsv'));
    expect(generate.modules).toContain('dist/src/graph/generators.js');
    expect(generate.modules.filter((m) => m.startsWith('dist/algorithms/'))).toEqual([]);
  });
});
