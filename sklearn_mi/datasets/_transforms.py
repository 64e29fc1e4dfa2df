"""Invertible maps applied to one side of a sample: they leave the mutual information unchanged."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr, ndtri

from ._utils import check_float

TransformLike = str | Callable[[np.ndarray], np.ndarray] | None
"""A transform name (see :data:`TRANSFORMS`), a callable ``Y -> Y'`` or ``None``."""

TRANSFORMS: tuple[str, ...] = ("cubic", "asinh", "cdf", "signed_power", "spiral")
"""Names of the built-in invertible transforms accepted by :func:`apply_transform`."""

SPIRAL_SPEED = 1.0 / 3.0
"""Default ``speed`` of :func:`spiral`."""


@functools.lru_cache(maxsize=64)
def _spiral_basis(dim: int) -> np.ndarray:
    """Fixed orthogonal matrix ``Q`` (dim x dim) defining the spiral's rotation generator.

    Deterministic: drawn from a dedicated generator with a fixed seed, with the QR sign
    ambiguity removed, so it never depends on (or touches) any user RNG.
    """
    g = np.random.default_rng(12345 + dim).standard_normal((dim, dim))
    q, r = np.linalg.qr(g)
    q = q * np.sign(np.diag(r))
    q.setflags(write=False)
    return q


def _spiral_generator(dim: int) -> np.ndarray:
    """The skew-symmetric generator ``A = Q J Q^T`` of :func:`spiral` (for checks and docs).

    ``J`` is block diagonal with ``[[0, -1], [1, 0]]`` blocks on coordinate pairs
    ``(0, 1), (2, 3), ...`` (a zero row/column is left over when ``dim`` is odd).
    """
    j = np.zeros((dim, dim))
    for k in range(dim // 2):
        j[2 * k + 1, 2 * k] = 1.0
        j[2 * k, 2 * k + 1] = -1.0
    q = _spiral_basis(dim)
    return q @ j @ q.T


def spiral(Y: ArrayLike, *, speed: float = SPIRAL_SPEED, inverse: bool = False) -> np.ndarray:
    r"""Norm-dependent rotation ("spiral") of each row of ``Y``; an invertible map.

    Each row ``y`` is mapped to ``expm(speed * ||y||^2 * A) @ y`` where ``A`` is a fixed
    skew-symmetric generator mixing all coordinates (see Notes). The rotation is orthogonal,
    so ``||y||`` is preserved and the map is inverted by rotating back by the same angle.

    Parameters
    ----------
    Y : array-like of shape (n_samples, d)
        Rows to transform; ``d >= 2``.
    speed : float, default=1/3
        Rotation angle per unit squared norm (radians).
    inverse : bool, default=False
        If True, apply the inverse map.

    Returns
    -------
    numpy.ndarray of shape (n_samples, d)
        The transformed rows (float64).

    Notes
    -----
    ``A = Q J Q^T`` with ``Q`` a fixed orthogonal matrix (drawn once from a fixed seed per
    dimension) and ``J`` block diagonal with ``[[0, -1], [1, 0]]`` blocks, so that
    ``expm(t A) = Q expm(t J) Q^T`` is a rotation by angle ``t`` in each plane of ``Q``.
    The map is a diffeomorphism (its inverse is the same map with ``speed -> -speed``,
    evaluated at the image, whose norm is unchanged), so it leaves mutual information
    unchanged.

    References
    ----------
    .. [1] P. Czyż, F. Grabowski, J. E. Vogt, N. Beerenwinkel, A. Marx, "Beyond Normal: On the
       Evaluation of Mutual Information Estimators", NeurIPS 2023.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.datasets import spiral
    >>> Y = np.random.default_rng(0).standard_normal((4, 3))
    >>> Z = spiral(Y)
    >>> bool(np.allclose(np.linalg.norm(Z, axis=1), np.linalg.norm(Y, axis=1)))
    True
    >>> bool(np.allclose(spiral(Z, inverse=True), Y))
    True
    """
    Y = np.asarray(Y, dtype=np.float64)
    if Y.ndim != 2 or Y.shape[1] < 2:
        raise ValueError(
            f"spiral needs a 2-D array with at least 2 columns (d_y >= 2), got shape {Y.shape}."
        )
    speed = check_float(speed, "speed")
    dim = Y.shape[1]
    theta = speed * np.einsum("ij,ij->i", Y, Y)
    if inverse:
        theta = -theta
    q = _spiral_basis(dim)
    z = Y @ q
    m = 2 * (dim // 2)
    c = np.cos(theta)[:, None]
    s = np.sin(theta)[:, None]
    z0 = z[:, 0:m:2].copy()
    z1 = z[:, 1:m:2].copy()
    z[:, 0:m:2] = c * z0 - s * z1
    z[:, 1:m:2] = s * z0 + c * z1
    return z @ q.T


def _signed_power(t: np.ndarray, p: float) -> np.ndarray:
    return np.sign(t) * np.abs(t) ** p


_FORWARD: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "cubic": lambda t: t**3,
    "asinh": np.arcsinh,
    "cdf": ndtr,
    "signed_power": lambda t: _signed_power(t, 1.5),
    "spiral": spiral,
}

_INVERSE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "cubic": np.cbrt,
    "asinh": np.sinh,
    "cdf": ndtri,
    "signed_power": lambda t: _signed_power(t, 2.0 / 3.0),
    "spiral": functools.partial(spiral, inverse=True),
}


def _check_name(transform: str) -> None:
    if transform not in _FORWARD:
        raise ValueError(
            f"Unknown transform {transform!r}; expected None, a callable or one of {TRANSFORMS}."
        )


def apply_transform(Y: ArrayLike, transform: TransformLike) -> np.ndarray:
    """Apply an invertible map to the rows of ``Y`` (the mutual information is unchanged).

    Parameters
    ----------
    Y : array-like of shape (n_samples, d)
        The block to transform.
    transform : None, str or callable
        ``None`` (identity), ``"cubic"`` (``y**3``), ``"asinh"``, ``"cdf"`` (standard normal
        CDF, :func:`scipy.special.ndtr`: uniform margins for standard normal input),
        ``"signed_power"`` (``sign(y) |y|**1.5``), ``"spiral"`` (:func:`spiral`, needs
        ``d >= 2``), or a callable mapping an ``(n, d)`` array to an ``(n, d)`` array. A callable
        must itself be invertible for the MI claim to hold; that is the caller's responsibility.

    Returns
    -------
    numpy.ndarray of shape (n_samples, d)
        Float64 result.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.datasets import apply_transform
    >>> apply_transform(np.array([[-2.0, 0.5]]), "cubic")
    array([[-8.   ,  0.125]])
    """
    Y = np.asarray(Y, dtype=np.float64)
    if transform is None:
        return Y.copy()
    if isinstance(transform, str):
        _check_name(transform)
        out = _FORWARD[transform](Y)
    elif callable(transform):
        out = transform(Y)
    else:
        raise ValueError(
            f"transform must be None, a callable or one of {TRANSFORMS}; got {transform!r}."
        )
    out = np.asarray(out, dtype=np.float64)
    if out.shape != Y.shape:
        raise ValueError(
            f"transform must preserve the shape {Y.shape} of Y, but returned shape {out.shape}."
        )
    if not np.all(np.isfinite(out)):
        raise ValueError("transform produced non-finite values.")
    return out


def invert_transform(Y: ArrayLike, transform: str | None) -> np.ndarray:
    """Invert a built-in transform of :func:`apply_transform`.

    Parameters
    ----------
    Y : array-like of shape (n_samples, d)
        A transformed block.
    transform : None or str
        One of the names in :data:`TRANSFORMS` (callables cannot be inverted here).

    Returns
    -------
    numpy.ndarray of shape (n_samples, d)
        ``Y`` before the transform (up to rounding; ``"cdf"`` loses precision in the tails).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.datasets import apply_transform, invert_transform
    >>> y = np.array([[-1.5, 0.2], [0.3, 2.0]])
    >>> bool(np.allclose(invert_transform(apply_transform(y, "cdf"), "cdf"), y))
    True
    """
    Y = np.asarray(Y, dtype=np.float64)
    if transform is None:
        return Y.copy()
    if not isinstance(transform, str):
        raise ValueError("invert_transform only inverts the built-in named transforms.")
    _check_name(transform)
    return np.asarray(_INVERSE[transform](Y), dtype=np.float64)
