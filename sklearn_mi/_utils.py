"""Small helpers shared by the estimator layers."""

from __future__ import annotations

import numbers

import numpy as np


def derived_seed(*keys: int) -> int:
    """A seed that depends only on ``keys`` (never on execution order)."""
    return int(np.random.SeedSequence([int(k) for k in keys]).generate_state(1)[0] >> 1)


def root_rng(random_state) -> np.random.Generator:
    """A Generator derived from a scikit-learn style ``random_state``.

    ``None`` draws fresh OS entropy (never numpy's global RNG, whose state must stay
    untouched); an int seeds deterministically; a ``RandomState`` or ``Generator``
    instance is consumed for one seed.
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state.integers(np.iinfo(np.int32).max))
    if isinstance(random_state, numbers.Integral):
        return np.random.default_rng(int(random_state))
    raise ValueError(f"random_state must be None, an int or a RandomState, got {random_state!r}")
