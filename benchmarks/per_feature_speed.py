"""Speed and accuracy of all p per-feature scores (one grouped model) vs one joint-X critic fit.

Speed: p = 64 features, n = 4000 rows, identical settings for both (hidden
sizes, embedding, batch size, learning rate, a fixed number of epochs without
early stopping). Every configuration is run once untimed (warm-up: lazy
imports, allocator, thread pools), then ``--repeats`` interleaved timed
repetitions; the ratio is of the medians, all in one run. Configurations:
the per-feature defaults (hidden (16, 16), ``contrast_size=16``, a separate
y encoder per feature), one hidden layer of 16, and one layer of 16 with
``shared_y_trunk=True``. The joint fit uses the same hidden sizes.

Accuracy (``--accuracy``): y ~ N(0, 1); 48 features with correlation 0.1 ... 0.99
with y (every third one cubed, which keeps its MI) and 16 independent ones, so
feature k's true MI is ``-log(1 - rho_k^2) / 2`` nats; the mean absolute error
and the Spearman correlation of the per-feature scores with the truth, with
default early stopping, per configuration and seed.

Writes ``doc/feature_selection_speed.csv`` (and ``_accuracy.csv``); the numbers
quoted in ``doc/feature_selection.md`` come from this script.

Run: ``nice -n 19 python benchmarks/per_feature_speed.py --threads 2 --accuracy``
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
from scipy.stats import spearmanr
from sklearn.base import clone

from sklearn_mi import InfoNCEAnchorMI
from sklearn_mi.feature_selection import NeuralMutualInfo

SETTINGS = dict(
    embed_dim=8,
    batch_size=128,
    max_epochs=10,
    early_stopping=False,
    learning_rate_init=3e-3,
    device="cpu",
    random_state=0,
)
# name -> per-feature options; the joint fit uses the same hidden sizes
CONFIGS = {
    "defaults (16, 16)": dict(hidden_layer_sizes=(16, 16)),
    "(16,)": dict(hidden_layer_sizes=(16,)),
    "(16,), shared y trunk": dict(hidden_layer_sizes=(16,), shared_y_trunk=True),
}


def known_mi_design(seed: int, n: int = 4000, p: int = 64):
    rng = np.random.default_rng(seed)
    y = rng.standard_normal(n)
    rho = np.concatenate([np.zeros(16), np.linspace(0.1, 0.99, p - 16)])
    X = rho * y[:, None] + np.sqrt(1 - rho**2) * rng.standard_normal((n, p))
    X[:, 1::3] = X[:, 1::3] ** 3  # a monotone map: same MI
    return X, y, -0.5 * np.log1p(-(rho**2))


def speed(args) -> list[list]:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.n, args.p))
    y = X[:, :8].sum(axis=1) + rng.standard_normal(args.n)
    hidden = sorted({extra["hidden_layer_sizes"] for extra in CONFIGS.values()})
    runs = {}
    for h in hidden:
        joint = InfoNCEAnchorMI(**SETTINGS, hidden_layer_sizes=h)
        runs[f"joint {h}"] = lambda joint=joint: clone(joint).fit(X, y)
    for name, extra in CONFIGS.items():
        runs[name] = lambda extra=extra: NeuralMutualInfo(**SETTINGS, **extra)(X, y)
    times = {name: [] for name in runs}
    for run in runs.values():  # warm-up, untimed
        run()
    for _ in range(args.repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    rows = []
    for h in hidden:
        runs_h = [round(t, 2) for t in times[f"joint {h}"]]
        print(f"joint-X fit {h}: median {statistics.median(times[f'joint {h}']):.2f} s  {runs_h}")
    for name, extra in CONFIGS.items():
        joint = statistics.median(times[f"joint {extra['hidden_layer_sizes']}"])
        med = statistics.median(times[name])
        print(
            f"all {args.p} per-feature scores, {name}: median {med:.2f} s, "
            f"ratio {med / joint:.2f}  {[round(t, 2) for t in times[name]]}"
        )
        rows.append([args.n, args.p, args.threads, name, f"{joint:.3f}", f"{med:.3f}",
                     f"{med / joint:.3f}", " ".join(f"{t:.3f}" for t in times[name])])
    return rows


def accuracy(args) -> list[list]:
    rows = []
    for seed in args.seeds:
        X, y, truth = known_mi_design(seed)
        for name, extra in CONFIGS.items():
            start = time.perf_counter()
            est = NeuralMutualInfo(random_state=seed, **extra)(X, y)
            wall = time.perf_counter() - start
            err = est - truth
            rho = spearmanr(est, truth)[0]
            print(
                f"seed {seed} {name}: MAE {np.abs(err).mean():.3f} nats, max |error| "
                f"{np.abs(err).max():.3f}, bias {err.mean():+.3f}, Spearman {rho:.3f}, "
                f"{wall:.1f} s"
            )
            rows.append([seed, name, f"{np.abs(err).mean():.4f}", f"{np.abs(err).max():.4f}",
                         f"{err.mean():.4f}", f"{rho:.4f}", f"{wall:.2f}"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--p", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--accuracy", action="store_true")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", default="doc/feature_selection_speed.csv")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    warnings.simplefilter("ignore")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "a" if out.exists() else "w", newline="") as f:
        w = csv.writer(f)
        if f.tell() == 0:
            w.writerow(["n", "p", "threads", "config", "joint_median_s", "per_feature_median_s",
                        "ratio", "per_feature_runs_s"])
        w.writerows(speed(args))
    if args.accuracy:
        path = out.with_name(out.stem + "_accuracy.csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["seed", "config", "mae_nats", "max_abs_error_nats", "bias_nats",
                        "spearman", "wall_s"])
            w.writerows(accuracy(args))


if __name__ == "__main__":
    main()
