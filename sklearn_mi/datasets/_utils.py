"""Shared validation helpers and unit conversions for :mod:`sklearn_mi.datasets`."""

from __future__ import annotations

import math
import numbers
from typing import TypeAlias

import numpy as np
from numpy.typing import ArrayLike

RandomStateLike: TypeAlias = int | np.integer | np.random.RandomState | np.random.Generator | None
"""Anything accepted as ``random_state`` by the samplers."""

Sample: TypeAlias = tuple[np.ndarray, np.ndarray, float]
"""The return type of every sampler: ``(X, Y, mi)``."""

LN2 = math.log(2.0)


def check_random_state(random_state: RandomStateLike) -> np.random.Generator:
    """Turn ``random_state`` into a :class:`numpy.random.Generator`.

    Unlike :func:`sklearn.utils.check_random_state`, ``None`` does **not** use numpy's global
    RNG: it draws fresh OS entropy, so numpy's global state is never read or advanced.

    Parameters
    ----------
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        ``None``: a fresh, unpredictable generator. ``int``: a generator seeded with it.
        ``Generator``: used as is (and advanced). ``RandomState``: a generator is seeded from
        four draws of it, so the result is reproducible from the RandomState's state and the
        RandomState is advanced.

    Returns
    -------
    numpy.random.Generator

    Examples
    --------
    >>> from sklearn_mi.datasets._utils import check_random_state
    >>> int(check_random_state(0).integers(10)) == int(check_random_state(0).integers(10))
    True
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        seed = random_state.randint(0, 2**32, size=4, dtype=np.uint64)
        return np.random.default_rng(seed)
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"random_state must be a non-negative integer, got {random_state}.")
        return np.random.default_rng(int(random_state))
    raise ValueError(
        "random_state must be None, an int, a numpy.random.RandomState or a "
        f"numpy.random.Generator; got {random_state!r}."
    )


def check_n_samples(n_samples: int) -> int:
    """Validate ``n_samples`` (an integer >= 1) and return it as an ``int``."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral):
        raise ValueError(f"n_samples must be an integer >= 1, got {n_samples!r}.")
    if n_samples < 1:
        raise ValueError(f"n_samples must be an integer >= 1, got {n_samples}.")
    return int(n_samples)


def check_int(value: int, name: str, *, minimum: int = 1) -> int:
    """Validate an integer parameter ``>= minimum`` and return it as an ``int``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}.")
    return int(value)


def check_float(
    value: float,
    name: str,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Validate a finite real scalar within ``[low, high]`` (bounds optionally open)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}.")
    too_low = value < low if low_inclusive else value <= low
    too_high = value > high if high_inclusive else value >= high
    if too_low or too_high:
        lb = "[" if low_inclusive else "("
        hb = "]" if high_inclusive else ")"
        raise ValueError(f"{name} must lie in {lb}{low}, {high}{hb}, got {value}.")
    return value


def nats_to_bits(value: ArrayLike) -> float | np.ndarray:
    """Convert information from nats to bits (divide by ln 2).

    Parameters
    ----------
    value : float or array-like
        Information in nats.

    Returns
    -------
    float or numpy.ndarray
        Information in bits; a Python float for scalar input.

    Examples
    --------
    >>> from sklearn_mi.datasets import nats_to_bits
    >>> round(nats_to_bits(0.6931471805599453), 12)
    1.0
    """
    out = np.asarray(value, dtype=np.float64) / LN2
    return float(out) if out.ndim == 0 else out


def bits_to_nats(value: ArrayLike) -> float | np.ndarray:
    """Convert information from bits to nats (multiply by ln 2).

    Parameters
    ----------
    value : float or array-like
        Information in bits.

    Returns
    -------
    float or numpy.ndarray
        Information in nats; a Python float for scalar input.

    Examples
    --------
    >>> from sklearn_mi.datasets import bits_to_nats
    >>> bits_to_nats([1, 2]).round(4)
    array([0.6931, 1.3863])
    """
    out = np.asarray(value, dtype=np.float64) * LN2
    return float(out) if out.ndim == 0 else out
