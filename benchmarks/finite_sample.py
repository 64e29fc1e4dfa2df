"""Finite-sample benchmark: how users call ``fit``.

For every task of :data:`sklearn_mi.datasets.TASKS` and every seed, draw
``n_train + n_test`` pairs, ``fit`` each estimator with its defaults on the first
``n_train`` and read ``score`` on the ``n_test`` held-out pairs. The neural
estimators run with their defaults (only ``random_state`` and ``device="cpu"``
set); KSGMI and GaussianMI are the classical baselines (KSG's held-out score is
the k-NN estimate on the held-out pairs).

Outputs in ``--out``: ``finite_sample.csv`` (one row per task x seed x
estimator; appended to as results arrive, and rows already there are skipped,
so an interrupted run resumes) and ``finite_sample.md`` (|error| in nats per
task x estimator averaged over seeds, the mean absolute error and total wall
time per estimator). ``--table-only`` rebuilds the markdown from the CSV.

Full run (3 seeds, all tasks, all estimators; see benchmarks/README.md)::

    nice -n 19 python benchmarks/finite_sample.py --seeds 0 1 2 --out doc/accuracy
"""

from __future__ import annotations

import argparse
import csv
import math
import time
import warnings
from pathlib import Path

import numpy as np
import torch

from sklearn_mi import (
    DVMI,
    JSMI,
    MINEMI,
    NWJMI,
    SMILEMI,
    InfoNCEAnchorMI,
    InfoNCEMI,
)
from sklearn_mi.datasets import TASKS
from sklearn_mi.neighbors import KSGMI, GaussianMI

NEURAL = {
    "InfoNCEAnchorMI": InfoNCEAnchorMI,
    "InfoNCEMI": InfoNCEMI,
    "NWJMI": NWJMI,
    "DVMI": DVMI,
    "MINEMI": MINEMI,
    "JSMI": JSMI,
    "SMILEMI": SMILEMI,
}
CLASSICAL = {"KSGMI": KSGMI, "GaussianMI": GaussianMI}
ALL = {**NEURAL, **CLASSICAL}
FIELDS = [
    "task",
    "true_mi",
    "seed",
    "estimator",
    "estimate",
    "abs_error",
    "seconds",
    "epochs",
    "best_epoch",
    "params",
]


def make(name, seed, overrides):
    cls = ALL[name]
    if name in NEURAL:
        return cls(random_state=seed, device="cpu", **overrides)
    return cls()


def read_rows(path):
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _num(v: float) -> str:
    """Three decimals; diverged values (>= 1000) in scientific notation."""
    return f"{v:.3f}" if abs(v) < 1000 else f"{v:.1e}"


def table(rows, estimators):
    """Markdown: mean |error| over seeds per task x estimator, MAE and wall time."""
    tasks = [t for t in TASKS if any(r["task"] == t for r in rows)]
    present = [e for e in estimators if any(r["estimator"] == e for r in rows)]
    seeds = sorted({int(r["seed"]) for r in rows})
    lines = [
        f"|error| in nats, held-out score, mean over seeds {seeds}; "
        "**bold** = smallest in the row.",
        "",
        "| task | true MI | " + " | ".join(present) + " |",
        "|---|---:|" + "---:|" * len(present),
    ]
    per_est = {e: [] for e in present}
    for t in tasks:
        cells, vals = [], {}
        true_mi = next(float(r["true_mi"]) for r in rows if r["task"] == t)
        for e in present:
            errs = [float(r["abs_error"]) for r in rows if r["task"] == t and r["estimator"] == e]
            vals[e] = float(np.mean(errs)) if errs else math.nan
            if errs:
                per_est[e].append(vals[e])
        best = np.nanmin(list(vals.values()))
        for e in present:
            v = vals[e]
            cell = "–" if math.isnan(v) else _num(v)
            cells.append(f"**{cell}**" if v == best else cell)
        lines.append(f"| {t} | {true_mi:.3f} | " + " | ".join(cells) + " |")
    mae = {e: float(np.mean(v)) if v else math.nan for e, v in per_est.items()}
    ntasks = {e: len(v) for e, v in per_est.items()}
    best_mae = np.nanmin(list(mae.values()))
    lines.append(
        "| **mean abs. error** | | "
        + " | ".join(
            (f"**{_num(mae[e])}**" if mae[e] == best_mae else _num(mae[e]))
            + ("" if ntasks[e] == len(tasks) else f" ({ntasks[e]} tasks)")
            for e in present
        )
        + " |"
    )
    secs = {e: sum(float(r["seconds"]) for r in rows if r["estimator"] == e) for e in present}
    lines.append(
        "| total wall time (s) | | " + " | ".join(f"{secs[e]:.0f}" for e in present) + " |"
    )
    nfit = {e: sum(1 for r in rows if r["estimator"] == e) for e in present}
    lines.append("| fits | | " + " | ".join(str(nfit[e]) for e in present) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--tasks", nargs="+", default=list(TASKS), choices=list(TASKS))
    p.add_argument("--estimators", nargs="+", default=list(ALL), choices=list(ALL))
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--n-train", type=int, default=5000)
    p.add_argument("--n-test", type=int, default=5000)
    p.add_argument(
        "--set",
        nargs="*",
        default=[],
        metavar="PARAM=VALUE",
        help="override a neural estimator parameter (python literal), e.g. "
        "batch_size=256; recorded in the CSV's params column",
    )
    p.add_argument(
        "--preprocess",
        choices=["none", "quantile"],
        default="none",
        help="'quantile': map every column of X and Y to a standard normal with a "
        "QuantileTransformer fitted on the training half (a fixed invertible "
        "marginal map, so the MI is unchanged) before every estimator",
    )
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    p.add_argument("--out", default="benchmarks/_out/finite_sample")
    p.add_argument("--name", default="finite_sample", help="stem of the output files")
    p.add_argument("--table-only", action="store_true")
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    import ast

    overrides = {}
    for item in args.set:
        k, v = item.split("=", 1)
        try:
            overrides[k] = ast.literal_eval(v)
        except (ValueError, SyntaxError):
            overrides[k] = v
    tag = ";".join(f"{k}={v}" for k, v in sorted(overrides.items())) or "defaults"
    if args.preprocess != "none":
        tag += f";preprocess={args.preprocess}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    md_stem = args.name if tag == "defaults" else f"{args.name}_{tag}".replace("=", "-")
    csv_path, md_path = out / f"{args.name}.csv", out / f"{md_stem.replace(';', '_')}.md"
    rows = read_rows(csv_path)
    done = {(r["task"], r["seed"], r["estimator"], r["params"]) for r in rows}
    if not args.table_only:
        new_file = not csv_path.exists()
        with open(csv_path, "a", newline="") as f:
            w = csv.DictWriter(f, fieldnames=FIELDS)
            if new_file:
                w.writeheader()
            for seed in args.seeds:
                for t in args.tasks:
                    X, Y, true_mi = TASKS[t](args.n_train + args.n_test, random_state=seed)
                    Xtr, Ytr = X[: args.n_train], Y[: args.n_train]
                    Xte, Yte = X[args.n_train :], Y[args.n_train :]
                    if args.preprocess == "quantile":
                        from sklearn.preprocessing import QuantileTransformer

                        qx = QuantileTransformer(
                            output_distribution="normal", n_quantiles=1000, random_state=seed
                        ).fit(Xtr)
                        qy = QuantileTransformer(
                            output_distribution="normal", n_quantiles=1000, random_state=seed
                        ).fit(Ytr)
                        Xtr, Xte = qx.transform(Xtr), qx.transform(Xte)
                        Ytr, Yte = qy.transform(Ytr), qy.transform(Yte)
                    for e in args.estimators:
                        if (t, str(seed), e, tag) in done:
                            continue
                        est = make(e, seed, overrides if e in NEURAL else {})
                        t0 = time.perf_counter()
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            est.fit(Xtr, Ytr)
                            value = float(est.score(Xte, Yte))
                        secs = time.perf_counter() - t0
                        row = dict(
                            task=t,
                            true_mi=round(true_mi, 4),
                            seed=seed,
                            estimator=e,
                            estimate=round(value, 4),
                            abs_error=round(abs(value - true_mi), 4),
                            seconds=round(secs, 2),
                            epochs=getattr(est, "n_iter_", ""),
                            best_epoch=getattr(est, "best_epoch_", ""),
                            params=tag,
                        )
                        w.writerow(row)
                        f.flush()
                        rows.append({k: str(v) for k, v in row.items()})
                        print(row, flush=True)
    rows = [r for r in rows if r["params"] == tag]
    md_path.write_text(table(rows, list(ALL)))
    print(md_path.read_text())


if __name__ == "__main__":
    main()
