// Compares two "key<TAB>value" files of integer keys in any order (eddy's output against a C++
// reference's): the largest absolute and relative difference of the values and the keys that one
// file has and the other lacks. Streams both files; memory is 8 bytes per key of the first.
// Usage: node bench/compare-outputs.mjs A.tsv B.tsv
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

async function* pairs(path) {
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    yield [Number(line.slice(0, tab)), Number(line.slice(tab + 1))];
  }
}

const [a, b] = process.argv.slice(2);
if (b === undefined) {
  console.error('usage: node bench/compare-outputs.mjs A.tsv B.tsv');
  process.exit(2);
}
let values = new Float64Array(1 << 20).fill(Number.NaN);
let count = 0;
for await (const [key, value] of pairs(a)) {
  if (key >= values.length) {
    const grown = new Float64Array(Math.max(key + 1, values.length * 2)).fill(Number.NaN);
    grown.set(values);
    values = grown;
  }
  values[key] = value;
  count++;
}
let matched = 0;
let onlyB = 0;
let maxAbs = 0;
let maxRel = 0;
for await (const [key, value] of pairs(b)) {
  const mine = key < values.length ? values[key] : Number.NaN;
  if (Number.isNaN(mine)) {
    onlyB++;
    continue;
  }
  matched++;
  const abs = Math.abs(mine - value);
  maxAbs = Math.max(maxAbs, abs);
  if (value !== 0) maxRel = Math.max(maxRel, abs / Math.abs(value));
}
console.log(
  `${a}: ${count} keys; ${b}: ${matched} matched, ${onlyB} only in ${b}, ${count - matched} only in ${a}`,
);
console.log(`largest difference: ${maxAbs} absolute, ${maxRel} relative`);
process.exit(onlyB === 0 && matched === count ? 0 : 1);
