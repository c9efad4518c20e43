/**
 * Compiles algorithms/ml/mlp/dense-gemm.wat (the networks' matrix product in WebAssembly SIMD)
 * into algorithms/ml/mlp/dense-gemm-module.ts: the module's bytes in base64, as written and with
 * its multiply-adds fused (scripts/dense-gemm-wasm.mjs), so that the build and the bundled
 * command need no WebAssembly toolchain. Run after editing the .wat:
 *   node scripts/build-dense-gemm.mjs
 * (wabt, a devDependency, is the only tool it needs).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compileDenseGemm } from './dense-gemm-wasm.mjs';
import { base64Constant as constant } from './wat.mjs';

const folder = new URL('../algorithms/ml/mlp/', import.meta.url);
const { plain, fused } = await compileDenseGemm(readFileSync(new URL('dense-gemm.wat', folder), 'utf8'));
writeFileSync(
  new URL('dense-gemm-module.ts', folder),
  `/** dense-gemm.wat compiled by scripts/build-dense-gemm.mjs (do not edit: run that script). */
${constant('DENSE_GEMM_WASM', plain)}
/** The same with the inner loops' multiply-adds fused (relaxed SIMD). */
${constant('DENSE_GEMM_FUSED_WASM', fused)}`,
);
console.log(`dense-gemm-module.ts: ${plain.length} and ${fused.length} bytes of WebAssembly`);
