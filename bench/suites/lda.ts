/**
 * One online pass of LDA (k = 10, mini-batches of 128) over the Debian man-page corpus of
 * test/fixtures/lda (2964 documents, 3000 words, 394,547 tokens): eddy on both cores
 * (parallelism 2: each E-step's chunks on this thread and a worker) against scikit-learn's
 * LatentDirichletAllocation (online, n_jobs=2) and gensim's LdaMulticore (workers=2), Debian's
 * python3-sklearn and python3-gensim under /usr/bin/python3 (override with EDDY_BENCH_PYTHON).
 * Reading the corpus is not timed; eddy gets one warm-up pass (the worker starts).
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LDA } from '../../algorithms/ml/lda/lda.js';
import { readDocword } from '../../algorithms/ml/lda/uci-bag-of-words.js';
import { machineDescription, median } from '../timing.js';

const k = 10;
const batchSize = 128;
const runs = 5;
const python = process.env.EDDY_BENCH_PYTHON ?? '/usr/bin/python3';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const docword = join(root, 'test', 'fixtures', 'lda', 'train.docword.txt.gz');

export async function run(): Promise<void> {
  console.log(
    `${machineDescription()}, load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );
  const corpus = (await readDocword(docword)).shared();
  console.log(
    `corpus: ${docword} (${corpus.rows} documents, ${corpus.columns} words, ${corpus.total()} tokens)`,
  );
  const eddy: number[] = [];
  for (let run = -1; run < runs; run++) {
    const start = performance.now();
    await new LDA({ k, batchSize, maxIterations: 1, parallelism: 2, seed: run }).fitCorpus(corpus);
    if (run >= 0) eddy.push((performance.now() - start) / 1000);
  }
  const output = execFileSync(
    python,
    [join(root, 'bench', 'peers', 'lda_peers.py'), docword, String(k), String(batchSize), String(runs)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  const peers = new Map<string, number[]>();
  for (const line of output.trim().split('\n')) {
    const { peer, fit } = JSON.parse(line) as { peer: string; fit: number };
    peers.set(peer, [...(peers.get(peer) ?? []), fit]);
  }
  const eddyMedian = median(eddy);
  console.log(
    `eddy LDA (parallelism 2): median ${eddyMedian.toFixed(3)} s (${eddy.map((t) => t.toFixed(2)).join(', ')})`,
  );
  for (const [peer, times] of peers) {
    const peerMedian = median(times);
    console.log(
      `${peer}: median ${peerMedian.toFixed(3)} s (${times.map((t) => t.toFixed(2)).join(', ')}); eddy / ${peer} = ${(eddyMedian / peerMedian).toFixed(2)}`,
    );
  }
}
