/**
 * Compiles the graph layer's WebAssembly text into TypeScript modules of base64 bytes, so that
 * the build and the bundled command need no WebAssembly toolchain. Run after editing a .wat:
 *   node scripts/build-wasm.mjs
 * (the networks' dense-gemm.wat has its own script, scripts/build-dense-gemm.mjs).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { base64Constant, compileGatherSum, compileParsePairs } from './wat.mjs';

const modules = [
  ['src/graph/iterations/gather-sum', 'GATHER_SUM_WASM', compileGatherSum],
  ['src/graph/parse-pairs', 'PARSE_PAIRS_WASM', compileParsePairs],
];
for (const [path, name, compile] of modules) {
  const base = new URL(`../${path}`, import.meta.url);
  const file = path.split('/').pop();
  const bytes = await compile(readFileSync(new URL(`${base.href}.wat`), 'utf8'));
  writeFileSync(
    new URL(`${base.href}-module.ts`),
    `/** ${file}.wat compiled by scripts/build-wasm.mjs (do not edit: run that script). */\n${base64Constant(name, bytes)}`,
  );
  console.log(`${file}-module.ts: ${bytes.length} bytes of WebAssembly`);
}
