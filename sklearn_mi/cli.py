"""The ``sklearn-mi`` command (also ``python -m sklearn_mi``).

``sklearn-mi`` with no arguments runs the demonstration: on a Gaussian task
well above InfoNCE's ``ln B`` ceiling and on the digits binary-channel task, it
fits InfoNCEAnchorMI, InfoNCEMI and NWJMI and prints the true MI, each held-out
estimate with its standard error, and the fit time.

``sklearn-mi csv FILE --x COLS --y COLS`` estimates I(X; Y) between column
groups of a CSV file.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
import warnings

import numpy as np

from . import (
    DVMI,
    JSMI,
    MINEMI,
    NWJMI,
    SMILEMI,
    InfoNCEAnchorMI,
    InfoNCEMI,
    MIEstimate,
    __version__,
)
from .datasets import make_binary_channel_digits, make_gaussian

ESTIMATORS = {
    "anchor": InfoNCEAnchorMI,
    "infonce": InfoNCEMI,
    "nwj": NWJMI,
    "dv": DVMI,
    "mine": MINEMI,
    "js": JSMI,
    "smile": SMILEMI,
}


def _fit_and_report(name, est, X, Y, Xt, Yt, true_mi, out):
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(X, Y)
    seconds = time.perf_counter() - t0
    held = est.estimate(Xt, Yt)
    flags = sorted({w.category.__name__ for w in caught if issubclass(w.category, UserWarning)})
    err = (held.mi - true_mi) / true_mi * 100 if true_mi else float("nan")
    out.write(
        f"  {name:<16} {true_mi:8.3f} {held.mi:8.3f} ± {held.se:5.3f} {err:+7.1f}% "
        f"{seconds:7.1f}s  {', '.join(flags)}\n"
    )
    return held


def demo(args, out=sys.stdout):
    """Run the default demonstration; return {task: {estimator: MIEstimate}}."""
    batch = args.batch_size
    cap = math.log(batch)
    n_train, n_test = args.n_train, args.n_test
    tasks = []
    X, Y, mi = make_gaussian(
        n_train + n_test, mi=args.gaussian_mi, n_pairs=10, random_state=args.random_state
    )
    tasks.append((f"Gaussian, 10 pairs, I = {mi:.2f} nats", X, Y, mi))
    X, Y, mi = make_binary_channel_digits(
        n_train + n_test, n_sources=8, mi=args.digits_mi, random_state=args.random_state
    )
    tasks.append((f"Digits binary channel, 8 sources, I = {mi:.2f} nats", X, Y, mi))
    out.write(
        f"sklearn_mi {__version__}: held-out MI estimates in nats (train {n_train}, "
        f"test {n_test} pairs; batch_size {batch}, InfoNCE ceiling ln B = {cap:.3f})\n"
    )
    results = {}
    for title, X, Y, mi in tasks:
        out.write(f"\n{title}\n  {'estimator':<16} {'true':>8} {'estimate':>8} {'± se':>7} "
                  f"{'error':>8} {'fit':>8}  warnings\n")
        results[title] = {}
        for key in args.estimators:
            est = ESTIMATORS[key](
                batch_size=batch, max_epochs=args.max_epochs, random_state=args.random_state
            )
            results[title][key] = _fit_and_report(
                type(est).__name__, est, X[:n_train], Y[:n_train], X[n_train:], Y[n_train:],
                mi, out,
            )
    out.write(
        "\nInfoNCE can never exceed ln B; the anchor's plug-in estimate is not capped.\n"
    )
    return results


def _columns(spec, header):
    cols = []
    for part in spec.split(","):
        part = part.strip()
        if part in header:
            cols.append(header.index(part))
        elif part.lstrip("-").isdigit():
            cols.append(int(part))
        elif ":" in part:
            lo, hi = part.split(":")
            cols.extend(range(int(lo), int(hi)))
        else:
            raise SystemExit(f"sklearn-mi: unknown column {part!r}; header is {header}")
    return cols


def run_csv(args, out=sys.stdout):
    """Estimate I(X; Y) between two column groups of a CSV file."""
    with open(args.file, newline="") as f:
        rows = list(csv.reader(f, delimiter=args.delimiter))
    if not rows:
        raise SystemExit(f"sklearn-mi: {args.file} is empty")
    header = rows[0]
    has_header = not all(_is_number(v) for v in header)
    data = rows[1:] if has_header else rows
    header = header if has_header else [str(i) for i in range(len(header))]
    xc, yc = _columns(args.x, header), _columns(args.y, header)
    try:
        X = np.array([[float(r[c]) for c in xc] for r in data])
        y_raw = [[r[c] for c in yc] for r in data]
        y = np.array(y_raw, dtype=float)
    except ValueError as err:
        if len(yc) != 1:
            raise SystemExit(
                "sklearn-mi: non-numeric columns are supported only as a single y"
            ) from err
        y = np.array([r[0] for r in y_raw], dtype=object)
    est = ESTIMATORS[args.estimator](
        batch_size=args.batch_size,
        max_epochs=args.max_epochs,
        random_state=args.random_state,
        scaling=None if args.scaling == "none" else args.scaling,
    )
    est.fit(X, y)
    ci = MIEstimate(est.mutual_info_, est.mutual_info_se_, 0).confidence_interval()
    n_held = math.ceil(len(X) * est.validation_fraction)
    out.write(
        f"I(X; Y) = {est.mutual_info_:.4f} nats ({est.mutual_info_ / math.log(2):.4f} bits) "
        f"± {est.mutual_info_se_:.4f}; 95% CI [{ci[0]:.4f}, {ci[1]:.4f}] ({args.estimator} "
        f"estimator, trained on {len(X) - n_held} rows, estimated on the {n_held} held-out "
        f"rows of {len(X)})\n"
    )
    return est


def _is_number(v):
    try:
        float(v)
    except ValueError:
        return False
    return True


def build_parser():
    p = argparse.ArgumentParser(
        prog="sklearn-mi",
        description="Neural mutual-information estimation (nats). With no command, runs the "
        "demonstration on tasks with known MI.",
    )
    p.add_argument("--version", action="version", version=f"sklearn_mi {__version__}")
    p.add_argument("--random-state", type=int, default=0, help="seed (default 0)")
    p.add_argument("--batch-size", type=int, default=128,
                   help="training batch size B; InfoNCE's ceiling is ln B (default 128)")
    sub = p.add_subparsers(dest="command")
    d = sub.add_parser("demo", help="the default demonstration (known true MI)")
    for q in (p, d):
        q.add_argument("--n-train", type=int, default=20000, help="demo: training pairs")
        q.add_argument("--n-test", type=int, default=5000, help="demo: held-out pairs")
        q.add_argument("--gaussian-mi", type=float, default=8.0,
                       help="demo: true MI of the Gaussian task, nats (default 8)")
        q.add_argument("--digits-mi", type=float, default=5.2,
                       help="demo: true MI of the digits channel task, nats (at most 8 ln 2)")
        q.add_argument("--max-epochs", type=int, default=100, help="demo: epochs per fit")
        q.add_argument(
            "--estimators", nargs="+", choices=sorted(ESTIMATORS),
            default=["anchor", "infonce", "nwj"], help="demo: estimators to compare",
        )
    c = sub.add_parser("csv", help="estimate I(X; Y) between column groups of a CSV file")
    c.add_argument("file")
    c.add_argument("--x", required=True, help="columns of X: names or indices, 'a,b' or '0:5'")
    c.add_argument("--y", required=True, help="columns of Y (one non-numeric column allowed)")
    c.add_argument("--estimator", choices=sorted(ESTIMATORS), default="anchor")
    c.add_argument("--delimiter", default=",")
    c.add_argument("--max-epochs", type=int, default=100)
    c.add_argument(
        "--scaling",
        choices=["auto", "quantile", "standard", "none"],
        default="auto",
        help="input scaling (default auto: a quantile-normal map per column)",
    )
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.command == "csv":
        run_csv(args)
    else:
        demo(args)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
