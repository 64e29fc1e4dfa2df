"""Classical mutual-information baselines with the sklearn_mi estimator contract.

Two estimators that need no training, in the same ``fit`` / ``score`` API as the neural
estimators, so that they can be dropped into ``Pipeline``, ``cross_val_score`` or
``GridSearchCV`` side by side with them:

* :class:`KSGMI` / :func:`ksg_mi` -- the Kraskov--Stögbauer--Grassberger k-nearest-neighbour
  estimator (their "estimator 1") for multivariate ``X`` and ``Y`` with the max-norm.
* :class:`GaussianMI` / :func:`gaussian_mi` -- the mutual information of a Gaussian fitted to
  the data, from the canonical correlations of the sample covariance.

All values are in nats. Neither estimator forms an ``n x n`` matrix: KSG works with
KD-trees only, and the Gaussian estimator with ``d x d`` covariance matrices.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from joblib import effective_n_jobs
from scipy.special import digamma
from sklearn.base import BaseEstimator, _fit_context
from sklearn.neighbors import KDTree
from sklearn.utils import check_random_state, gen_even_slices
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from ._base import MIEstimate

__all__ = ["GaussianMI", "KSGMI", "gaussian_mi", "ksg_mi"]

_EPS = np.finfo(np.float64).eps


# --------------------------------------------------------------------------------------
# helpers shared by both estimators
# --------------------------------------------------------------------------------------
def _as_2d_float(a, name):
    """Validated float64 2-D copy-free view of ``a`` (callers never modify it in place)."""
    a = check_array(a, dtype=np.float64, ensure_2d=False, input_name=name)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    return a


def _column_scale(a):
    """Per-column standard deviation (ddof=0), 1 for (near-)constant columns.

    Identical to what :func:`sklearn.preprocessing.scale` divides by with ``with_mean=False``.
    """
    s = np.nanstd(a, axis=0)
    s[s < 10 * _EPS] = 1.0
    return s


def _nonconstant(a):
    """Boolean mask of the columns of ``a`` that take more than one value."""
    return np.ptp(a, axis=0) > 0


def _make_rng(random_state):
    """A ``RandomState`` from ``random_state`` that leaves the global RNG alone.

    ``None`` gives a fresh, OS-seeded generator (scikit-learn would use -- and advance --
    the global one); an int or a ``RandomState`` behaves as in :func:`check_random_state`.
    """
    if random_state is None:
        return np.random.RandomState()
    return check_random_state(random_state)


def _check_enough_samples(n_samples, n_neighbors):
    if n_samples <= n_neighbors:
        raise ValueError(
            f"KSG mutual information needs more samples than n_neighbors: got "
            f"n_samples={n_samples} and n_neighbors={n_neighbors}. Pass more rows or a "
            f"smaller n_neighbors (n_samples must be > n_neighbors)."
        )


# --------------------------------------------------------------------------------------
# KSG
# --------------------------------------------------------------------------------------
def _kth_distance(tree, X, k, slices, n_jobs):
    """Distance from each row of ``X`` (a row of the tree's data) to its k-th other point.

    Queries ``k + 1`` neighbours: the point itself is at distance 0, which is the smallest
    possible, so the (k+1)-th smallest distance is the k-th smallest among the *other*
    points, whatever the order of ties.
    """

    def work(s):
        return tree.query(X[s], k=k + 1, return_distance=True, sort_results=True)[0][:, -1]

    if len(slices) == 1:
        return work(slices[0])
    parts = Parallel(n_jobs=n_jobs, prefer="threads")(delayed(work)(s) for s in slices)
    return np.concatenate(parts)


def _count_within(tree, X, radius, slices, n_jobs):
    """Number of tree points at distance <= ``radius[i]`` from ``X[i]`` (self included)."""

    def work(s):
        return tree.query_radius(X[s], radius[s], count_only=True, return_distance=False)

    if len(slices) == 1:
        return work(slices[0])
    parts = Parallel(n_jobs=n_jobs, prefer="threads")(delayed(work)(s) for s in slices)
    return np.concatenate(parts)


def _ksg_terms(X, y, *, n_neighbors, noise, x_scale, y_scale, n_jobs, rng):
    """Per-sample KSG terms on validated 2-D float arrays (``None`` if a variable is constant).

    ``x_scale`` / ``y_scale`` are the per-column divisors (``None``: no scaling). The
    arrays passed in are never modified.
    """
    n_samples = X.shape[0]
    _check_enough_samples(n_samples, n_neighbors)

    # F1: a constant variable carries no information. Constant columns are dropped (they
    # contribute nothing to the MI, and their tie-breaking noise would otherwise enter the
    # max-norm); if a whole variable is constant the MI is exactly 0.
    keep_x, keep_y = _nonconstant(X), _nonconstant(y)
    if not keep_x.any() or not keep_y.any():
        return None

    # fancy indexing copies, so the caller's arrays are safe from here on
    X = X[:, keep_x]
    y = y[:, keep_y]
    if x_scale is not None:
        X /= x_scale[keep_x]
    if y_scale is not None:
        y /= y_scale[keep_y]
    if noise > 0:
        # as scikit-learn: relative amplitude `noise` times max(1, mean |column|), X first
        X += noise * np.maximum(1, np.mean(np.abs(X), axis=0)) * rng.standard_normal(X.shape)
        y += noise * np.maximum(1, np.mean(np.abs(y), axis=0)) * rng.standard_normal(y.shape)

    n_chunks = min(effective_n_jobs(n_jobs), n_samples)
    slices = list(gen_even_slices(n_samples, n_chunks))

    # eps_i: distance to the k-th neighbour in the joint space, whose max-norm is the max of
    # the X-block and y-block max-norms.
    xy = np.hstack((X, y))
    eps = _kth_distance(KDTree(xy, metric="chebyshev"), xy, n_neighbors, slices, n_jobs)
    del xy
    # strictly closer than eps: a closed ball of radius nextafter(eps, 0) (as scikit-learn).
    radius = np.nextafter(eps, 0)
    positive = eps > 0
    n_x = _count_within(KDTree(X, metric="chebyshev"), X, radius, slices, n_jobs) - 1
    n_y = _count_within(KDTree(y, metric="chebyshev"), y, radius, slices, n_jobs) - 1
    # eps == 0 (more than k exact duplicates, only possible with noise=0): nothing is
    # *strictly* closer than 0.
    n_x = np.where(positive, n_x, 0)
    n_y = np.where(positive, n_y, 0)
    return digamma(n_x + 1.0), digamma(n_y + 1.0)


def _ksg_from_terms(terms, n_samples, n_neighbors):
    """(estimate, standard error) from the digamma terms returned by :func:`_ksg_terms`."""
    if terms is None:
        return 0.0, 0.0
    psi_x, psi_y = terms
    const = digamma(n_samples) + digamma(n_neighbors)
    # (mean_x + mean_y) keeps the value exactly symmetric in the roles of X and y
    mi = const - (np.mean(psi_x) + np.mean(psi_y))
    per_sample = const - psi_x - psi_y
    se = np.std(per_sample, ddof=1) / np.sqrt(n_samples)
    return float(mi), float(se)


_KSG_FUNC_CONSTRAINTS = {
    "X": ["array-like"],
    "y": ["array-like"],
    "n_neighbors": [Interval(Integral, 1, None, closed="left")],
    "metric": [StrOptions({"chebyshev"})],
    "noise": [Interval(Real, 0, None, closed="left")],
    "scale": ["boolean"],
    "n_jobs": [Integral, None],
    "random_state": ["random_state"],
}


@validate_params(_KSG_FUNC_CONSTRAINTS, prefer_skip_nested_validation=True)
def ksg_mi(
    X,
    y,
    *,
    n_neighbors=3,
    metric="chebyshev",
    noise=1e-10,
    scale=True,
    n_jobs=None,
    random_state=None,
):
    """Kraskov--Stögbauer--Grassberger estimate of I(X; Y) in nats.

    KSG "estimator 1" [1]_ with the max-norm, for multivariate ``X`` and ``y``. For each
    sample ``i``, ``eps_i`` is the distance to its ``k``-th nearest neighbour in the joint
    space (the max of the X-block and y-block max-norms), ``n_x(i)`` the number of other
    samples strictly closer than ``eps_i`` in X alone, ``n_y(i)`` the same in y, and::

        I = psi(k) + psi(n) - mean_i[psi(n_x(i) + 1) + psi(n_y(i) + 1)].

    On one-dimensional inputs this is the value
    :func:`sklearn.feature_selection.mutual_info_regression` computes, except that it is not
    clipped at zero (and, for the same integer ``random_state``, the same noise is drawn).

    Parameters
    ----------
    X : array-like of shape (n_samples,) or (n_samples, n_features_x)
        Samples of the first variable.
    y : array-like of shape (n_samples,) or (n_samples, n_features_y)
        Samples of the second variable (data, not a label).
    n_neighbors : int, default=3
        The ``k`` of the estimator. Larger ``k`` lowers the variance and raises the bias.
        Must be smaller than ``n_samples``.
    metric : {"chebyshev"}, default="chebyshev"
        Norm within each variable. Only the max-norm is supported: it is the norm for which
        the estimator-1 formula above holds.
    noise : float, default=1e-10
        Relative amplitude of the Gaussian noise added to break ties, as in scikit-learn:
        column ``j`` gets ``noise * max(1, mean|col_j|) * N(0, 1)`` after scaling. ``0``
        adds none (then tied samples make ``eps_i`` zero or ambiguous, see Notes).
    scale : bool, default=True
        Divide each column by its standard deviation first (constant columns are left
        alone), as scikit-learn does.
    n_jobs : int, default=None
        Number of threads for the neighbour queries, split over chunks of query points.
        The result does not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds the tie-breaking noise. ``None`` draws fresh noise without touching NumPy's
        global generator.

    Returns
    -------
    mi : float
        Estimate of the mutual information in nats; may be slightly negative (it is never
        clipped). Exactly ``0.0`` when ``X`` or ``y`` is constant.

    Raises
    ------
    ValueError
        If ``n_samples <= n_neighbors``, or the inputs have different lengths.

    See Also
    --------
    KSGMI : The same estimator with the scikit-learn estimator API and a standard error.
    sklearn.feature_selection.mutual_info_regression : Univariate version.

    Notes
    -----
    Constant columns are dropped before the estimate: they carry no information. With
    ``noise=0`` and tied values (integer data), neighbours at exactly ``eps_i`` are not
    counted and ``eps_i`` may be zero; the tiny default noise turns ties into an arbitrary
    but reproducible (for a fixed ``random_state``) order. Heavily tied data are not
    continuous, and the estimate then reflects how the ties were broken.

    Memory grows linearly with ``n_samples``: KD-trees only, no pairwise distance matrix.

    References
    ----------
    .. [1] A. Kraskov, H. Stögbauer and P. Grassberger, "Estimating mutual information",
       Phys. Rev. E 69, 066138, 2004.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.neighbors import ksg_mi
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(2000)
    >>> y = 0.9 * x + np.sqrt(1 - 0.9**2) * rng.standard_normal(2000)
    >>> print(f"true {-0.5 * np.log(1 - 0.9**2):.2f}, KSG {ksg_mi(x, y, random_state=0):.2f}")
    true 0.83, KSG 0.84
    """
    X = _as_2d_float(X, "X")
    y = _as_2d_float(y, "y")
    check_consistent_length(X, y)
    mi, _ = _ksg_mi_se(
        X,
        y,
        n_neighbors=n_neighbors,
        noise=noise,
        x_scale=_column_scale(X) if scale else None,
        y_scale=_column_scale(y) if scale else None,
        n_jobs=n_jobs,
        random_state=random_state,
    )
    return mi


def _ksg_mi_se(X, y, *, n_neighbors, noise, x_scale, y_scale, n_jobs, random_state):
    """KSG (estimate, standard error) on validated 2-D float64 arrays."""
    rng = _make_rng(random_state) if noise > 0 else None
    terms = _ksg_terms(
        X,
        y,
        n_neighbors=n_neighbors,
        noise=noise,
        x_scale=x_scale,
        y_scale=y_scale,
        n_jobs=n_jobs,
        rng=rng,
    )
    return _ksg_from_terms(terms, X.shape[0], n_neighbors)


class _BaselineMI(BaseEstimator):
    """Shared validation for the baselines: y is a second variable, 1-D or 2-D."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags

    def _validate_xy(self, X, y, *, reset):
        X, y = validate_data(
            self,
            X,
            y,
            reset=reset,
            multi_output=True,
            y_numeric=True,
            dtype=np.float64,
        )
        y = np.asarray(y, dtype=np.float64)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        return X, y

    def _estimate(self, X, y):
        """(estimate, standard error) in nats on validated 2-D arrays."""
        raise NotImplementedError

    def estimate(self, X, y):
        """Estimate I(X; y) on the given data, with its standard error.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples of the first variable.
        y : array-like of shape (n_samples,) or (n_samples, n_features_y)
            Samples of the second variable.

        Returns
        -------
        MIEstimate
            ``mi`` and ``se`` in nats (the se as in ``mutual_info_se_``), so the
            baselines work with :class:`~sklearn_mi.MutualInfoSelector` and
            :func:`~sklearn_mi.cross_val_mi`.
        """
        check_is_fitted(self)
        X, y = self._validate_xy(X, y, reset=False)
        if y.shape[1] != self._n_features_y:
            raise ValueError(
                f"y has {y.shape[1]} columns, but {type(self).__name__} was fitted with "
                f"{self._n_features_y}."
            )
        mi, se = self._estimate(X, y)
        return MIEstimate(float(mi), float(se), X.shape[0])

    def score(self, X, y):
        """Estimate of I(X; y) in nats on the given data (higher is more dependence).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples of the first variable.
        y : array-like of shape (n_samples,) or (n_samples, n_features_y)
            Samples of the second variable.

        Returns
        -------
        mi : float
            Estimated mutual information in nats (never clipped).
        """
        return self.estimate(X, y).mi


class KSGMI(_BaselineMI):
    """Kraskov--Stögbauer--Grassberger k-nearest-neighbour mutual-information estimator.

    KSG "estimator 1" [1]_ with the max-norm for multivariate ``X`` and ``y``, in the
    sklearn_mi estimator API: ``fit(X, y)`` then ``mutual_info_`` (nats), or ``score(X, y)``
    on any data. ``y`` is the second variable, not a label. There is nothing to learn except
    the per-column scaling, which ``fit`` stores and ``score`` reuses; ``mutual_info_`` is the
    estimate on the training data. See :func:`ksg_mi` for the formula.

    Parameters
    ----------
    n_neighbors : int, default=3
        The ``k`` of the estimator; ``n_samples`` must be larger.
    metric : {"chebyshev"}, default="chebyshev"
        Norm within each variable; only the max-norm is supported.
    noise : float, default=1e-10
        Relative amplitude of the tie-breaking Gaussian noise (scikit-learn's recipe:
        ``noise * max(1, mean|col|) * N(0, 1)`` per column after scaling); ``0`` for none.
    scale : bool, default=True
        Divide each column by its training standard deviation (constant columns by 1).
    n_jobs : int, default=None
        Threads for the neighbour queries; the result does not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds the tie-breaking noise. With an int, ``score`` on the training data
        reproduces ``mutual_info_`` exactly.

    Attributes
    ----------
    mutual_info_ : float
        KSG estimate on the training data, in nats (not clipped; exactly 0.0 if ``X`` or
        ``y`` is constant).
    mutual_info_se_ : float
        Approximate standard error of ``mutual_info_`` in nats: the standard deviation of
        the per-sample terms ``psi(k) + psi(n) - psi(n_x + 1) - psi(n_y + 1)`` divided by
        ``sqrt(n)``. The terms are not independent (they share neighbours), so this is only
        a rough guide; it does not include the estimator's bias.
    x_scale_ : ndarray of shape (n_features_in_,)
        Divisors applied to the columns of ``X`` (ones if ``scale=False``).
    y_scale_ : ndarray of shape (n_features_y,)
        Divisors applied to the columns of ``y``.
    n_features_in_ : int
        Number of columns of ``X`` seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of ``X``, when it is a DataFrame with string column names.

    See Also
    --------
    ksg_mi : Functional form.
    GaussianMI : Gaussian (canonical-correlation) baseline.

    Notes
    -----
    Neighbour searches use KD-trees (memory linear in ``n_samples``). The estimator is
    known to underestimate large MI and to degrade in high dimension (e.g. about 0.7 nats
    for 16 independent ``rho=0.5`` pairs whose true MI is 2.3 nats).

    References
    ----------
    .. [1] A. Kraskov, H. Stögbauer and P. Grassberger, "Estimating mutual information",
       Phys. Rev. E 69, 066138, 2004.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.neighbors import KSGMI
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((2000, 2))
    >>> y = 0.9 * X + np.sqrt(1 - 0.9**2) * rng.standard_normal((2000, 2))
    >>> est = KSGMI(random_state=0).fit(X, y)
    >>> print(f"true {-np.log(1 - 0.9**2):.2f}, KSG {est.mutual_info_:.2f}")  # two rho=0.9 pairs
    true 1.66, KSG 1.65
    """

    _parameter_constraints: dict = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "metric": [StrOptions({"chebyshev"})],
        "noise": [Interval(Real, 0, None, closed="left")],
        "scale": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        n_neighbors=3,
        metric="chebyshev",
        noise=1e-10,
        scale=True,
        n_jobs=None,
        random_state=None,
    ):
        self.n_neighbors = n_neighbors
        self.metric = metric
        self.noise = noise
        self.scale = scale
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Store the scaling and estimate I(X; y) on the training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples of the first variable.
        y : array-like of shape (n_samples,) or (n_samples, n_features_y)
            Samples of the second variable.

        Returns
        -------
        self : KSGMI
            The fitted estimator.
        """
        X, y = self._validate_xy(X, y, reset=True)
        _check_enough_samples(X.shape[0], self.n_neighbors)
        if self.scale:
            self.x_scale_, self.y_scale_ = _column_scale(X), _column_scale(y)
        else:
            self.x_scale_, self.y_scale_ = np.ones(X.shape[1]), np.ones(y.shape[1])
        self._n_features_y = y.shape[1]
        self.mutual_info_, self.mutual_info_se_ = self._estimate(X, y)
        return self

    def _estimate(self, X, y):
        return _ksg_mi_se(
            X,
            y,
            n_neighbors=self.n_neighbors,
            noise=self.noise,
            x_scale=self.x_scale_,
            y_scale=self.y_scale_,
            n_jobs=self.n_jobs,
            random_state=self.random_state,
        )


# --------------------------------------------------------------------------------------
# Gaussian
# --------------------------------------------------------------------------------------
def _inv_sqrt(a):
    """``W`` with ``W.T @ a @ W = I`` on the numerical range of the PSD matrix ``a``."""
    w, u = np.linalg.eigh(a)
    keep = w > w.max(initial=0.0) * a.shape[0] * _EPS
    return u[:, keep] / np.sqrt(w[keep])


def _gaussian_mi_se(X, y, *, regularization):
    """Gaussian (estimate, standard error, canonical correlations) on 2-D float arrays."""
    n_samples = X.shape[0]
    if n_samples < 2:
        raise ValueError(
            f"Gaussian mutual information needs at least 2 samples to estimate a "
            f"covariance; got n_samples={n_samples}."
        )
    keep_x, keep_y = _nonconstant(X), _nonconstant(y)
    if not keep_x.any() or not keep_y.any():
        return 0.0, 0.0, np.zeros(0)
    z = np.hstack((X[:, keep_x], y[:, keep_y]))  # a copy
    z -= z.mean(axis=0)
    z /= np.maximum(np.sqrt(np.mean(z * z, axis=0)), np.finfo(np.float64).tiny)
    corr = (z.T @ z) / n_samples
    d_x = int(keep_x.sum())
    r_xx = corr[:d_x, :d_x] + regularization * np.eye(d_x)
    r_yy = corr[d_x:, d_x:] + regularization * np.eye(corr.shape[0] - d_x)
    r_xy = corr[:d_x, d_x:]
    c = _inv_sqrt(r_xx).T @ r_xy @ _inv_sqrt(r_yy)
    rho = np.clip(np.linalg.svd(c, compute_uv=False), 0.0, 1.0)
    one_minus_rho2 = np.maximum((1.0 - rho) * (1.0 + rho), _EPS)
    mi = -0.5 * float(np.sum(np.log(one_minus_rho2)))
    se = float(np.sqrt(np.sum(rho**2) / n_samples))
    return mi, se, rho


@validate_params(
    {
        "X": ["array-like"],
        "y": ["array-like"],
        "regularization": [Interval(Real, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def gaussian_mi(X, y, *, regularization=1e-10):
    """Mutual information in nats of a Gaussian fitted to ``(X, y)``.

    ``I = 1/2 (log det S_xx + log det S_yy - log det S)`` for the sample covariance ``S``,
    computed as ``-1/2 sum_k log(1 - rho_k**2)`` over the canonical correlations ``rho_k``
    of the (ridge-regularised) sample correlation matrix. Exact for Gaussian data up to
    sampling error, a lower bound on the MI of any distribution with the same covariance,
    and blind to non-linear dependence.

    Parameters
    ----------
    X : array-like of shape (n_samples,) or (n_samples, n_features_x)
        Samples of the first variable.
    y : array-like of shape (n_samples,) or (n_samples, n_features_y)
        Samples of the second variable.
    regularization : float, default=1e-10
        Ridge added to the diagonal of each block of the correlation matrix (relative: the
        columns are standardised first), which keeps the value finite when a variable is
        an exact linear function of the other (then about ``0.5 * log(1 / (2 *
        regularization))`` per exactly-dependent direction).

    Returns
    -------
    mi : float
        Estimated mutual information in nats (``>= 0``). Exactly ``0.0`` when ``X`` or ``y``
        is constant; constant columns are ignored, as are linearly redundant ones.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.neighbors import gaussian_mi
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(5000)
    >>> y = 0.5 * x + np.sqrt(1 - 0.5**2) * rng.standard_normal(5000)
    >>> print(f"true {-0.5 * np.log(1 - 0.5**2):.3f}, Gaussian {gaussian_mi(x, y):.3f}")
    true 0.144, Gaussian 0.149
    """
    X = _as_2d_float(X, "X")
    y = _as_2d_float(y, "y")
    check_consistent_length(X, y)
    return _gaussian_mi_se(X, y, regularization=regularization)[0]


class GaussianMI(_BaselineMI):
    """Mutual information of a Gaussian fitted to the data (canonical-correlation baseline).

    ``I = 1/2 (log det S_xx + log det S_yy - log det S) = -1/2 sum_k log(1 - rho_k**2)``
    with ``S`` the sample covariance of ``(X, y)`` and ``rho_k`` its canonical correlations.
    Exact (up to sampling error) for jointly Gaussian data; for other data it is the MI of
    the Gaussian with the same covariance, which captures linear dependence only. Nothing is
    learned: ``fit`` estimates on the training data, ``score`` on the data it is given.

    Parameters
    ----------
    regularization : float, default=1e-10
        Ridge added to the diagonal blocks of the sample correlation matrix, so that the
        value stays finite for singular or degenerate covariances (an exact linear relation
        gives about ``0.5 * log(1 / (2 * regularization))`` nats per such direction).
        Constant columns are dropped and linearly redundant columns within a variable add
        nothing.

    Attributes
    ----------
    mutual_info_ : float
        Estimate on the training data, in nats (exactly 0.0 if ``X`` or ``y`` is constant).
    mutual_info_se_ : float
        Asymptotic standard error in nats, from the delta method for Gaussian data:
        ``sqrt(sum_k rho_k**2 / n)``, using ``Var(rho_hat_k) ~ (1 - rho_k**2)**2 / n``.
        At independence it is of the order of the estimate's own sampling spread
        (``sqrt(d_x d_y) / n``); it ignores non-Gaussianity.
    canonical_correlations_ : ndarray of shape (n_components,)
        Sample canonical correlations of the training data, in decreasing order.
    n_features_in_ : int
        Number of columns of ``X`` seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of ``X``, when it is a DataFrame with string column names.

    See Also
    --------
    gaussian_mi : Functional form.
    KSGMI : Non-parametric k-nearest-neighbour estimator.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed., Wiley,
       2006 (differential entropy of the multivariate normal).
    .. [2] A. Kraskov, H. Stögbauer and P. Grassberger, "Estimating mutual information",
       Phys. Rev. E 69, 066138, 2004 (the non-parametric alternative, :class:`KSGMI`).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.neighbors import GaussianMI
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((5000, 3))
    >>> y = 0.5 * X + np.sqrt(1 - 0.5**2) * rng.standard_normal((5000, 3))
    >>> est = GaussianMI().fit(X, y)  # three rho=0.5 pairs
    >>> print(f"true {-1.5 * np.log(1 - 0.5**2):.3f}, Gaussian {est.mutual_info_:.3f}")
    true 0.432, Gaussian 0.414
    """

    _parameter_constraints: dict = {
        "regularization": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, regularization=1e-10):
        self.regularization = regularization

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Estimate I(X; y) on the training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples of the first variable.
        y : array-like of shape (n_samples,) or (n_samples, n_features_y)
            Samples of the second variable.

        Returns
        -------
        self : GaussianMI
            The fitted estimator.
        """
        X, y = self._validate_xy(X, y, reset=True)
        self.mutual_info_, self.mutual_info_se_, self.canonical_correlations_ = _gaussian_mi_se(
            X, y, regularization=self.regularization
        )
        self._n_features_y = y.shape[1]
        return self

    def _estimate(self, X, y):
        return _gaussian_mi_se(X, y, regularization=self.regularization)[:2]
