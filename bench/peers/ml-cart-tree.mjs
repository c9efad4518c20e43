// The ml-cart peer of bench/suites/trees.ts: what an ml-cart user writes to grow one tree.
// Usage: node ml-cart-tree.mjs FILE TRAIN_ROWS SAMPLE_ROWS DEPTH
// Reads the suite's CSV (x0..x19,label), trains ml-cart's DecisionTreeClassifier (gini, maxDepth
// DEPTH, no minimum gain, leaves down to one row) on the first SAMPLE_ROWS rows and tests it on the
// rows after TRAIN_ROWS; prints {"fit": s, "cpu": s, "accuracy": ...} as one JSON line. ml-cart
// tries every cut between rows of different labels and scans the node's rows for each, so its
// time grows with the square of the rows: only a sample is given to it.
import { readFileSync } from 'node:fs';
import { DecisionTreeClassifier } from 'ml-cart';

const [path, trainRows, sampleRows, depth] = process.argv.slice(2);
const lines = readFileSync(path, 'utf8').split('\n');
const parse = (from, to) => {
  const x = [];
  const y = [];
  for (let i = from; i < to && i < lines.length; i++) {
    if (lines[i] === '') continue;
    const values = lines[i].split(',').map(Number);
    y.push(values.pop());
    x.push(values);
  }
  return { x, y };
};
// Line 0 is the header.
const train = parse(1, 1 + Number(sampleRows));
const test = parse(1 + Number(trainRows), lines.length);
const start = performance.now();
const cpuStart = process.cpuUsage();
const tree = new DecisionTreeClassifier({
  gainFunction: 'gini',
  maxDepth: Number(depth),
  minNumSamples: 1,
  gainThreshold: 0,
});
tree.train(train.x, train.y);
const fit = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const predicted = tree.predict(test.x);
let right = 0;
for (let i = 0; i < test.y.length; i++) if (predicted[i] === test.y[i]) right++;
console.log(JSON.stringify({ fit, cpu: (cpu.user + cpu.system) / 1e6, accuracy: right / test.y.length }));
