/**
 * Importing the public entry loads no native module: DuckDB (half a second, 80 MB) loads on the
 * first SQL query; nor apache-arrow (100-200 ms), which loads on the first Arrow operation. Every
 * `eddy` command imports the entry, so this is the CLI's start-up too.
 * Runs the built entry in a fresh process.
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

it('import of the public entry loads no apache-arrow; the first Arrow operation loads the one a user imports', () => {
  expect(existsSync('dist/src/index.js'), 'dist/ is missing: run npm run build').toBe(true);
  // Arrow could come in by an ES import (seen by a resolve hook, which reports on a port; a last
  // sentinel import tells that every earlier report has arrived) or by require() (require.cache).
  const hooks = `
    let port;
    export function initialize(data) { port = data.port; }
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      port.postMessage(result.url);
      return result;
    }`;
  const script = `
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
    const loadedArrow = async (tag) => {
      const sentinel = 'data:text/javascript,//' + tag;
      await import(sentinel);
      while (!resolved.includes(sentinel)) await new Promise((wake) => setTimeout(wake, 5));
      const required = Object.keys(createRequire(process.cwd() + '/').cache);
      return [...resolved, ...required].filter((path) => path.includes('apache-arrow'));
    };
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
