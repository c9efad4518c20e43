/**
 * Importing the public entry loads no package and no native module: every dependency loads where it
 * is first used (DuckDB, half a second and 80 MB, on the first SQL query; apache-arrow, 100-200 ms,
 * on the first Arrow operation), so a program pays only for what it uses. Runs the built entry in
 * a fresh process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';

it('import of the public entry loads no native module; the first SQL query loads DuckDB', () => {
  expect(existsSync('dist/src/index.js'), 'dist/ is missing: run npm run build').toBe(true);
  const script = `
    const natives = () => process.report.getReport().sharedObjects.filter((path) => path.endsWith('.node'));
    const eddy = await import('./dist/src/index.js');
    const atImport = natives();
    const engine = new eddy.SqlEngine();
    const table = await engine.sqlQuery('SELECT 42 AS answer');
    await engine.close();
    console.log(JSON.stringify({ atImport, afterQuery: natives(), rows: table.numRows }));`;
  const run = spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const { atImport, afterQuery, rows } = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(atImport).toEqual([]);
  expect((afterQuery as string[]).some((path) => path.includes('duckdb'))).toBe(true);
  expect(rows).toBe(1);
});

// Records what a script loads: every URL the ES loader resolves (seen by a resolve hook, which
// reports on a port; a last sentinel import tells that every earlier report has arrived) and every
// file require() loaded (require.cache). `await loaded(tag)` lists both.
const hooks = `
  let port;
  export function initialize(data) { port = data.port; }
  export async function resolve(specifier, context, next) {
    const result = await next(specifier, context);
    port.postMessage(result.url);
    return result;
  }`;
const tracing = `
  import { createRequire, register } from 'node:module';
  import { MessageChannel } from 'node:worker_threads';
  const { port1, port2 } = new MessageChannel();
  const resolved = [];
  port1.on('message', (url) => resolved.push(url));
  port1.unref();
  register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), {
    data: { port: port2 },
    transferList: [port2],
  });
  const loaded = async (tag) => {
    const sentinel = 'data:text/javascript,//' + tag;
    await import(sentinel);
    while (!resolved.includes(sentinel)) await new Promise((wake) => setTimeout(wake, 5));
    return [...resolved, ...Object.keys(createRequire(process.cwd() + '/').cache)];
  };`;

it('import of the public entry loads no package at all: every dependency loads where it is first used', () => {
  expect(existsSync('dist/src/index.js'), 'dist/ is missing: run npm run build').toBe(true);
  // Every command and every user pays for what the entry loads; a package imported at the top
  // of any library module (seedrandom, ml-matrix, ndarray, apache-arrow, the NATS clients,
  // DuckDB, TensorFlow.js) would show here, by ES import or by require().
  const script = `${tracing}
    const eddy = await import('./dist/src/index.js');
    const all = await loaded('import');
    const atImport = all.filter((path) => path.includes('/node_modules/'));
    // The entry is a bundle (scripts/bundle-cli.mjs): a few files, not its 260 modules one by one.
    const files = new Set(all.filter((path) => path.includes('/dist/'))).size;
    const drawn = eddy.random(1).integer(0, 10);
    const afterUse = (await loaded('use')).filter((path) => path.includes('/node_modules/seedrandom/'));
    console.log(JSON.stringify({ atImport, files, afterUse: afterUse.length, drawn, exports: Object.keys(eddy).length }));`;
  const run = spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const { atImport, files, afterUse, drawn, exports } = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(atImport).toEqual([]);
  expect(files).toBeGreaterThan(0);
  expect(files).toBeLessThan(30);
  // The tracing sees a package that does load: the first random stream loads seedrandom.
  expect(afterUse).toBeGreaterThan(0);
  expect(Number.isInteger(drawn) && (drawn as number) >= 0 && (drawn as number) < 10).toBe(true);
  expect(exports).toBeGreaterThan(300);
});

it('import of the public entry loads no apache-arrow; the first Arrow operation loads the one a user imports', () => {
  expect(existsSync('dist/src/index.js'), 'dist/ is missing: run npm run build').toBe(true);
  const script = `${tracing}
    const loadedArrow = async (tag) => (await loaded(tag)).filter((path) => path.includes('apache-arrow'));
    const eddy = await import('./dist/src/index.js');
    const atImport = await loadedArrow('import');
    const table = eddy.tableFromColumns({ x: new Float64Array([1, 2, 3]) });
    const afterUse = await loadedArrow('use');
    const { Table } = await import('apache-arrow');
    console.log(JSON.stringify({ atImport, afterUse, rows: table.numRows, same: table instanceof Table }));`;
  const run = spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const { atImport, afterUse, rows, same } = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(atImport).toEqual([]);
  expect((afterUse as string[]).length).toBeGreaterThan(0);
  expect(rows).toBe(3);
  expect(same).toBe(true);
});

it('import of the public entry loads no TensorFlow.js; loadTensorFlow() starts the WebAssembly backend', () => {
  expect(existsSync('dist/src/index.js'), 'dist/ is missing: run npm run build').toBe(true);
  // eddy loads TensorFlow.js with require() only (src/core/tensorflow-module.ts): require.cache shows it.
  const script = `
    import { createRequire } from 'node:module';
    const loaded = () => Object.keys(createRequire(process.cwd() + '/').cache).filter((path) => path.includes('@tensorflow'));
    const eddy = await import('./dist/src/index.js');
    const atImport = loaded();
    const tf = await eddy.loadTensorFlow();
    console.log(JSON.stringify({ atImport, afterLoad: loaded().length, backend: tf.backend }));`;
  const run = spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const { atImport, afterLoad, backend } = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(atImport).toEqual([]);
  expect(afterLoad).toBeGreaterThan(0);
  expect(backend).toBe('wasm');
});

it('import of the public entry loads no NATS client; connecting loads it', () => {
  expect(existsSync('dist/src/index.js'), 'dist/ is missing: run npm run build').toBe(true);
  // The NATS clients are CommonJS, so whatever loads them, they land in require.cache.
  const script = `
    import { createRequire } from 'node:module';
    const loaded = () => Object.keys(createRequire(process.cwd() + '/').cache).filter((path) => path.includes('@nats-io'));
    const eddy = await import('./dist/src/index.js');
    const atImport = loaded();
    const error = await eddy.connectNats({ servers: 'nats://127.0.0.1:1', timeout: 500 }).catch((e) => e);
    console.log(JSON.stringify({ atImport, afterConnect: loaded().length, message: error.message }));`;
  const run = spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const { atImport, afterConnect, message } = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(atImport).toEqual([]);
  expect(afterConnect).toBeGreaterThan(0);
  expect(message).toContain('nats://127.0.0.1:1');
});

it("the three entries share their classes: a Table from loadDataset is the index's Table, a parallel PageRank gives its VertexValues", () => {
  expect(existsSync('dist/src/index.js'), 'dist/ is missing: run npm run build').toBe(true);
  // scripts/bundle-cli.mjs bundles index, notebook and datasets together (dist/lib); were they
  // bundled apart, a Table from loadDataset would not be an instanceof the index's Table.
  const script = `
    import { createRequire } from 'node:module';
    const eddy = await import('./dist/src/index.js');
    const datasets = await import('./dist/src/datasets/index.js');
    const notebook = await import('./dist/src/notebook/index.js');
    const iris = await datasets.loadDataset('iris');
    const karate = await datasets.loadGraphDataset('karate');
    // A parallel PageRank runs its kernel on this thread too (the bundle's registry hands it the
    // bundled module): its result must be of the index's class.
    const ranks = await eddy.pageRank(karate, { parallelism: 2, maxIterations: 5 });
    const required = createRequire(process.cwd() + '/')('./dist/src/index.js');
    console.log(JSON.stringify({
      table: iris instanceof eddy.Table,
      graph: karate instanceof eddy.Graph,
      result: ranks instanceof eddy.VertexValues,
      vertices: karate.numberOfVertices(),
      notebook: typeof notebook.htmlTable,
      required: required.Table === eddy.Table && required.loadDataset === datasets.loadDataset,
    }));`;
  const run = spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const seen = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(seen).toEqual({
    table: true,
    graph: true,
    result: true,
    vertices: 34,
    notebook: 'function',
    required: true,
  });
});
