/**
 * Compiles algorithms/ml/mlp/dense-gemm.wat (the networks' matrix product in WebAssembly SIMD)
 * into algorithms/ml/mlp/dense-gemm-module.ts, the module's bytes in base64, so that the build
 * and the bundled command need no WebAssembly toolchain. Run after editing the .wat:
 *   node scripts/build-dense-gemm.mjs
 * (wabt, a devDependency, is the only tool it needs).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import wabtModule from 'wabt';

const folder = new URL('../algorithms/ml/mlp/', import.meta.url);
const source = readFileSync(new URL('dense-gemm.wat', folder), 'utf8');
const wabt = await wabtModule();
const parsed = wabt.parseWat('dense-gemm.wat', source, { simd: true });
parsed.validate();
const { buffer } = parsed.toBinary({});
parsed.destroy();
const base64 = Buffer.from(buffer).toString('base64');
const lines = base64.match(/.{1,96}/g).map((line) => `  '${line}'`);
writeFileSync(
  new URL('dense-gemm-module.ts', folder),
  `/** dense-gemm.wat compiled by scripts/build-dense-gemm.mjs (do not edit: run that script). */
export const DENSE_GEMM_WASM = [
${lines.join(',\n')},
].join('');
`,
);
console.log(`dense-gemm-module.ts: ${buffer.length} bytes of WebAssembly`);
