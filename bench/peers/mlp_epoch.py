#!/usr/bin/env python3
"""Seconds per epoch of scikit-learn's MLPClassifier and PyTorch on the issue-19 network.

200,000 x 64 synthetic rows (seeded Gaussian features, 10 classes from a fixed linear rule),
dense 64-128-64-10 with ReLU, Adam at 1e-3, batch 256, one epoch, after one warm-up epoch on
2,560 rows. Prints the wall-clock and the CPU seconds (all threads) of the epoch. Run with Debian's Python (python3-sklearn, python3-torch):
    /usr/bin/python3 bench/peers/mlp_epoch.py sklearn|sklearn-scaled|torch
"""
import sys
import time
import warnings

import numpy as np

ROWS, WIDTH, CLASSES, BATCH = 200_000, 64, 10, 256
rng = np.random.default_rng(1)
x = rng.standard_normal((ROWS, WIDTH)).astype(np.float32)
y = np.argmax(x @ rng.standard_normal((WIDTH, CLASSES)), axis=1)
which = sys.argv[1]

if which in ("sklearn", "sklearn-scaled"):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    warnings.simplefilter("ignore", ConvergenceWarning)

    def classifier(**options):
        # sklearn-scaled: standardised inputs, as eddy's MLPClassifier has by default (its
        # epoch figure includes the standardisation); sklearn: the network alone.
        mlp = MLPClassifier(hidden_layer_sizes=(64, 128, 64), batch_size=BATCH, max_iter=1, **options)
        return make_pipeline(StandardScaler(), mlp) if which == "sklearn-scaled" else mlp

    classifier().fit(x[:2560], y[:2560])
    model = classifier(random_state=0)
    start, cpu = time.perf_counter(), time.process_time()
    model.fit(x, y)
else:
    import torch

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(WIDTH, 64), torch.nn.ReLU(), torch.nn.Linear(64, 128), torch.nn.ReLU(),
                              torch.nn.Linear(128, 64), torch.nn.ReLU(), torch.nn.Linear(64, CLASSES))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_of = torch.nn.CrossEntropyLoss()
    features, labels = torch.from_numpy(x), torch.from_numpy(y)

    def epoch(rows):
        order = torch.randperm(rows)
        for start_row in range(0, rows, BATCH):
            batch = order[start_row:start_row + BATCH]
            optimizer.zero_grad()
            loss_of(net(features[batch]), labels[batch]).backward()
            optimizer.step()

    epoch(2560)
    start, cpu = time.perf_counter(), time.process_time()
    epoch(ROWS)
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
print(f"{which}\t{wall:.2f} s/epoch\tcpu {cpu:.2f} s\tthreads={__import__('os').cpu_count()}")
