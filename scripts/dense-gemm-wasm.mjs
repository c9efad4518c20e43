/**
 * dense-gemm.wat into WebAssembly, twice: as written (plain SIMD), and with the accumulating
 * multiply-adds of its inner loops fused (`f32x4.relaxed_madd`, relaxed SIMD: one FMA
 * instruction where the processor has one). Shared by scripts/build-dense-gemm.mjs and the test
 * that checks the committed module against the .wat.
 */
import { compileWat } from './wat.mjs';

/** The accumulations the fused kernel fuses: `acc + x * b` in the 4 x 8 block and in row4. */
const BLOCK_STEP = /\(f32x4\.add \(local\.get (\$c\d\d)\) \(f32x4\.mul \(local\.get \$x\) \(local\.get (\$b\d)\)\)\)/g;
const ROW_STEP =
  /\(f32x4\.add \(local\.get \$sum\)\s+\(f32x4\.mul \(v128\.load32_splat \(local\.get \$a\)\) \(v128\.load \(local\.get \$b\)\)\)\)/g;
/** How many of each the .wat holds: a changed .wat must change these on purpose. */
const EXPECTED = { block: 8, row: 1 };

/** The .wat with its inner loops' multiply-adds fused. */
export function fuseMultiplyAdds(source) {
  let block = 0;
  let row = 0;
  const fused = source
    .replace(BLOCK_STEP, (_, acc, b) => {
      block++;
      return `(f32x4.relaxed_madd (local.get $x) (local.get ${b}) (local.get ${acc}))`;
    })
    .replace(ROW_STEP, () => {
      row++;
      return '(f32x4.relaxed_madd (v128.load32_splat (local.get $a)) (v128.load (local.get $b)) (local.get $sum))';
    });
  if (block !== EXPECTED.block || row !== EXPECTED.row) {
    throw new Error(
      `dense-gemm.wat: fused ${block} block and ${row} row multiply-adds, expected ${EXPECTED.block} and ${EXPECTED.row}`,
    );
  }
  return fused;
}

/** The plain and the fused module's bytes. */
export async function compileDenseGemm(source) {
  const compile = (text) => compileWat('dense-gemm.wat', text, { simd: true, relaxed_simd: true });
  return { plain: await compile(source), fused: await compile(fuseMultiplyAdds(source)) };
}
