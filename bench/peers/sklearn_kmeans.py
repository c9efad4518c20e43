#!/usr/bin/env python3
"""The scikit-learn peer of bench/suites/kmeans.ts: reads a CSV with pandas and runs KMeans
(Lloyd, one k-means++ initialisation, tolerance 0) RUNS times (seeds FIRST_SEED, FIRST_SEED + 1, ...) in one process, printing one JSON
line per run: {"read": s, "fit": s, "cpu": s (all threads), "inertia": ..., "iterations": ...}.

Usage: python3 sklearn_kmeans.py FILE K MAX_ITERATIONS RUNS [FIRST_SEED]
"""
import json
import sys
import time

import pandas as pd
from sklearn.cluster import KMeans

path, k, max_iterations, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
first_seed = int(sys.argv[5]) if len(sys.argv) > 5 else 0
for run in range(first_seed, first_seed + runs):
    start = time.perf_counter()
    cpu_start = time.process_time()
    points = pd.read_csv(path).to_numpy()
    read = time.perf_counter()
    model = KMeans(n_clusters=k, init="k-means++", n_init=1, algorithm="lloyd", max_iter=max_iterations, tol=0,
                   random_state=run).fit(points)
    done = time.perf_counter()
    print(json.dumps({"read": read - start, "fit": done - read, "cpu": time.process_time() - cpu_start,
                      "inertia": float(model.inertia_),
                      "iterations": int(model.n_iter_)}), flush=True)
