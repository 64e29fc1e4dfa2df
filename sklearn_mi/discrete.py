"""Exact plug-in mutual information between discrete variables (nats).

For two discrete variables the plug-in (maximum-likelihood) MI of the
contingency table is exact for the empirical distribution; no network is
needed. Counts are accumulated in int64 and the sum is done in float64, so
large tables do not overflow (field case F7).
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_array, check_consistent_length

__all__ = ["discrete_mutual_info", "contingency_mutual_info"]


def contingency_mutual_info(table) -> float:
    """Plug-in MI (nats) of a contingency table of counts.

    Parameters
    ----------
    table : array-like of shape (n_levels_x, n_levels_y)
        Non-negative counts.

    Returns
    -------
    float
        ``sum_ij p_ij log(p_ij / (p_i p_j))`` with ``p = table / table.sum()``;
        0.0 for a table with a single row or column.

    Examples
    --------
    >>> contingency_mutual_info([[10, 0], [0, 10]])  # one fair bit: ln 2
    0.6931471805599453
    """
    counts = np.asarray(table)
    if counts.ndim != 2 or counts.size == 0:
        raise ValueError(f"table must be a non-empty 2-D array, got shape {counts.shape}")
    if not np.issubdtype(counts.dtype, np.number) or np.any(counts < 0):
        raise ValueError("table must hold non-negative counts")
    counts = counts.astype(np.float64)
    total = counts.sum()
    if total <= 0:
        raise ValueError("table holds no counts")
    p = counts / total
    px, py = p.sum(axis=1, keepdims=True), p.sum(axis=0, keepdims=True)
    nz = p > 0
    mi = float(np.sum(p[nz] * (np.log(p[nz]) - np.log((px * py)[nz]))))
    return 0.0 if abs(mi) < 1e-15 else mi  # exact independence: no -1e-17 rounding


def discrete_mutual_info(x, y) -> float:
    """Plug-in MI (nats) between two discrete variables given as label arrays.

    Parameters
    ----------
    x, y : array-like of shape (n_samples,)
        Labels of any hashable type (ints, strings, booleans).

    Returns
    -------
    float
        Exact MI of the empirical joint distribution, in nats.

    Examples
    --------
    >>> round(discrete_mutual_info([0, 0, 1, 1], ["a", "a", "b", "b"]), 6)
    0.693147
    """
    x = check_array(x, ensure_2d=False, dtype=None, input_name="x")
    y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
    if x.ndim != 1 or y.ndim != 1:
        raise ValueError("x and y must be 1-D label arrays")
    check_consistent_length(x, y)
    _, xi = np.unique(x, return_inverse=True)
    _, yi = np.unique(y, return_inverse=True)
    table = np.zeros((xi.max() + 1, yi.max() + 1), dtype=np.int64)
    np.add.at(table, (xi, yi), 1)
    return contingency_mutual_info(table)
