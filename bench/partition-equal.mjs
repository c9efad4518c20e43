// Usage: node bench/partition-equal.mjs A.tsv B.tsv: whether two "vertex<TAB>label" files
// (integer ids and labels below 2^27, any row order, any label numbering) hold the same
// partition of the same vertices, as `eddy components` and bench/reference write them. Exits 1
// when they do not. Typed arrays, not Maps, so that R-MAT scale 26's 32.8M rows fit in ~2 GB.
import { readFileSync } from 'node:fs';

const limit = 1 << 27;

function readLabels(path) {
  const labels = new Int32Array(limit).fill(-1);
  const bytes = readFileSync(path);
  let vertex = 0;
  let label = 0;
  let inLabel = false;
  let rows = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 9) inLabel = true;
    else if (c === 10) {
      labels[vertex] = label;
      vertex = 0;
      label = 0;
      inLabel = false;
      rows++;
    } else if (inLabel) label = label * 10 + c - 48;
    else vertex = vertex * 10 + c - 48;
  }
  return { labels, rows };
}

const a = readLabels(process.argv[2]);
const b = readLabels(process.argv[3]);
// The partitions are equal when label -> label is a bijection over the same vertex set.
const aToB = new Int32Array(limit).fill(-1);
const bToA = new Int32Array(limit).fill(-1);
let mismatches = 0;
for (let v = 0; v < limit; v++) {
  const la = a.labels[v];
  const lb = b.labels[v];
  if (la < 0 || lb < 0) {
    if (la !== lb) mismatches++;
    continue;
  }
  if (aToB[la] < 0) aToB[la] = lb;
  else if (aToB[la] !== lb) mismatches++;
  if (bToA[lb] < 0) bToA[lb] = la;
  else if (bToA[lb] !== la) mismatches++;
}
console.log(`${a.rows} vs ${b.rows} rows, ${mismatches} mismatches`);
process.exitCode = mismatches === 0 && a.rows === b.rows ? 0 : 1;
