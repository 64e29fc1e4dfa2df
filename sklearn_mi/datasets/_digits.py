"""The binary-symmetric-channel image task, built from scikit-learn's bundled 8x8 digits."""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy.optimize import brentq

from ._utils import (
    LN2,
    RandomStateLike,
    Sample,
    check_float,
    check_int,
    check_n_samples,
    check_random_state,
)

N_PIXELS = 64
"""Pixels per 8x8 digit image."""


@functools.lru_cache(maxsize=1)
def _digit_pools() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Disjoint X / Y pools of digit-0 and digit-1 images, pixels scaled to [0, 1].

    Returns ``{"x": (zeros, ones), "y": (zeros, ones)}``. Within each digit, images are taken
    in the bundled dataset's order and alternate between the pools (even positions -> X, odd
    -> Y), so the split is deterministic and the pools never share an image.
    """
    from sklearn.datasets import load_digits  # bundled with scikit-learn, no download

    digits = load_digits()
    data = digits.data.astype(np.float64) / 16.0
    pools: dict[str, list[np.ndarray]] = {"x": [], "y": []}
    for digit in (0, 1):
        images = data[digits.target == digit]
        pools["x"].append(images[0::2])
        pools["y"].append(images[1::2])
    out = {}
    for side, (zeros, ones) in pools.items():
        zeros.setflags(write=False)
        ones.setflags(write=False)
        out[side] = (zeros, ones)
    return out


def digit_pools() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The image pools used by :func:`make_binary_channel_digits` (read-only arrays).

    Returns
    -------
    dict
        ``{"x": (zeros, ones), "y": (zeros, ones)}``; each entry is an array of shape
        ``(n_images, 64)`` with pixels in [0, 1]. The X and Y pools are disjoint halves of the
        digit-0 and digit-1 images of :func:`sklearn.datasets.load_digits`.

    Examples
    --------
    >>> from sklearn_mi.datasets import digit_pools
    >>> pools = digit_pools()
    >>> [a.shape for a in pools["x"]], [a.shape for a in pools["y"]]
    ([(89, 64), (91, 64)], [(89, 64), (91, 64)])
    """
    return dict(_digit_pools())


def _binary_entropy(p: float) -> float:
    """H_b(p) in nats, with 0 ln 0 = 0."""
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -p * math.log(p) - (1.0 - p) * math.log1p(-p)


def binary_channel_mi(flip_prob: float, *, n_sources: int = 1) -> float:
    r"""Mutual information (nats) of ``n_sources`` fair bits through a binary symmetric channel.

    Parameters
    ----------
    flip_prob : float
        Flip probability :math:`p \in [0, 1/2]`.
    n_sources : int, default=1
        Number of independent bits :math:`s`.

    Returns
    -------
    float
        :math:`s\,(\ln 2 - H_b(p))`, :math:`H_b(p) = -p\ln p - (1-p)\ln(1-p)`.

    Examples
    --------
    >>> from sklearn_mi.datasets import binary_channel_mi
    >>> round(binary_channel_mi(0.0, n_sources=2), 6), binary_channel_mi(0.5)
    (1.386294, 0.0)
    """
    flip_prob = check_float(flip_prob, "flip_prob", low=0.0, high=0.5)
    n_sources = check_int(n_sources, "n_sources")
    return max(n_sources * (LN2 - _binary_entropy(flip_prob)), 0.0)


def binary_channel_flip_prob(mi: float, *, n_sources: int = 1) -> float:
    r"""The flip probability :math:`p \in [0, 1/2]` giving ``mi`` nats with ``n_sources`` bits.

    Inverts :func:`binary_channel_mi` by solving :math:`H_b(p) = \ln 2 - \mathrm{mi}/s`
    with :func:`scipy.optimize.brentq` (``H_b`` is increasing on [0, 1/2]).

    Parameters
    ----------
    mi : float
        Target mutual information in nats, :math:`0 \le \mathrm{mi} \le s \ln 2`.
    n_sources : int, default=1
        Number of independent bits :math:`s`.

    Returns
    -------
    float
        The flip probability.

    Examples
    --------
    >>> from sklearn_mi.datasets import binary_channel_flip_prob, binary_channel_mi
    >>> p = binary_channel_flip_prob(1.0, n_sources=2)
    >>> round(p, 6), round(binary_channel_mi(p, n_sources=2), 12)
    (0.048189, 1.0)
    """
    n_sources = check_int(n_sources, "n_sources")
    mi_max = n_sources * LN2
    mi = check_float(mi, "mi", low=0.0)
    if mi > mi_max * (1.0 + 1e-12):
        raise ValueError(
            f"mi must lie in [0, n_sources * ln 2] = [0, {mi_max:.6g}] nats, got {mi}."
        )
    target = LN2 - min(mi, mi_max) / n_sources  # = H_b(p)
    if target <= 0.0:
        return 0.0
    if target >= LN2:
        return 0.5
    return float(brentq(lambda p: _binary_entropy(p) - target, 0.0, 0.5, xtol=1e-15, rtol=1e-15))


def make_binary_channel_digits(
    n_samples: int,
    *,
    n_sources: int = 1,
    flip_prob: float | None = None,
    mi: float | None = None,
    random_state: RandomStateLike = None,
) -> Sample:
    r"""Digit images sent through a binary symmetric channel (the paper's MNIST task, 8x8).

    For each sample, ``n_sources`` fair bits :math:`b_1..b_s` are drawn. ``X`` concatenates
    ``s`` images, image ``k`` a uniformly random image of digit :math:`b_k` (0 or 1) from the
    X pool. ``Y`` concatenates ``s`` images of digits :math:`b_k \oplus f_k`, with independent
    flips :math:`f_k \sim \mathrm{Bernoulli}(p)`, drawn from the disjoint Y pool (so ``Y``
    never reuses ``X``'s exact image). Pixels are scaled to [0, 1].

    Parameters
    ----------
    n_samples : int
        Number of samples (>= 1).
    n_sources : int, default=1
        Number of bits / images per side :math:`s`.
    flip_prob : float, optional
        Flip probability :math:`p \in [0, 1/2]`.
    mi : float, optional
        Target mutual information in nats in :math:`[0, s\ln 2]`; the flip probability is
        then solved for (:func:`binary_channel_flip_prob`). Give exactly one of ``flip_prob``
        and ``mi``.
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        Source of randomness; numpy's global RNG is never used.

    Returns
    -------
    X : numpy.ndarray of shape (n_samples, 64 * n_sources)
    Y : numpy.ndarray of shape (n_samples, 64 * n_sources)
    mi : float
        True mutual information in nats (divide by ln 2, :func:`nats_to_bits`, for bits).

    Notes
    -----
    Every image belongs to exactly one digit class, so ``X`` determines the bits ``b`` and
    ``Y`` determines the received bits :math:`b \oplus f`; the images are otherwise drawn
    independently of everything. Hence :math:`I(X;Y) = I(b; b\oplus f)` and

    .. math:: I(X; Y) = s\,(\ln 2 - H_b(p)), \qquad H_b(p) = -p\ln p - (1-p)\ln(1-p).

    The images come from :func:`sklearn.datasets.load_digits` (bundled, no download): the
    digit-0 and digit-1 images alternate between the X and Y pools (see
    :func:`digit_pools`).

    References
    ----------
    .. [1] "Contrastive Predictive Coding Done Right for Mutual Information Estimation",
       arXiv:2510.25983, 2025 (the MNIST binary-symmetric-channel task).

    Examples
    --------
    >>> from sklearn_mi.datasets import make_binary_channel_digits
    >>> X, Y, mi = make_binary_channel_digits(20, n_sources=2, mi=1.0, random_state=0)
    >>> X.shape, Y.shape, mi
    ((20, 128), (20, 128), 1.0)
    """
    n_samples = check_n_samples(n_samples)
    n_sources = check_int(n_sources, "n_sources")
    if (flip_prob is None) == (mi is None):
        raise ValueError("Give exactly one of flip_prob or mi.")
    if flip_prob is not None:
        flip_prob = check_float(flip_prob, "flip_prob", low=0.0, high=0.5)
        mi = binary_channel_mi(flip_prob, n_sources=n_sources)
    else:
        flip_prob = binary_channel_flip_prob(mi, n_sources=n_sources)
        mi = float(mi)
    rng = check_random_state(random_state)
    bits = rng.integers(0, 2, size=(n_samples, n_sources))
    flips = rng.random((n_samples, n_sources)) < flip_prob
    received = bits ^ flips
    pools = _digit_pools()
    X = np.empty((n_samples, N_PIXELS * n_sources))
    Y = np.empty((n_samples, N_PIXELS * n_sources))
    for out, side, labels in ((X, "x", bits), (Y, "y", received)):
        zeros, ones = pools[side]
        for k in range(n_sources):
            is_one = labels[:, k] == 1
            idx0 = rng.integers(0, len(zeros), size=n_samples)
            idx1 = rng.integers(0, len(ones), size=n_samples)
            block = np.where(is_one[:, None], ones[idx1], zeros[idx0])
            out[:, k * N_PIXELS : (k + 1) * N_PIXELS] = block
    return X, Y, float(mi)
