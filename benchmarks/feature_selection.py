"""Real-data feature selection: downstream CV score of a simple model for several k.

Datasets bundled with scikit-learn (no download): breast_cancer, wine, digits
(classification; logistic regression, accuracy) and diabetes (regression; ridge,
R^2). For each k, features are picked by

* ``joint``: :class:`sklearn_mi.feature_selection.MutualInfoSelector` (greedy
  forward selection on the neural joint MI; one run to the largest k gives the
  nested selections for all k),
* ``neural``: top-k per-feature neural scores
  (:func:`~sklearn_mi.feature_selection.neural_mutual_info_classif` / ``_regression``),
* ``knn_mi``: top-k of scikit-learn's ``mutual_info_classif`` / ``_regression``,
* ``f_test``: top-k of ``f_classif`` / ``f_regression``,

and the downstream model is scored by 5-fold CV on the selected columns. The
selection is made once on all rows (the same optimism for every method).
Writes ``doc/feature_selection_real_data.csv``, ``.md`` and ``.png``.

Run: ``nice -n 19 python benchmarks/feature_selection.py [--datasets wine diabetes]``
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine
from sklearn.feature_selection import (
    f_classif,
    f_regression,
    mutual_info_classif,
    mutual_info_regression,
)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_mi import InfoNCEAnchorMI
from sklearn_mi.feature_selection import (
    MutualInfoSelector,
    neural_mutual_info_classif,
    neural_mutual_info_regression,
)

DATASETS = {
    "breast_cancer": (load_breast_cancer, True),
    "wine": (load_wine, True),
    "diabetes": (load_diabetes, False),
    "digits": (load_digits, True),
}
KS = (1, 2, 4, 8)
METHODS = ("joint", "neural", "knn_mi", "f_test")


def selections(X, y, classif, k_max, seed, n_jobs):
    """Feature ranking of every method (first k entries = the selection of size k)."""
    ranks, times = {}, {}
    est = InfoNCEAnchorMI(  # the selector's default estimator (nu = K), 40 epochs
        nu=63.0, hidden_layer_sizes=(32, 32), embed_dim=8, batch_size=64, max_epochs=40,
        learning_rate_init=3e-3, n_iter_no_change=5, discrete_y=classif, device="cpu",
    )
    t = time.perf_counter()
    sel = MutualInfoSelector(
        est, n_features_to_select=k_max, n_candidates=10, n_jobs=n_jobs, random_state=seed
    ).fit(X, y)
    ranks["joint"], times["joint"] = list(sel.selected_), time.perf_counter() - t
    per_feature = neural_mutual_info_classif if classif else neural_mutual_info_regression
    t = time.perf_counter()
    scores = per_feature(X, y, max_epochs=40, random_state=seed)
    ranks["neural"] = list(np.argsort(-scores, kind="stable"))
    times["neural"] = time.perf_counter() - t
    mi = mutual_info_classif if classif else mutual_info_regression
    t = time.perf_counter()
    ranks["knn_mi"] = list(np.argsort(-mi(X, y, random_state=seed), kind="stable"))
    times["knn_mi"] = time.perf_counter() - t
    f = f_classif if classif else f_regression
    t = time.perf_counter()
    ranks["f_test"] = list(np.argsort(-np.nan_to_num(f(X, y)[0]), kind="stable"))
    times["f_test"] = time.perf_counter() - t
    return ranks, times


def downstream(X, y, cols, classif, seed):
    if classif:
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        cv = StratifiedKFold(5, shuffle=True, random_state=seed)
    else:
        model = make_pipeline(StandardScaler(), Ridge())
        cv = KFold(5, shuffle=True, random_state=seed)
    return float(cross_val_score(model, X[:, cols], y, cv=cv).mean())


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub markdown table (no tabulate dependency); floats with 3 decimals."""
    cells = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in df.values]
    lines = ["| " + " | ".join(map(str, df.columns)) + " |"]
    lines.append("|" + "|".join("---" for _ in df.columns) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default="doc/feature_selection_real_data")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in args.datasets:
            loader, classif = DATASETS[name]
            X, y = loader(return_X_y=True)
            ranks, times = selections(X, y, classif, max(KS), args.seed, args.n_jobs)
            for method in METHODS:
                for k in KS:
                    cols = ranks[method][:k]
                    if len(cols) < k:
                        continue
                    score = downstream(X, y, cols, classif, args.seed)
                    rows.append(
                        dict(
                            dataset=name,
                            metric="accuracy" if classif else "R2",
                            method=method,
                            k=k,
                            score=round(score, 4),
                            select_s=round(times[method], 2),
                            features=" ".join(map(str, cols)),
                        )
                    )
            print(pd.DataFrame([r for r in rows if r["dataset"] == name]).to_string(), flush=True)
    df = pd.DataFrame(rows)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(out.with_suffix(".csv"), index=False)
    table = df.pivot_table(index=["dataset", "metric", "k"], columns="method", values="score")
    table = table[[m for m in METHODS if m in table.columns]].reset_index()
    with open(out.with_suffix(".md"), "w") as f:
        f.write(markdown_table(table))
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no figure")
        return
    names = list(dict.fromkeys(df["dataset"]))
    fig, axes = plt.subplots(1, len(names), figsize=(3.6 * len(names), 3.2), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        sub = df[df["dataset"] == name]
        for method in METHODS:
            m = sub[sub["method"] == method]
            ax.plot(m["k"], m["score"], marker="o", label=method)
        ax.set_title(name)
        ax.set_xlabel("k features")
        ax.set_xscale("log", base=2)
        ax.set_ylabel(sub["metric"].iloc[0] + " (5-fold CV)")
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out.with_suffix(".png"), dpi=110)


if __name__ == "__main__":
    main()
