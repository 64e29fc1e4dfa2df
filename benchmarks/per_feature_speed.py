"""Speed of all p per-feature scores (one grouped model) vs one joint-X critic fit.

p = 64 features, n = 4000 rows, identical settings for both (hidden sizes,
embedding, batch size, learning rate, a fixed number of epochs without early
stopping); the median of 3 interleaved repetitions each, in one run. Also times
the per-feature scores with the cheaper options ``contrast_size=16,
shared_y_trunk=True`` ("fast"). Prints the ratios and writes
``doc/feature_selection_speed.csv``; the numbers quoted in
``doc/feature_selection.md`` come from this script.

Run: ``nice -n 19 python benchmarks/per_feature_speed.py [--threads 1]``
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
import torch

from sklearn_mi import InfoNCEAnchorMI
from sklearn_mi.feature_selection import NeuralMutualInfo

SETTINGS = dict(
    hidden_layer_sizes=(32, 32),
    embed_dim=8,
    batch_size=128,
    max_epochs=10,
    early_stopping=False,
    learning_rate_init=3e-3,
    device="cpu",
    random_state=0,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--p", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default="doc/feature_selection_speed.csv")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.n, args.p))
    y = X[:, :8].sum(axis=1) + rng.standard_normal(args.n)
    joint, grouped, fast = [], [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(args.repeats):
            start = time.perf_counter()
            InfoNCEAnchorMI(**SETTINGS).fit(X, y)
            joint.append(time.perf_counter() - start)
            start = time.perf_counter()
            NeuralMutualInfo(**SETTINGS)(X, y)
            grouped.append(time.perf_counter() - start)
            start = time.perf_counter()
            NeuralMutualInfo(**SETTINGS, contrast_size=16, shared_y_trunk=True)(X, y)
            fast.append(time.perf_counter() - start)
    ratio = statistics.median(grouped) / statistics.median(joint)
    ratio_fast = statistics.median(fast) / statistics.median(joint)
    print(f"joint-X InfoNCEAnchorMI fit: median {statistics.median(joint):.2f} s  {joint}")
    print(f"all {args.p} per-feature scores: median {statistics.median(grouped):.2f} s  {grouped}")
    print(f"ratio per-feature / joint = {ratio:.2f}  (threads={args.threads})")
    print(f"contrast_size=16, shared_y_trunk=True: median {statistics.median(fast):.2f} s {fast}")
    print(f"ratio (fast options) / joint = {ratio_fast:.2f}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["n", "p", "threads", "repeat", "joint_s", "per_feature_s", "fast_s"])
        for i, (a, b, c) in enumerate(zip(joint, grouped, fast, strict=True)):
            w.writerow([args.n, args.p, args.threads, i, f"{a:.3f}", f"{b:.3f}", f"{c:.3f}"])
        w.writerow(
            [args.n, args.p, args.threads, "median_ratio", "", f"{ratio:.3f}", f"{ratio_fast:.3f}"]
        )


if __name__ == "__main__":
    main()
