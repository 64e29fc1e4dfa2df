"""Gaussian samplers with closed-form mutual information."""

from __future__ import annotations

import math
import warnings

import numpy as np
from numpy.typing import ArrayLike

from ._transforms import TransformLike, apply_transform
from ._utils import (
    RandomStateLike,
    Sample,
    check_float,
    check_int,
    check_n_samples,
    check_random_state,
)


def _rho_from_mi(mi: float, n_pairs: int) -> tuple[float, float]:
    """Return ``(rho, sqrt(1 - rho^2))`` for ``n_pairs`` pairs sharing ``mi`` nats in total.

    ``sqrt(1 - rho^2) = exp(-mi / n_pairs)`` is computed directly so that it stays accurate
    (and positive) when ``rho`` is within rounding of 1.
    """
    rho = math.sqrt(-math.expm1(-2.0 * mi / n_pairs))
    return rho, math.exp(-mi / n_pairs)


def make_gaussian(
    n_samples: int,
    *,
    mi: float | None = None,
    rho: float | None = None,
    n_pairs: int = 1,
    transform: TransformLike = None,
    random_state: RandomStateLike = None,
) -> Sample:
    r"""Correlated Gaussian coordinate pairs with known mutual information.

    ``n_pairs`` independent pairs ``(x_k, y_k)``, each standard bivariate normal with
    correlation ``rho``; optionally an invertible ``transform`` is applied to ``Y``.

    Parameters
    ----------
    n_samples : int
        Number of samples (>= 1).
    mi : float, optional
        Total mutual information in nats (>= 0), split equally over the pairs. Give either
        ``mi`` or ``rho``, not both; when neither is given, ``mi=1.0``.
    rho : float, optional
        Per-pair correlation in the open interval (-1, 1), instead of ``mi``.
    n_pairs : int, default=1
        Number of coordinate pairs; ``X`` and ``Y`` have ``n_pairs`` columns each.
    transform : None, str or callable, default=None
        Invertible map applied to ``Y`` only (MI unchanged): ``None``, ``"cubic"``,
        ``"asinh"``, ``"cdf"``, ``"signed_power"``, ``"spiral"`` (needs ``n_pairs >= 2``) or a
        callable; see :func:`apply_transform`.
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        Source of randomness; numpy's global RNG is never used.

    Returns
    -------
    X : numpy.ndarray of shape (n_samples, n_pairs)
    Y : numpy.ndarray of shape (n_samples, n_pairs)
    mi : float
        True mutual information in nats.

    Notes
    -----
    Each pair contributes :math:`-\tfrac12 \ln(1-\rho^2)`, so

    .. math:: I(X; Y) = -\frac{d}{2} \ln(1 - \rho^2), \qquad
              \rho = \sqrt{1 - e^{-2I/d}},

    with :math:`d` = ``n_pairs``. Samples are drawn as
    :math:`y = \rho x + \sqrt{1-\rho^2}\, e` with independent standard normal ``x`` and
    ``e`` (no Cholesky factor), with :math:`\sqrt{1-\rho^2} = e^{-I/d}` computed directly,
    which stays accurate for :math:`\rho \to 1`. A ``UserWarning`` is raised when that noise
    scale falls below ``1e-10`` (``mi / n_pairs > 23``), where float64 samples can no longer
    represent the stated MI.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed., Wiley,
       2006, ch. 8.

    Examples
    --------
    >>> from sklearn_mi.datasets import make_gaussian
    >>> X, Y, mi = make_gaussian(100, mi=2.0, n_pairs=5, random_state=0)
    >>> X.shape, Y.shape, mi
    ((100, 5), (100, 5), 2.0)
    >>> round(make_gaussian(10, rho=0.999, n_pairs=10, random_state=0)[2], 2)
    31.08
    """
    n_samples = check_n_samples(n_samples)
    n_pairs = check_int(n_pairs, "n_pairs")
    if mi is not None and rho is not None:
        raise ValueError("Give either mi or rho, not both.")
    if rho is not None:
        rho = check_float(
            rho, "rho", low=-1.0, high=1.0, low_inclusive=False, high_inclusive=False
        )
        sigma = math.sqrt((1.0 - rho) * (1.0 + rho))
        mi = -0.5 * n_pairs * (math.log1p(-rho) + math.log1p(rho))
        mi = max(mi, 0.0) + 0.0  # clip rounding, and no -0.0
    else:
        mi = 1.0 if mi is None else check_float(mi, "mi", low=0.0)
        rho, sigma = _rho_from_mi(mi, n_pairs)
    if isinstance(transform, str) and transform == "spiral" and n_pairs < 2:
        raise ValueError("transform='spiral' rotates the Y block and needs n_pairs >= 2.")
    if 0.0 < rho and sigma < 1e-10:
        warnings.warn(
            f"mi / n_pairs = {mi / n_pairs:.3g} nats: the noise scale sqrt(1 - rho^2) = "
            f"{sigma:.3g} is near or below float64 resolution, so Y is numerically (almost) a "
            "deterministic function of X and samples cannot express the stated MI.",
            UserWarning,
            stacklevel=2,
        )
    rng = check_random_state(random_state)
    X = rng.standard_normal((n_samples, n_pairs))
    noise = rng.standard_normal((n_samples, n_pairs))
    Y = rho * X + sigma * noise
    if transform is not None:
        Y = apply_transform(Y, transform)
    return X, Y, float(mi)


def _check_covariance(cov: ArrayLike, dim_x: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Validate a joint covariance; return ``(cov, cholesky_factor, dim_x)``."""
    cov = np.array(cov, dtype=np.float64)
    if cov.ndim != 2 or cov.shape[0] != cov.shape[1]:
        raise ValueError(f"cov must be a square 2-D array, got shape {cov.shape}.")
    dim = cov.shape[0]
    if dim < 2:
        raise ValueError("cov must be at least 2 x 2 (one X and one Y coordinate).")
    dim_x = check_int(dim_x, "dim_x")
    if dim_x > dim - 1:
        raise ValueError(
            f"dim_x must be between 1 and {dim - 1} for a {dim} x {dim} covariance, got {dim_x}."
        )
    if not np.all(np.isfinite(cov)):
        raise ValueError("cov must contain only finite values.")
    scale = float(np.max(np.abs(cov)))
    if not np.allclose(cov, cov.T, rtol=1e-10, atol=1e-12 * scale):
        raise ValueError("cov must be symmetric.")
    cov = 0.5 * (cov + cov.T)
    try:
        chol = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        raise ValueError(
            "cov must be symmetric positive definite (Cholesky factorization failed)."
        ) from None
    return cov, chol, dim_x


def _logdet_spd(a: np.ndarray) -> float:
    sign, logdet = np.linalg.slogdet(a)
    if sign <= 0:  # pragma: no cover - excluded by the Cholesky check
        raise ValueError("covariance block is not positive definite.")
    return float(logdet)


def gaussian_mi(cov: ArrayLike, *, dim_x: int) -> float:
    r"""Mutual information (nats) between the first ``dim_x`` and the remaining coordinates.

    Parameters
    ----------
    cov : array-like of shape (dim_x + dim_y, dim_x + dim_y)
        Symmetric positive definite joint covariance of ``(X, Y)``.
    dim_x : int
        Number of leading coordinates forming ``X``.

    Returns
    -------
    float
        :math:`\tfrac12(\ln\det\Sigma_{XX} + \ln\det\Sigma_{YY} - \ln\det\Sigma)`, clipped
        at 0 against rounding.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.datasets import gaussian_mi
    >>> round(gaussian_mi(np.array([[1.0, 0.5], [0.5, 1.0]]), dim_x=1), 6)
    0.143841
    """
    cov, _, dim_x = _check_covariance(cov, dim_x)
    mi = 0.5 * (
        _logdet_spd(cov[:dim_x, :dim_x]) + _logdet_spd(cov[dim_x:, dim_x:]) - _logdet_spd(cov)
    )
    return max(float(mi), 0.0)


def make_gaussian_covariance(
    n_samples: int,
    *,
    cov: ArrayLike,
    dim_x: int,
    random_state: RandomStateLike = None,
) -> Sample:
    r"""Zero-mean joint Gaussian ``(X, Y)`` with a given covariance.

    Parameters
    ----------
    n_samples : int
        Number of samples (>= 1).
    cov : array-like of shape (dim_x + dim_y, dim_x + dim_y)
        Symmetric positive definite joint covariance; see :func:`dense_covariance` and
        :func:`sparse_covariance` for builders that hit a requested MI.
    dim_x : int
        Number of leading coordinates forming ``X`` (``1 <= dim_x < len(cov)``).
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        Source of randomness; numpy's global RNG is never used.

    Returns
    -------
    X : numpy.ndarray of shape (n_samples, dim_x)
    Y : numpy.ndarray of shape (n_samples, dim_y)
    mi : float
        True mutual information in nats (see Notes).

    Notes
    -----
    .. math:: I(X; Y) = \frac12 \left(\ln\det\Sigma_{XX} + \ln\det\Sigma_{YY}
              - \ln\det\Sigma\right) = -\frac12 \sum_k \ln(1 - \rho_k^2),

    where :math:`\rho_k` are the canonical correlations, the singular values of
    :math:`\Sigma_{XX}^{-1/2}\Sigma_{XY}\Sigma_{YY}^{-1/2}`. Log-determinants use
    :func:`numpy.linalg.slogdet`.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed., Wiley,
       2006, ch. 8.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.datasets import make_gaussian_covariance
    >>> cov = np.array([[1.0, 0.8], [0.8, 1.0]])
    >>> X, Y, mi = make_gaussian_covariance(50, cov=cov, dim_x=1, random_state=0)
    >>> X.shape, Y.shape, round(mi, 4)
    ((50, 1), (50, 1), 0.5108)
    """
    n_samples = check_n_samples(n_samples)
    cov, chol, dim_x = _check_covariance(cov, dim_x)
    mi = gaussian_mi(cov, dim_x=dim_x)
    rng = check_random_state(random_state)
    Z = rng.standard_normal((n_samples, cov.shape[0])) @ chol.T
    return np.ascontiguousarray(Z[:, :dim_x]), np.ascontiguousarray(Z[:, dim_x:]), mi


def _haar_orthogonal(dim: int, rng: np.random.Generator) -> np.ndarray:
    """Haar-distributed random orthogonal matrix (QR of a Gaussian matrix, signs fixed)."""
    q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
    return q * np.sign(np.diag(r))


def _check_builder_args(dim_x: int, dim_y: int, mi: float) -> tuple[int, int, float]:
    dim_x = check_int(dim_x, "dim_x")
    dim_y = check_int(dim_y, "dim_y")
    mi = check_float(mi, "mi", low=0.0)
    return dim_x, dim_y, mi


def dense_covariance(
    dim_x: int,
    dim_y: int,
    *,
    mi: float,
    random_state: RandomStateLike = None,
) -> np.ndarray:
    r"""A dense joint covariance of ``(X, Y)`` whose mutual information is exactly ``mi``.

    All ``k = min(dim_x, dim_y)`` canonical pairs interact, each with the same correlation
    :math:`\rho = \sqrt{1 - e^{-2\,\mathrm{mi}/k}}`; the canonical form is then mixed by a
    random invertible linear map within ``X`` and another within ``Y``
    (orthogonal x positive diagonal x orthogonal, scales log-uniform in [1/2, 2]), so that
    every entry of the covariance is generically non-zero. Invertible maps within a block
    leave the MI unchanged.

    Parameters
    ----------
    dim_x, dim_y : int
        Block sizes (>= 1).
    mi : float
        Target mutual information in nats (>= 0).
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        Randomness of the mixing maps.

    Returns
    -------
    numpy.ndarray of shape (dim_x + dim_y, dim_x + dim_y)
        Symmetric positive definite covariance; use with :func:`make_gaussian_covariance`.

    Notes
    -----
    With :math:`\Sigma_0 = \begin{pmatrix} I & C \\ C^\top & I\end{pmatrix}`,
    :math:`C = \rho\,[I_k\ 0]`, and block maps :math:`A_X, A_Y`, the result is
    :math:`\Sigma = \mathrm{diag}(A_X, A_Y)\,\Sigma_0\,\mathrm{diag}(A_X, A_Y)^\top` and
    :math:`I = -\tfrac{k}{2}\ln(1-\rho^2) = \mathrm{mi}`. Very large ``mi`` makes
    :math:`\Sigma` ill-conditioned, so the MI recomputed from it in floating point degrades
    gradually (relative error roughly machine epsilon times the condition number).

    Examples
    --------
    >>> from sklearn_mi.datasets import dense_covariance, gaussian_mi
    >>> cov = dense_covariance(3, 4, mi=2.0, random_state=0)
    >>> cov.shape, round(gaussian_mi(cov, dim_x=3), 10)
    ((7, 7), 2.0)
    """
    dim_x, dim_y, mi = _check_builder_args(dim_x, dim_y, mi)
    rng = check_random_state(random_state)
    k = min(dim_x, dim_y)
    rho, _ = _rho_from_mi(mi, k)
    dim = dim_x + dim_y
    sigma0 = np.eye(dim)
    idx = np.arange(k)
    sigma0[idx, dim_x + idx] = rho
    sigma0[dim_x + idx, idx] = rho
    a = np.zeros((dim, dim))
    for start, size in ((0, dim_x), (dim_x, dim_y)):
        scales = np.exp(rng.uniform(np.log(0.5), np.log(2.0), size=size))
        block = (_haar_orthogonal(size, rng) * scales) @ _haar_orthogonal(size, rng)
        a[start : start + size, start : start + size] = block
    cov = a @ sigma0 @ a.T
    return 0.5 * (cov + cov.T)


def sparse_covariance(
    dim_x: int,
    dim_y: int,
    *,
    mi: float,
    n_interacting: int = 1,
    random_state: RandomStateLike = None,
) -> np.ndarray:
    r"""A sparse joint covariance of ``(X, Y)`` whose mutual information is exactly ``mi``.

    ``X`` and ``Y`` have identity covariance; only ``n_interacting`` coordinate pairs
    ``(x_i, y_j)`` (random distinct rows ``i`` and columns ``j``) are correlated, each with
    :math:`\rho = \sqrt{1 - e^{-2\,\mathrm{mi}/n_{\mathrm{interacting}}}}`; every other
    coordinate is pure noise.

    Parameters
    ----------
    dim_x, dim_y : int
        Block sizes (>= 1).
    mi : float
        Target mutual information in nats (>= 0).
    n_interacting : int, default=1
        Number of interacting pairs, ``1 <= n_interacting <= min(dim_x, dim_y)``.
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        Randomness of which coordinates interact.

    Returns
    -------
    numpy.ndarray of shape (dim_x + dim_y, dim_x + dim_y)
        Symmetric positive definite covariance; use with :func:`make_gaussian_covariance`.

    Notes
    -----
    :math:`\Sigma_{XY}` has exactly ``n_interacting`` non-zero entries, in distinct rows and
    columns, so they are the canonical correlations and
    :math:`I = -\tfrac{n}{2}\ln(1-\rho^2) = \mathrm{mi}`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.datasets import gaussian_mi, sparse_covariance
    >>> cov = sparse_covariance(10, 10, mi=2.0, n_interacting=2, random_state=0)
    >>> int(np.count_nonzero(cov[:10, 10:])), round(gaussian_mi(cov, dim_x=10), 10)
    (2, 2.0)
    """
    dim_x, dim_y, mi = _check_builder_args(dim_x, dim_y, mi)
    k = min(dim_x, dim_y)
    n_interacting = check_int(n_interacting, "n_interacting")
    if n_interacting > k:
        raise ValueError(f"n_interacting must be <= min(dim_x, dim_y) = {k}, got {n_interacting}.")
    rng = check_random_state(random_state)
    rho, _ = _rho_from_mi(mi, n_interacting)
    rows = rng.choice(dim_x, size=n_interacting, replace=False)
    cols = dim_x + rng.choice(dim_y, size=n_interacting, replace=False)
    cov = np.eye(dim_x + dim_y)
    cov[rows, cols] = rho
    cov[cols, rows] = rho
    return cov
