"""Staircase benchmark (the paper's protocol): streaming training on fresh batches.

The true MI steps through 2, 4, 6, 8, 10 bits (``--levels``), ``--steps-per-level``
steps at each level. Every step draws a fresh batch of ``--batch-size`` (64) pairs at
the current level and calls ``est.partial_fit(X, Y)`` once (one optimiser step).
Every ``--eval-every`` steps the estimate is read with ``est.score`` on a fresh,
held-out sample of ``--n-eval`` pairs at the current level (the bound estimators
evaluate on batches of ``batch_size``, so InfoNCE stays capped at ln 64).

Tasks: ``gaussian`` (10 independent Gaussian pairs), ``cubic`` (the same with
y -> y**3), ``digits`` (binary-symmetric-channel 8x8 digit images,
``--n-sources`` images per side). Outputs, per (task, critic) panel, in ``--out``:
``staircase_<task>_<critic>.csv`` (every reading), ``.png`` (estimate vs step,
truth as a staircase, ln B line; bits) and ``_summary.csv`` (per level: mean of
the readings over the last ``--tail`` fraction of the level).

Example (what doc/accuracy.md was made with; see benchmarks/README.md)::

    nice -n 19 python benchmarks/staircase.py --task gaussian cubic --critic separable \
        --steps-per-level 1000 --out doc/accuracy
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

from sklearn_mi import DVMI, JSMI, MINEMI, NWJMI, SMILEMI, InfoNCEAnchorMI, InfoNCEMI
from sklearn_mi.datasets import make_binary_channel_digits, make_gaussian

ESTIMATORS = {
    "anchor": ("InfoNCE-anchor", InfoNCEAnchorMI),
    "infonce": ("InfoNCE", InfoNCEMI),
    "nwj": ("NWJ", NWJMI),
    "js": ("JS", JSMI),
    "smile": ("SMILE(5)", SMILEMI),
    "dv": ("DV", DVMI),
    "mine": ("MINE", MINEMI),
}
COLORS = {
    "anchor": "tab:red",
    "infonce": "tab:blue",
    "nwj": "tab:green",
    "js": "tab:purple",
    "smile": "tab:orange",
    "dv": "tab:brown",
    "mine": "tab:gray",
}
LN2 = math.log(2.0)


def sampler(task: str, n_sources: int):
    """Return ``draw(n, mi_nats, rng) -> (X, Y)`` for the task."""
    if task in ("gaussian", "cubic"):
        transform = "cubic" if task == "cubic" else None

        def draw(n, mi, rng):
            X, Y, _ = make_gaussian(n, mi=mi, n_pairs=10, transform=transform, random_state=rng)
            return X, Y

    elif task == "digits":

        def draw(n, mi, rng):
            X, Y, _ = make_binary_channel_digits(n, n_sources=n_sources, mi=mi, random_state=rng)
            return X, Y

    else:
        raise ValueError(task)
    return draw


def run_panel(task, critic, args):
    draw = sampler(task, args.n_sources)
    levels_bits = (
        args.levels if args.levels else ([2, 4, 6, 8] if task == "digits" else [2, 4, 6, 8, 10])
    )
    if task == "digits" and max(levels_bits) > args.n_sources:
        raise ValueError("digits levels cannot exceed n_sources bits")
    hidden = tuple(args.hidden_joint if critic == "joint" else args.hidden)
    rows = []
    for key in args.estimators:
        name, cls = ESTIMATORS[key]
        params = dict(
            critic=critic,
            hidden_layer_sizes=hidden,
            batch_size=args.batch_size,
            learning_rate_init=args.lr,
            device="cpu",
            random_state=args.seed,
        )
        params["scaling"] = None if args.scaling == "none" else args.scaling
        if key == "anchor" and args.nu is not None:
            params["nu"] = args.nu if args.nu == "auto" else float(args.nu)
        est = cls(**params)
        rng = np.random.default_rng(args.seed)
        eval_rng = np.random.default_rng(args.seed + 1000)
        t0 = time.perf_counter()
        train_s = 0.0
        step = 0
        if args.scaler_warmup:
            # partial_fit fits the input scalers on its first call: give it a larger
            # first sample (one pass over it = scaler_warmup / batch_size steps).
            X, Y = draw(args.scaler_warmup, levels_bits[0] * LN2, rng)
            est.partial_fit(X, Y)
        for level in levels_bits:
            mi = level * LN2
            for s in range(args.steps_per_level):
                X, Y = draw(args.batch_size, mi, rng)
                t1 = time.perf_counter()
                est.partial_fit(X, Y)
                train_s += time.perf_counter() - t1
                step += 1
                if step % args.eval_every == 0:
                    Xe, Ye = draw(args.n_eval, mi, eval_rng)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        value = est.score(Xe, Ye)
                    rows.append(
                        dict(
                            task=task,
                            critic=critic,
                            estimator=key,
                            step=step,
                            true_bits=level,
                            estimate_bits=round(value / LN2, 4),
                            level_step=s + 1,
                        )
                    )
        total = time.perf_counter() - t0
        print(
            f"{task}/{critic}/{name}: {step} steps, train {train_s:.0f} s "
            f"({1000 * train_s / step:.1f} ms/step), total {total:.0f} s; last readings "
            + ", ".join(
                f"{r['true_bits']}:{r['estimate_bits']:.2f}"
                for r in rows
                if r["estimator"] == key and r["level_step"] == args.steps_per_level
            ),
            flush=True,
        )
        for r in rows:
            if r["estimator"] == key:
                r["ms_per_step"] = round(1000 * train_s / step, 2)
    return rows, levels_bits


def summarize(rows, args):
    """Per estimator and level: mean reading over the last ``tail`` of the level."""
    out = []
    keys = sorted(
        {(r["task"], r["critic"], r["estimator"], r["true_bits"]) for r in rows},
        key=lambda k: (k[0], k[1], list(ESTIMATORS).index(k[2]), k[3]),
    )
    for task, critic, est, level in keys:
        vals = [
            r["estimate_bits"]
            for r in rows
            if (r["task"], r["critic"], r["estimator"], r["true_bits"])
            == (task, critic, est, level)
            and r["level_step"] > (1 - args.tail) * args.steps_per_level
        ]
        out.append(
            dict(
                task=task,
                critic=critic,
                estimator=est,
                true_bits=level,
                mean_bits=round(float(np.mean(vals)), 3),
                std_bits=round(float(np.std(vals)), 3),
                n_readings=len(vals),
                error_bits=round(float(np.mean(vals)) - level, 3),
            )
        )
    return out


def plot(rows, task, critic, levels_bits, args, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    n_steps = args.steps_per_level * len(levels_bits)
    steps = np.arange(n_steps + 1)
    truth = np.array(levels_bits)[np.minimum(steps // args.steps_per_level, len(levels_bits) - 1)]
    ax.step(steps, truth, where="post", color="black", lw=1.5, label="true MI")
    ax.axhline(
        math.log2(args.batch_size),
        color="black",
        ls="--",
        lw=1,
        label=f"ln B (B={args.batch_size})",
    )
    for key in args.estimators:
        pts = [(r["step"], r["estimate_bits"]) for r in rows if r["estimator"] == key]
        if pts:
            s, v = zip(*pts, strict=True)
            ax.plot(
                s,
                np.clip(v, -2, max(levels_bits) + 4),
                color=COLORS[key],
                lw=1,
                alpha=0.85,
                label=ESTIMATORS[key][0],
            )
    ax.set_ylim(-1, max(levels_bits) + 3)
    ax.set_xlabel("training step (fresh batch each step)")
    ax.set_ylabel("MI (bits), held-out")
    hidden = args.hidden_joint if critic == "joint" else args.hidden
    nu = f", anchor nu={args.nu}" if args.nu is not None else ""
    scaling = f", {args.scaling} scaling" if args.scaling not in ("auto", "standard") else ""
    ax.set_title(
        f"{task}, {critic} critic {tuple(hidden)}, B={args.batch_size}, lr {args.lr:g}, "
        f"{args.steps_per_level} steps/level{nu}{scaling}",
        fontsize=10,
    )
    ax.legend(fontsize=7, ncol=2, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def write_csv(rows, path):
    if not rows:
        return
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--task", nargs="+", default=["gaussian"], choices=["gaussian", "cubic", "digits"]
    )
    p.add_argument("--critic", nargs="+", default=["separable"], choices=["separable", "joint"])
    p.add_argument(
        "--estimators",
        nargs="+",
        default=["anchor", "infonce", "nwj", "js", "smile"],
        choices=list(ESTIMATORS),
    )
    p.add_argument("--steps-per-level", type=int, default=1000, help="the paper uses 4000")
    p.add_argument(
        "--levels",
        type=float,
        nargs="+",
        default=None,
        help="MI levels in bits (default 2 4 6 8 10; digits 2 4 6 8)",
    )
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument(
        "--hidden",
        type=int,
        nargs="+",
        default=[256, 256],
        help="hidden sizes of the separable critic",
    )
    p.add_argument(
        "--hidden-joint",
        type=int,
        nargs="+",
        default=[256, 256],
        help="hidden sizes of the joint critic (costs B^2 MLP passes per step)",
    )
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--eval-every", type=int, default=50)
    p.add_argument("--n-eval", type=int, default=2048)
    p.add_argument(
        "--tail", type=float, default=0.25, help="fraction of each level averaged in the summary"
    )
    p.add_argument("--n-sources", type=int, default=10, help="digits: images per side")
    p.add_argument(
        "--scaler-warmup",
        type=int,
        default=0,
        help="pairs in the first partial_fit call (fits the scalers); 0 = one batch",
    )
    p.add_argument(
        "--nu",
        default=None,
        help="InfoNCE-anchor's nu (a number or 'auto'); default: the estimator's",
    )
    p.add_argument(
        "--scaling",
        default="auto",
        choices=["auto", "standard", "quantile", "none"],
        help="the estimators' input scaling (auto = running standardisation in a stream; "
        "quantile: fitted on the first partial_fit call, so combine with --scaler-warmup)",
    )
    p.add_argument("--tag", default="", help="suffix of the output file names")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    p.add_argument("--out", default="benchmarks/_out/staircase")
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for task in args.task:
        for critic in args.critic:
            rows, levels_bits = run_panel(task, critic, args)
            stem = out / f"staircase_{task}_{critic}{args.tag}"
            write_csv(rows, f"{stem}.csv")
            write_csv(summarize(rows, args), f"{stem}_summary.csv")
            plot(rows, task, critic, levels_bits, args, f"{stem}.png")
            print(f"wrote {stem}.csv/.png/_summary.csv", flush=True)


if __name__ == "__main__":
    main()
