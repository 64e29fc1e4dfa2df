"""Tests for the classical baselines in :mod:`sklearn_mi.neighbors` (KSG and Gaussian).

Every test compares against a closed form, an independent reference implementation
(scikit-learn's ``mutual_info_regression``, a NumPy double loop, ``np.cov`` log-determinants)
or an exact invariant. Values are in nats.
"""

import tracemalloc

import numpy as np
import pytest
from scipy.special import digamma
from sklearn.base import clone
from sklearn.feature_selection import mutual_info_regression
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_mi.neighbors import KSGMI, GaussianMI, gaussian_mi, ksg_mi


def _gaussian_pairs(n, rho, n_pairs=1, seed=0):
    """(X, Y) with n_pairs independent coordinate pairs of correlation rho."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, n_pairs))
    y = rho * x + np.sqrt(1 - rho**2) * rng.standard_normal((n, n_pairs))
    return x, y


def _true_mi(rho, n_pairs=1):
    return -0.5 * n_pairs * np.log(1 - rho**2)


def _ksg_bruteforce(x, y, k):
    """Obviously-correct KSG estimator 1 (max-norm): a NumPy loop over samples.

    Returns (estimate, standard error as documented: std of per-sample terms / sqrt(n)).
    """
    x = x.reshape(len(x), -1)
    y = y.reshape(len(y), -1)
    n = len(x)
    terms = np.empty(n)
    for i in range(n):
        dx = np.abs(x - x[i]).max(axis=1)
        dy = np.abs(y - y[i]).max(axis=1)
        others = np.arange(n) != i
        dx, dy = dx[others], dy[others]
        eps = np.sort(np.maximum(dx, dy))[k - 1]
        n_x = np.sum(dx < eps)
        n_y = np.sum(dy < eps)
        terms[i] = digamma(k) + digamma(n) - digamma(n_x + 1) - digamma(n_y + 1)
    return terms.mean(), terms.std(ddof=1) / np.sqrt(n)


# ----------------------------------------------------------------------------- accuracy
@pytest.mark.parametrize("rho", [0.5, 0.9])
def test_bivariate_gaussian_closed_form(rho):
    x, y = _gaussian_pairs(3000, rho, seed=1)
    truth = _true_mi(rho)
    ksg = KSGMI(random_state=0).fit(x, y)
    gauss = GaussianMI().fit(x, y)
    assert abs(ksg.mutual_info_ - truth) < 0.05
    assert abs(gauss.mutual_info_ - truth) < 0.02
    # Gaussian standard error: delta method sqrt(rho_hat^2 / n) in one dimension
    rho_hat = np.corrcoef(x[:, 0], y[:, 0])[0, 1]
    assert gauss.mutual_info_se_ == pytest.approx(abs(rho_hat) / np.sqrt(3000), rel=1e-8)
    assert gauss.mutual_info_ == pytest.approx(-0.5 * np.log(1 - rho_hat**2), rel=1e-8)
    # KSG standard error is of the order of the sampling spread (a rough guide)
    assert 0.002 < ksg.mutual_info_se_ < 0.05


def test_multivariate_gaussian_closed_form():
    rho = 0.6
    x, y = _gaussian_pairs(3000, rho, n_pairs=3, seed=2)
    truth = _true_mi(rho, n_pairs=3)  # 0.669
    assert abs(KSGMI(random_state=0).fit(x, y).mutual_info_ - truth) < 0.08
    gauss = GaussianMI().fit(x, y)
    assert abs(gauss.mutual_info_ - truth) < 0.03
    np.testing.assert_allclose(gauss.canonical_correlations_, rho, atol=0.04)


def test_independent_is_near_zero():
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((3000, 2)), rng.standard_normal((3000, 1))
    ksg = KSGMI(random_state=0).fit(x, y)
    gauss = GaussianMI().fit(x, y)
    assert abs(ksg.mutual_info_) < 0.03
    assert 0 <= gauss.mutual_info_ < 0.005
    # the error bars cover zero at independence
    assert abs(ksg.mutual_info_) < 4 * ksg.mutual_info_se_
    assert gauss.mutual_info_ < 4 * gauss.mutual_info_se_


def test_ksg_matches_bruteforce_reference():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((150, 2))
    y = x[:, :1] ** 3 + 0.5 * rng.standard_normal((150, 1))
    for k in (1, 3, 5):
        mi_ref, se_ref = _ksg_bruteforce(x, y, k)
        est = KSGMI(n_neighbors=k, noise=0, scale=False).fit(x, y)
        assert est.mutual_info_ == pytest.approx(mi_ref, abs=1e-12)
        assert est.mutual_info_se_ == pytest.approx(se_ref, abs=1e-12)
        assert ksg_mi(x, y, n_neighbors=k, noise=0, scale=False) == est.mutual_info_


def test_gaussian_matches_logdet_formula():
    rng = np.random.default_rng(5)
    a = rng.standard_normal((500, 5)) @ rng.standard_normal((5, 5))
    x, y = a[:, :2], a[:, 2:]
    cov = np.cov(a, rowvar=False)
    logdet = lambda m: np.linalg.slogdet(m)[1]  # noqa: E731
    expected = 0.5 * (logdet(cov[:2, :2]) + logdet(cov[2:, 2:]) - logdet(cov))
    assert gaussian_mi(x, y) == pytest.approx(expected, rel=1e-7)
    assert GaussianMI().fit(x, y).mutual_info_ == gaussian_mi(x, y)


# ------------------------------------------------------------------ agreement with sklearn
@pytest.mark.parametrize("k", [3, 7])
@pytest.mark.parametrize("rho", [0.3, 0.9])
def test_ksg_agrees_with_mutual_info_regression(k, rho):
    x, y = _gaussian_pairs(1500, rho, seed=6)
    x = 3.0 * x + 10.0  # exercise the scaling
    ref = mutual_info_regression(x, y[:, 0], n_neighbors=k, random_state=7)[0]
    assert ref > 0  # dependent data: scikit-learn's clipping at 0 is not in play
    # same scaling and the same noise draw: agreement to rounding
    assert ksg_mi(x, y[:, 0], n_neighbors=k, random_state=7) == pytest.approx(ref, abs=1e-12)
    assert KSGMI(n_neighbors=k, random_state=7).fit(x, y).mutual_info_ == pytest.approx(
        ref, abs=1e-12
    )
    # without noise (no ties in continuous data) the value is the same to ~1e-6
    assert ksg_mi(x, y, n_neighbors=k, noise=0) == pytest.approx(ref, abs=1e-6)


def test_ksg_unclipped_where_sklearn_clips():
    rng = np.random.default_rng(8)
    found_negative = False
    for _ in range(5):
        x, y = rng.standard_normal((300, 1)), rng.standard_normal(300)
        ours = ksg_mi(x, y, random_state=1)
        ref = mutual_info_regression(x, y, random_state=1)[0]
        assert max(ours, 0.0) == pytest.approx(ref, abs=1e-12)
        found_negative |= ours < 0
    assert found_negative  # the documented difference: KSGMI never clips


# ----------------------------------------------------------------------------- invariants
def test_symmetry_swap_roles():
    """F3: I(X; Y) == I(Y; X); exactly with noise=0, to the noise level otherwise."""
    rng = np.random.default_rng(9)
    x = rng.standard_normal((800, 2))
    y = np.sin(x[:, :1]) + 0.3 * rng.standard_normal((800, 1))
    assert ksg_mi(x, y, noise=0) == ksg_mi(y, x, noise=0)
    assert KSGMI(noise=0).fit(x, y).mutual_info_ == KSGMI(noise=0).fit(y, x).mutual_info_
    assert ksg_mi(x, y, random_state=0) == pytest.approx(ksg_mi(y, x, random_state=0), abs=1e-6)
    assert gaussian_mi(x, y) == pytest.approx(gaussian_mi(y, x), rel=1e-10)


def test_n_jobs_identical():
    """F20: parallel neighbour queries give the serial result exactly."""
    x, y = _gaussian_pairs(2001, 0.7, n_pairs=2, seed=10)
    serial = KSGMI(n_jobs=1, random_state=0).fit(x, y)
    parallel = KSGMI(n_jobs=2, random_state=0).fit(x, y)
    assert serial.mutual_info_ == parallel.mutual_info_
    assert serial.mutual_info_se_ == parallel.mutual_info_se_
    assert ksg_mi(x, y, noise=0, n_jobs=1) == ksg_mi(x, y, noise=0, n_jobs=3)


def test_y_1d_equals_y_one_column():
    x, y = _gaussian_pairs(500, 0.5, seed=11)
    assert KSGMI(random_state=0).fit(x, y[:, 0]).mutual_info_ == (
        KSGMI(random_state=0).fit(x, y).mutual_info_
    )
    assert GaussianMI().fit(x, y[:, 0]).mutual_info_ == GaussianMI().fit(x, y).mutual_info_


def test_score_on_training_data_reproduces_mutual_info():
    x, y = _gaussian_pairs(600, 0.8, n_pairs=2, seed=12)
    for est in (KSGMI(random_state=3), GaussianMI()):
        est.fit(x, y)
        score = est.score(x, y)
        assert type(score) is float
        assert score == est.mutual_info_
        # on held-out data from the same distribution: close to the training value
        x2, y2 = _gaussian_pairs(600, 0.8, n_pairs=2, seed=13)
        assert abs(est.score(x2, y2) - _true_mi(0.8, 2)) < 0.15
        with pytest.raises(ValueError, match="features"):
            est.score(x[:, :1], y)
        with pytest.raises(ValueError, match="columns"):
            est.score(x, y[:, :1])


def test_ksg_score_uses_fitted_scaling():
    x, y = _gaussian_pairs(500, 0.8, seed=14)
    est = KSGMI(noise=0).fit(x, y)
    np.testing.assert_allclose(est.x_scale_, x.std(axis=0))
    # scoring rescaled data with the training scaling equals scoring unscaled data with
    # scale=False after dividing by the training scale by hand
    x2, y2 = 5.0 * x[:300], y[:300]
    expected = ksg_mi(x2 / est.x_scale_, y2 / est.y_scale_, noise=0, scale=False)
    assert est.score(x2, y2) == expected


def test_constant_variable_gives_exact_zero():
    """F1: a constant X or y carries no information: exactly 0.0, both estimators."""
    rng = np.random.default_rng(15)
    x = rng.standard_normal((200, 3))
    for y in (np.full(200, 7.0), np.full((200, 2), -1.5), np.zeros(200, dtype=np.int64)):
        for est in (KSGMI(random_state=0), GaussianMI()):
            est.fit(x, y)
            assert est.mutual_info_ == 0.0 and type(est.mutual_info_) is float
            assert est.mutual_info_se_ == 0.0
            assert est.score(x, y) == 0.0
            est.fit(y.reshape(200, -1), x[:, 0])  # constant in the X role
            assert est.mutual_info_ == 0.0
        assert ksg_mi(x, y) == 0.0
        assert gaussian_mi(x, y) == 0.0


def test_constant_columns_are_ignored():
    x, y = _gaussian_pairs(400, 0.7, seed=16)
    x_const = np.hstack((x, np.full((400, 1), 1e8)))  # would dominate any added noise
    assert ksg_mi(x_const, y, random_state=0) == ksg_mi(x, y, random_state=0)
    assert gaussian_mi(x_const, y) == gaussian_mi(x, y)


def test_int_and_float_inputs_identical():
    """F4: int64 input gives the same estimate as the same values as float64."""
    rng = np.random.default_rng(17)
    x_int = np.append(rng.permutation(100), 1000).astype(np.int64).reshape(-1, 1)
    y_int = (x_int[:, 0] % 7 + rng.integers(0, 3, size=101)).astype(np.int64)
    x_float, y_float = x_int.astype(np.float64), y_int.astype(np.float64)
    for est in (KSGMI(random_state=0), GaussianMI()):
        a = clone(est).fit(x_int, y_int)
        b = clone(est).fit(x_float, y_float)
        assert a.mutual_info_ == b.mutual_info_
        assert a.mutual_info_se_ == b.mutual_info_se_
    assert ksg_mi(x_int, y_int, random_state=0) == ksg_mi(x_float, y_float, random_state=0)


def test_inputs_not_modified():
    """F4: the caller's arrays are never modified (scaling and noise act on copies)."""
    x, y = _gaussian_pairs(300, 0.5, n_pairs=2, seed=18)
    x = 4.0 * x + 2.0  # float64 and C-contiguous: validation would not copy
    x_before, y_before = x.copy(), y.copy()
    KSGMI(random_state=0).fit(x, y).score(x, y)
    KSGMI(scale=False, random_state=0).fit(x, y)
    GaussianMI().fit(x, y).score(x, y)
    ksg_mi(x, y[:, 0])
    gaussian_mi(x, y)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(y, y_before)


def test_ties_reproducible():
    """F8: heavily tied integer data: same random_state, identical result; finite."""
    rng = np.random.default_rng(19)
    x = rng.integers(0, 5, size=(2000, 1))
    y = x[:, 0] + rng.integers(0, 3, size=2000)
    a = KSGMI(random_state=42).fit(x, y).mutual_info_
    b = KSGMI(random_state=42).fit(x, y).mutual_info_
    assert a == b
    assert np.isfinite(ksg_mi(x, y, random_state=1))
    # with a RandomState instance the draw continues, as in scikit-learn
    assert a == ksg_mi(x, y, random_state=np.random.RandomState(42))
    # and the global generator is left alone when random_state is None
    state = np.random.get_state()[1].copy()  # noqa: NPY002
    ksg_mi(x, y)
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002


def test_deterministic_relation_stays_finite():
    """F2 (partial): y = x has infinite MI; both estimators return a finite number."""
    x = np.linspace(-1, 1, 500).reshape(-1, 1)
    assert np.isfinite(ksg_mi(x, x, random_state=0)) and ksg_mi(x, x, random_state=0) > 3
    # Gaussian: the ridge bounds it at about -1/2 log(2 * regularization)
    assert gaussian_mi(x, 2 * x) == pytest.approx(-0.5 * np.log(2e-10), rel=1e-4)
    assert gaussian_mi(x, 2 * x, regularization=1e-4) == pytest.approx(
        -0.5 * np.log(1 - 1 / (1 + 1e-4) ** 2), rel=1e-6
    )


def test_gaussian_redundant_columns_add_nothing():
    x, y = _gaussian_pairs(1000, 0.6, seed=20)
    x_dup = np.hstack((x, x, 2 * x))  # singular within-X covariance
    assert gaussian_mi(x_dup, y) == pytest.approx(gaussian_mi(x, y), abs=1e-5)
    assert np.isfinite(gaussian_mi(x_dup, y, regularization=0.0))


def test_memory_bounded():
    """F20: no n x n matrix (20000**2 float64 would be 3.2 GB)."""
    x, y = _gaussian_pairs(20000, 0.5, seed=21)
    tracemalloc.start()
    try:
        mi = ksg_mi(x, y, random_state=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20e6
    assert abs(mi - _true_mi(0.5)) < 0.03


# ------------------------------------------------------------------------- validation/API
@pytest.mark.parametrize("n_samples", [1, 2, 3])
def test_too_few_samples_raises(n_samples):
    """F5: n <= n_neighbors gives a clear error naming n_neighbors, before computing."""
    rng = np.random.default_rng(22)
    x, y = rng.standard_normal((n_samples, 2)), rng.standard_normal(n_samples)
    with pytest.raises(ValueError, match="n_neighbors"):
        KSGMI(n_neighbors=3).fit(x, y)
    with pytest.raises(ValueError, match=f"n_samples={n_samples}"):
        ksg_mi(x, y, n_neighbors=3)
    # a constant y does not bypass the check
    with pytest.raises(ValueError, match="n_neighbors"):
        ksg_mi(x, np.zeros(n_samples), n_neighbors=3)
    # n = k + 1 is the smallest valid size: the estimate is then fully determined
    x4, y4 = rng.standard_normal((4, 2)), rng.standard_normal(4)
    mi_ref, _ = _ksg_bruteforce(x4, y4, 3)
    assert ksg_mi(x4, y4, n_neighbors=3, noise=0, scale=False) == pytest.approx(mi_ref)


def test_gaussian_too_few_samples_raises():
    with pytest.raises(ValueError, match="sample"):
        GaussianMI().fit(np.ones((1, 2)), np.ones(1))


def test_mismatched_lengths_raise():
    with pytest.raises(ValueError, match="inconsistent"):
        ksg_mi(np.zeros((10, 1)), np.zeros(9))
    with pytest.raises(ValueError, match="inconsistent"):
        KSGMI().fit(np.zeros((10, 1)), np.zeros(9))


@pytest.mark.parametrize(
    "est, param",
    [
        (KSGMI(n_neighbors=0), "n_neighbors"),
        (KSGMI(n_neighbors=2.5), "n_neighbors"),
        (KSGMI(metric="euclidean"), "metric"),
        (KSGMI(noise=-1.0), "noise"),
        (KSGMI(scale="yes"), "scale"),
        (KSGMI(random_state="seed"), "random_state"),
        (GaussianMI(regularization=-1e-3), "regularization"),
    ],
)
def test_parameter_validation(est, param):
    x, y = _gaussian_pairs(50, 0.5)
    with pytest.raises(InvalidParameterError, match=param):
        est.fit(x, y)


def test_function_parameter_validation():
    x, y = _gaussian_pairs(50, 0.5)
    with pytest.raises(InvalidParameterError, match="n_neighbors"):
        ksg_mi(x, y, n_neighbors=0)
    with pytest.raises(InvalidParameterError, match="metric"):
        ksg_mi(x, y, metric="minkowski")
    with pytest.raises(TypeError):
        ksg_mi(x, y, 3)  # keyword-only


def test_keyword_only_init_and_clone():
    with pytest.raises(TypeError):
        KSGMI(5)
    est = KSGMI(n_neighbors=5, noise=0.0, scale=False, n_jobs=2, random_state=1)
    x, y = _gaussian_pairs(200, 0.5)
    est.fit(x, y)
    cloned = clone(est)
    assert cloned.get_params() == est.get_params()
    assert not hasattr(cloned, "mutual_info_")
    assert cloned.fit(x, y).mutual_info_ == est.mutual_info_
    g = clone(GaussianMI(regularization=1e-6))
    assert g.get_params() == {"regularization": 1e-6}


def test_dataframe_sets_feature_names():
    pd = pytest.importorskip("pandas")
    x, y = _gaussian_pairs(300, 0.6, n_pairs=2, seed=23)
    df = pd.DataFrame(x, columns=["a", "b"])
    for est in (KSGMI(random_state=0), GaussianMI()):
        est.fit(df, pd.Series(y[:, 0]))
        assert list(est.feature_names_in_) == ["a", "b"]
        assert est.n_features_in_ == 2
        assert est.mutual_info_ == clone(est).fit(x, y[:, 0]).mutual_info_


@pytest.mark.parametrize("cls", [KSGMI, GaussianMI], ids=lambda c: c.__name__)
def test_baselines_estimate_with_se_and_work_in_selector_and_cv(cls):
    from sklearn_mi import MIEstimate, MutualInfoSelector, cross_val_mi

    rng = np.random.default_rng(0)
    X = rng.standard_normal((1200, 3))
    y = X[:, 1] + 0.5 * rng.standard_normal(1200)
    truth = 0.5 * np.log(1 + 1 / 0.25)  # I(x1; y) for unit x1 and noise sd 0.5
    est = cls().fit(X[:600], y[:600])
    result = est.estimate(X[600:], y[600:])
    assert isinstance(result, MIEstimate) and result.n_samples == 600
    assert result.mi == est.score(X[600:], y[600:]) and result.se > 0
    assert abs(result.mi - truth) < 4 * result.se + 0.05
    sel = MutualInfoSelector(cls(), random_state=0).fit(X, y)
    assert list(sel.selected_) == [1]  # the two noise columns add nothing
    cv = cross_val_mi(cls(), X, y, cv=3, random_state=0)
    assert np.all(np.isfinite(cv.standard_errors)) and cv.ci[0] < truth < cv.ci[1] + 0.1
