"""Non-Gaussian samplers with closed-form mutual information."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln, psi

from ._utils import (
    RandomStateLike,
    Sample,
    check_float,
    check_int,
    check_n_samples,
    check_random_state,
)


def student_t_mi(df: float, dim_x: int, dim_y: int) -> float:
    r"""Mutual information (nats) of a multivariate Student-t split into ``dim_x + dim_y``.

    Parameters
    ----------
    df : float
        Degrees of freedom (> 0).
    dim_x, dim_y : int
        Block sizes (>= 1).

    Returns
    -------
    float
        With :math:`a = \nu/2`, :math:`b = (\nu+d_x)/2`, :math:`c = (\nu+d_y)/2`,
        :math:`e = (\nu+d_x+d_y)/2`:
        :math:`\ln\Gamma(a) + \ln\Gamma(e) - \ln\Gamma(b) - \ln\Gamma(c)
        + b\psi(b) + c\psi(c) - a\psi(a) - e\psi(e)`.

    Examples
    --------
    >>> from sklearn_mi.datasets import student_t_mi
    >>> round(student_t_mi(1, 1, 1), 4), round(student_t_mi(2, 5, 5), 4)
    (0.2242, 0.4482)
    """
    df = check_float(df, "df", low=0.0, low_inclusive=False)
    dim_x = check_int(dim_x, "dim_x")
    dim_y = check_int(dim_y, "dim_y")
    a = df / 2.0
    b = (df + dim_x) / 2.0
    c = (df + dim_y) / 2.0
    e = (df + dim_x + dim_y) / 2.0
    mi = (
        gammaln(a)
        + gammaln(e)
        - gammaln(b)
        - gammaln(c)
        + b * psi(b)
        + c * psi(c)
        - a * psi(a)
        - e * psi(e)
    )
    return max(float(mi), 0.0)


def make_student_t(
    n_samples: int,
    *,
    df: float = 1.0,
    dim_x: int = 1,
    dim_y: int = 1,
    random_state: RandomStateLike = None,
) -> Sample:
    r"""Multivariate Student-t with identity dispersion, split into ``X`` and ``Y``.

    ``X`` and ``Y`` are uncorrelated yet dependent: they share the random scale.

    Parameters
    ----------
    n_samples : int
        Number of samples (>= 1).
    df : float, default=1.0
        Degrees of freedom :math:`\nu > 0` (``df=1`` is the multivariate Cauchy).
    dim_x, dim_y : int, default=1
        Block sizes (>= 1).
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        Source of randomness; numpy's global RNG is never used.

    Returns
    -------
    X : numpy.ndarray of shape (n_samples, dim_x)
    Y : numpy.ndarray of shape (n_samples, dim_y)
    mi : float
        True mutual information in nats (see :func:`student_t_mi`).

    Notes
    -----
    Samples are :math:`t = z / \sqrt{w/\nu}` with :math:`z \sim N(0, I_{d_x+d_y})` and
    :math:`w \sim \chi^2_\nu` independent. With :math:`a = \nu/2`,
    :math:`b = (\nu+d_x)/2`, :math:`c = (\nu+d_y)/2`, :math:`e = (\nu+d_x+d_y)/2`,

    .. math:: I(X; Y) = \ln\Gamma(a) + \ln\Gamma(e) - \ln\Gamma(b) - \ln\Gamma(c)
              + b\psi(b) + c\psi(c) - a\psi(a) - e\psi(e),

    which does not vanish as the dimensions grow and tends to 0 as :math:`\nu\to\infty`.

    References
    ----------
    .. [1] R. B. Arellano-Valle, J. E. Contreras-Reyes, M. G. Genton, "Shannon Entropy and
       Mutual Information for Multivariate Skew-Elliptical Distributions", Scandinavian
       Journal of Statistics 40(1), 42-62, 2013.
    .. [2] P. Czyż, F. Grabowski, J. E. Vogt, N. Beerenwinkel, A. Marx, "Beyond Normal: On the
       Evaluation of Mutual Information Estimators", NeurIPS 2023.

    Examples
    --------
    >>> from sklearn_mi.datasets import make_student_t
    >>> X, Y, mi = make_student_t(100, df=2, dim_x=5, dim_y=5, random_state=0)
    >>> X.shape, Y.shape, round(mi, 4)
    ((100, 5), (100, 5), 0.4482)
    """
    n_samples = check_n_samples(n_samples)
    mi = student_t_mi(df, dim_x, dim_y)
    df = float(df)
    rng = check_random_state(random_state)
    z = rng.standard_normal((n_samples, dim_x + dim_y))
    w = rng.chisquare(df, size=(n_samples, 1))
    # Guard the (astronomically unlikely) underflow w == 0, which would give inf.
    w = np.maximum(w, np.finfo(np.float64).tiny)
    t = z * np.sqrt(df / w)
    return np.ascontiguousarray(t[:, :dim_x]), np.ascontiguousarray(t[:, dim_x:]), mi


def uniform_noise_mi(eps: float) -> float:
    r"""Mutual information (nats) of ``X ~ U(0, 1)`` and ``Y = X + U(-eps, eps)``.

    Parameters
    ----------
    eps : float
        Noise half-width (> 0).

    Returns
    -------
    float
        :math:`\ln\frac{1}{2\varepsilon} + \varepsilon` for :math:`\varepsilon \le 1/2`,
        :math:`\frac{1}{4\varepsilon}` for :math:`\varepsilon > 1/2`.

    Examples
    --------
    >>> from sklearn_mi.datasets import uniform_noise_mi
    >>> round(uniform_noise_mi(0.1), 6), uniform_noise_mi(0.5), uniform_noise_mi(1.0)
    (1.709438, 0.5, 0.25)
    """
    eps = check_float(eps, "eps", low=0.0, low_inclusive=False)
    if eps <= 0.5:
        return -math.log(2.0 * eps) + eps
    return 1.0 / (4.0 * eps)


def make_uniform_noise(
    n_samples: int,
    *,
    eps: float = 0.1,
    random_state: RandomStateLike = None,
) -> Sample:
    r"""Uniform signal plus uniform noise: ``X ~ U(0, 1)``, ``Y = X + N``, ``N ~ U(-eps, eps)``.

    Parameters
    ----------
    n_samples : int
        Number of samples (>= 1).
    eps : float, default=0.1
        Noise half-width (> 0).
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        Source of randomness; numpy's global RNG is never used.

    Returns
    -------
    X : numpy.ndarray of shape (n_samples, 1)
    Y : numpy.ndarray of shape (n_samples, 1)
    mi : float
        True mutual information in nats (see Notes and :func:`uniform_noise_mi`).

    Notes
    -----
    :math:`I = h(Y) - h(Y \mid X) = h(Y) - \ln(2\varepsilon)`. The density of ``Y`` is the
    convolution of the two uniforms, a trapezoid of height :math:`\min(1, 1/(2\varepsilon))`
    with two linear ramps of width :math:`w = \min(1, 2\varepsilon)`; a ramp contributes
    :math:`-\int_0^w (h t/w) \ln(h t/w)\,dt = h w (1/4 - \ln(h)/2)` to :math:`h(Y)`. Hence

    * :math:`\varepsilon \le 1/2` (height 1, ramps of width :math:`2\varepsilon`):
      :math:`h(Y) = \varepsilon`, so
      :math:`I = \ln\frac{1}{2\varepsilon} + \varepsilon`;
    * :math:`\varepsilon > 1/2` (height :math:`1/(2\varepsilon)`, ramps of width 1, plateau
      of width :math:`2\varepsilon - 1`): :math:`h(Y) = \ln(2\varepsilon) +
      \frac{1}{4\varepsilon}`, so :math:`I = \frac{1}{4\varepsilon}`.

    Both branches give :math:`1/2` at :math:`\varepsilon = 1/2`.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed., Wiley,
       2006, ch. 8 (differential entropy).

    Examples
    --------
    >>> from sklearn_mi.datasets import make_uniform_noise
    >>> X, Y, mi = make_uniform_noise(100, eps=0.1, random_state=0)
    >>> X.shape, Y.shape, round(mi, 4)
    ((100, 1), (100, 1), 1.7094)
    """
    n_samples = check_n_samples(n_samples)
    mi = uniform_noise_mi(eps)
    eps = float(eps)
    rng = check_random_state(random_state)
    X = rng.uniform(0.0, 1.0, size=(n_samples, 1))
    Y = X + rng.uniform(-eps, eps, size=(n_samples, 1))
    return X, Y, mi


_INDEPENDENT = ("gaussian", "uniform", "laplace")


def make_independent(
    n_samples: int,
    *,
    dim_x: int = 1,
    dim_y: int = 1,
    distribution: str = "gaussian",
    random_state: RandomStateLike = None,
) -> Sample:
    r"""Independent ``X`` and ``Y`` (mutual information 0).

    Parameters
    ----------
    n_samples : int
        Number of samples (>= 1).
    dim_x, dim_y : int, default=1
        Block sizes (>= 1).
    distribution : {"gaussian", "uniform", "laplace"}, default="gaussian"
        I.i.d. coordinate distribution: standard normal, uniform on [0, 1], or standard
        Laplace.
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        Source of randomness; numpy's global RNG is never used.

    Returns
    -------
    X : numpy.ndarray of shape (n_samples, dim_x)
    Y : numpy.ndarray of shape (n_samples, dim_y)
    mi : float
        Always ``0.0``.

    Notes
    -----
    :math:`p(x, y) = p(x)p(y)`, so :math:`I(X; Y) = 0`: a check for estimator bias.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed., Wiley,
       2006, ch. 2.

    Examples
    --------
    >>> from sklearn_mi.datasets import make_independent
    >>> X, Y, mi = make_independent(10, dim_x=2, dim_y=3, random_state=0)
    >>> X.shape, Y.shape, mi
    ((10, 2), (10, 3), 0.0)
    """
    n_samples = check_n_samples(n_samples)
    dim_x = check_int(dim_x, "dim_x")
    dim_y = check_int(dim_y, "dim_y")
    if distribution not in _INDEPENDENT:
        raise ValueError(f"distribution must be one of {_INDEPENDENT}, got {distribution!r}.")
    rng = check_random_state(random_state)
    size = (n_samples, dim_x + dim_y)
    if distribution == "gaussian":
        Z = rng.standard_normal(size)
    elif distribution == "uniform":
        Z = rng.uniform(0.0, 1.0, size=size)
    else:
        Z = rng.laplace(0.0, 1.0, size=size)
    return np.ascontiguousarray(Z[:, :dim_x]), np.ascontiguousarray(Z[:, dim_x:]), 0.0
