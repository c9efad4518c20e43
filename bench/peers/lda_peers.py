#!/usr/bin/env python3
"""The Python peers of bench/suites/lda.ts: one online pass of LDA over a UCI docword corpus,
RUNS times, printing one JSON line per run: {"peer": ..., "fit": s, "cpu": s (this process)}.
- sklearn: LatentDirichletAllocation(learning_method="online", max_iter=1, batch_size=B, n_jobs=2)
- gensim: LdaMulticore(workers=2, chunksize=B, passes=1) (Debian python3-gensim), when installed
Reading the corpus is not timed.

Usage: python3 lda_peers.py DOCWORD K BATCH_SIZE RUNS
"""
import gzip
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import LatentDirichletAllocation

path, k, batch_size, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with gzip.open(path, "rt") if path.endswith(".gz") else open(path) as handle:
    documents, words, _ = (int(handle.readline()) for _ in range(3))
    entries = np.loadtxt(handle, dtype=np.int64).reshape(-1, 3)
matrix = sp.csr_matrix(
    (entries[:, 2].astype(np.float64), (entries[:, 0] - 1, entries[:, 1] - 1)), shape=(documents, words)
)
try:
    from gensim.models import LdaMulticore

    corpus = [list(zip(matrix[d].indices.tolist(), matrix[d].data.tolist())) for d in range(documents)]
    id2word = {w: str(w) for w in range(words)}
except ImportError:
    LdaMulticore = None

for run in range(runs):
    start, cpu = time.perf_counter(), time.process_time()
    LatentDirichletAllocation(
        n_components=k, learning_method="online", max_iter=1, batch_size=batch_size, n_jobs=2, random_state=run
    ).fit(matrix)
    print(json.dumps({"peer": "sklearn", "fit": time.perf_counter() - start, "cpu": time.process_time() - cpu}), flush=True)
    if LdaMulticore is not None:
        start, cpu = time.perf_counter(), time.process_time()
        LdaMulticore(corpus, num_topics=k, id2word=id2word, workers=2, chunksize=batch_size, passes=1, random_state=run)
        print(json.dumps({"peer": "gensim", "fit": time.perf_counter() - start, "cpu": time.process_time() - cpu}), flush=True)
