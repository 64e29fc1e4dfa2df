"""Training-protocol helpers (the MI "staircase")."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._utils import check_int


def staircase(levels: ArrayLike, steps_per_level: int) -> np.ndarray:
    r"""True MI at every training step of a staircase protocol.

    The target MI is held at ``levels[0]`` for ``steps_per_level`` steps, then at
    ``levels[1]``, and so on; a sampler (e.g. :func:`make_gaussian` with ``mi=...``) is
    queried at each step with the level of that step.

    Parameters
    ----------
    levels : array-like of shape (n_levels,)
        MI levels **in nats** (finite, >= 0). The paper's protocol states its levels in bits,
        2, 4, 6, 8 and 10; convert them with :func:`bits_to_nats` first.
    steps_per_level : int
        Number of training steps at each level (>= 1).

    Returns
    -------
    numpy.ndarray of shape (n_levels * steps_per_level,)
        The true MI (nats) at each step.

    Notes
    -----
    Equivalent to ``numpy.repeat(levels, steps_per_level)``; the step counter ``t`` is at
    level ``t // steps_per_level``.

    References
    ----------
    .. [1] B. Poole, S. Ozair, A. van den Oord, A. Alemi, G. Tucker, "On Variational Bounds of
       Mutual Information", ICML 2019 (the staircase protocol).
    .. [2] "Contrastive Predictive Coding Done Right for Mutual Information Estimation",
       arXiv:2510.25983, 2025.

    Examples
    --------
    >>> from sklearn_mi.datasets import bits_to_nats, staircase
    >>> mi = staircase(bits_to_nats([2, 4, 6, 8, 10]), 4000)
    >>> mi.shape, round(float(mi[0]), 4), round(float(mi[-1]), 4)
    ((20000,), 1.3863, 6.9315)
    """
    levels = np.asarray(levels, dtype=np.float64)
    if levels.ndim != 1 or levels.size == 0:
        raise ValueError(f"levels must be a non-empty 1-D sequence, got shape {levels.shape}.")
    if not np.all(np.isfinite(levels)) or np.any(levels < 0):
        raise ValueError("levels must be finite and >= 0 (nats).")
    steps_per_level = check_int(steps_per_level, "steps_per_level")
    return np.repeat(levels, steps_per_level)
