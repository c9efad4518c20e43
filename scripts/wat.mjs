/**
 * What the scripts that compile eddy's WebAssembly text (.wat) share: compiling with wabt (a
 * devDependency: the build and the bundled command need no toolchain, since the modules are
 * committed as base64) and writing a module's bytes as a TypeScript constant.
 */
import wabtModule from 'wabt';

/** The bytes of the module in `text` (named `fileName` in errors), validated. */
export async function compileWat(fileName, text, features = {}) {
  const wabt = await wabtModule();
  const parsed = wabt.parseWat(fileName, text, features);
  try {
    parsed.validate(features);
    return Buffer.from(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/** `export const NAME = '<base64>'` of `bytes`, in lines of 96 characters. */
export function base64Constant(name, bytes) {
  return `export const ${name} = [\n${bytes
    .toString('base64')
    .match(/.{1,96}/g)
    .map((line) => `  '${line}'`)
    .join(',\n')},\n].join('');\n`;
}

/** The bytes of gather-sum.wat (its shared memory needs the threads feature). */
export function compileGatherSum(source) {
  return compileWat('gather-sum.wat', source, { threads: true });
}

/** The bytes of parse-pairs.wat. */
export function compileParsePairs(source) {
  return compileWat('parse-pairs.wat', source);
}
