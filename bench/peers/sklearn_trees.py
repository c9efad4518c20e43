#!/usr/bin/env python3
"""The scikit-learn peer of bench/suites/trees.ts.

    python3 sklearn_trees.py write FILE ROWS FEATURES
writes make_classification(ROWS, FEATURES, n_informative=10, random_state=0) as CSV (x0..x{F-1},label).
    python3 sklearn_trees.py fit FILE TRAIN_ROWS MODEL RUNS
reads FILE (numpy), trains on its first TRAIN_ROWS rows and tests on the rest, RUNS times, printing
one JSON line per run: {"fit": s, "cpu": s (all threads), "accuracy": ...}. MODEL is 'tree'
(DecisionTreeClassifier, max_depth 10, exact splitter) or 'hgb' (HistGradientBoostingClassifier, 100
rounds of depth 3, 255 bins, no early stopping).
"""
import json
import sys
import time

import numpy as np

if sys.argv[1] == "write":
    from sklearn.datasets import make_classification

    path, rows, features = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    x, y = make_classification(n_samples=rows, n_features=features, n_informative=10, random_state=0)
    header = ",".join([f"x{j}" for j in range(features)] + ["label"])
    np.savetxt(path, np.column_stack([x, y]), delimiter=",", header=header, comments="",
               fmt=["%.6f"] * features + ["%d"])
    sys.exit(0)

from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

path, train_rows, model, runs = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
data = np.loadtxt(path, delimiter=",", skiprows=1)
x, y = data[:, :-1], data[:, -1].astype(np.int64)
for run in range(runs):
    estimator = (DecisionTreeClassifier(max_depth=10, random_state=run) if model == "tree" else
                 HistGradientBoostingClassifier(max_iter=100, max_depth=3, max_bins=255, learning_rate=0.1,
                                                early_stopping=False, random_state=run))
    start = time.perf_counter()
    cpu_start = time.process_time()
    estimator.fit(x[:train_rows], y[:train_rows])
    fit = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    accuracy = float(estimator.score(x[train_rows:], y[train_rows:]))
    print(json.dumps({"fit": fit, "cpu": cpu, "accuracy": accuracy}), flush=True)
