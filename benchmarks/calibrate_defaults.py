"""Calibrate InfoNCEAnchorMI's defaults (batch size B and anchor weight nu) against true MI.

d = 10 independent Gaussian pairs at a target MI; fit on n_train rows (the
estimator's own 80/20 split inside), read the plug-in estimate on fresh
held-out rows. Writes a CSV and a markdown table.

    python benchmarks/calibrate_defaults.py --out doc/defaults_calibration
"""

import argparse
import csv
import itertools
import time
from pathlib import Path

from sklearn_mi import InfoNCEAnchorMI
from sklearn_mi.datasets import make_gaussian


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--mi", type=float, nargs="+", default=[2.0, 8.0])
    p.add_argument("--batch", type=int, nargs="+", default=[64, 128, 256])
    p.add_argument(
        "--nu",
        nargs="+",
        default=["1", "auto", "K"],
        help="anchor weights: numbers, 'auto' (the default, sqrt(K)) or 'K' (batch_size - 1)",
    )
    p.add_argument("--n-train", type=int, default=20000)
    p.add_argument("--n-test", type=int, default=5000)
    p.add_argument("--seeds", type=int, nargs="+", default=[0])
    p.add_argument("--out", default="benchmarks/_out/defaults_calibration")
    args = p.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for mi, batch, nu, seed in itertools.product(args.mi, args.batch, args.nu, args.seeds):
        X, Y, true_mi = make_gaussian(
            args.n_train + args.n_test, mi=mi, n_pairs=10, random_state=seed
        )
        nu_value = {"auto": "auto", "K": float(batch - 1)}.get(nu) or float(nu)
        est = InfoNCEAnchorMI(nu=nu_value, batch_size=batch, random_state=seed)
        t0 = time.perf_counter()
        est.fit(X[: args.n_train], Y[: args.n_train])
        seconds = time.perf_counter() - t0
        held = est.estimate(X[args.n_train :], Y[args.n_train :])
        row = dict(
            true_mi=round(true_mi, 3), batch_size=batch, nu=nu, seed=seed,
            estimate=round(held.mi, 3), se=round(held.se, 3),
            rel_error=round((held.mi - true_mi) / true_mi, 3),
            epochs=est.n_iter_, best_epoch=est.best_epoch_, seconds=round(seconds, 1),
        )
        print(row, flush=True)
        rows.append(row)
    with open(out.with_suffix(".csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with open(out.with_suffix(".md"), "w") as f:
        f.write("| " + " | ".join(rows[0]) + " |\n|" + "---|" * len(rows[0]) + "\n")
        for r in rows:
            f.write("| " + " | ".join(str(v) for v in r.values()) + " |\n")


if __name__ == "__main__":
    main()
