/**
 * Compiles src/graph/iterations/gather-sum.wat (the typed path's sum combiner in WebAssembly)
 * into src/graph/iterations/gather-sum-module.ts, the module's bytes in base64, so that the
 * build and the bundled command need no WebAssembly toolchain. Run after editing the .wat:
 *   node scripts/build-gather-sum.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { base64Constant, compileGatherSum } from './wat.mjs';

const folder = new URL('../src/graph/iterations/', import.meta.url);
const bytes = await compileGatherSum(readFileSync(new URL('gather-sum.wat', folder), 'utf8'));
writeFileSync(
  new URL('gather-sum-module.ts', folder),
  `/** gather-sum.wat compiled by scripts/build-gather-sum.mjs (do not edit: run that script). */
${base64Constant('GATHER_SUM_WASM', bytes)}`,
);
console.log(`gather-sum-module.ts: ${bytes.length} bytes of WebAssembly`);
