"""Tests for sklearn_mi.datasets: every sampler is checked against its true MI."""

from __future__ import annotations

import doctest
import functools
import importlib
import math
import warnings

import numpy as np
import pytest
import scipy.integrate
import scipy.linalg
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_digits

from sklearn_mi import datasets
from sklearn_mi.datasets import (
    TASKS,
    TRANSFORMS,
    Task,
    apply_transform,
    binary_channel_flip_prob,
    binary_channel_mi,
    bits_to_nats,
    dense_covariance,
    digit_pools,
    gaussian_mi,
    get_task,
    invert_transform,
    list_tasks,
    make_binary_channel_digits,
    make_gaussian,
    make_gaussian_covariance,
    make_independent,
    make_student_t,
    make_uniform_noise,
    nats_to_bits,
    sparse_covariance,
    spiral,
    staircase,
    student_t_mi,
    uniform_noise_mi,
)
from sklearn_mi.datasets._transforms import _spiral_generator

LN2 = math.log(2.0)

SAMPLERS = {
    "gaussian": functools.partial(make_gaussian, mi=1.5, n_pairs=3),
    "gaussian-spiral": functools.partial(make_gaussian, mi=1.5, n_pairs=3, transform="spiral"),
    "covariance": functools.partial(
        make_gaussian_covariance, cov=dense_covariance(2, 3, mi=1.0, random_state=0), dim_x=2
    ),
    "student-t": functools.partial(make_student_t, df=3.0, dim_x=2, dim_y=3),
    "uniform-noise": functools.partial(make_uniform_noise, eps=0.2),
    "independent": functools.partial(make_independent, dim_x=2, dim_y=3),
    "independent-laplace": functools.partial(
        make_independent, dim_x=2, dim_y=3, distribution="laplace"
    ),
    "digits": functools.partial(make_binary_channel_digits, n_sources=2, flip_prob=0.1),
}


# --------------------------------------------------------------------------- common contract


@pytest.mark.parametrize("name", SAMPLERS)
def test_contract_shapes_dtypes_determinism(name):
    sampler = SAMPLERS[name]
    X, Y, mi = sampler(37, random_state=0)
    assert isinstance(X, np.ndarray) and isinstance(Y, np.ndarray)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert X.ndim == 2 and Y.ndim == 2 and len(X) == len(Y) == 37
    assert np.all(np.isfinite(X)) and np.all(np.isfinite(Y))
    assert type(mi) is float and mi >= 0.0
    # Same seed -> same sample; int, Generator and RandomState all reproducible.
    X2, Y2, mi2 = sampler(37, random_state=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert mi == mi2
    X3, _, _ = sampler(37, random_state=1)
    assert not np.array_equal(X, X3)
    g1, g2 = np.random.default_rng(5), np.random.default_rng(5)
    np.testing.assert_array_equal(sampler(10, random_state=g1)[1], sampler(10, random_state=g2)[1])
    r1, r2 = np.random.RandomState(5), np.random.RandomState(5)
    np.testing.assert_array_equal(sampler(10, random_state=r1)[1], sampler(10, random_state=r2)[1])
    # A shared generator is advanced: two consecutive draws differ.
    assert not np.array_equal(sampler(10, random_state=g1)[1], sampler(10, random_state=g1)[1])
    # n_samples = 1 still gives 2-D arrays.
    X1, Y1, _ = sampler(1, random_state=0)
    assert X1.shape[0] == Y1.shape[0] == 1 and X1.ndim == Y1.ndim == 2


@pytest.mark.parametrize("name", SAMPLERS)
@pytest.mark.parametrize("random_state", [None, 3, np.random.default_rng(0)])
def test_global_numpy_rng_untouched(name, random_state):
    # The legacy global RNG is exactly what must stay untouched, hence the NPY002 waivers.
    before = np.random.get_state()  # noqa: NPY002
    SAMPLERS[name](20, random_state=random_state)
    after = np.random.get_state()  # noqa: NPY002
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


@pytest.mark.parametrize("bad", [-1, 1.5, "0", object()])
def test_bad_random_state(bad):
    with pytest.raises(ValueError, match="random_state"):
        make_gaussian(5, random_state=bad)


@pytest.mark.parametrize("name", SAMPLERS)
@pytest.mark.parametrize("n", [0, -3, 2.5, True, "10"])
def test_bad_n_samples(name, n):
    with pytest.raises(ValueError, match="n_samples"):
        SAMPLERS[name](n)


def test_keyword_only():
    with pytest.raises(TypeError):
        make_gaussian(10, 1.0)  # mi is keyword-only
    with pytest.raises(TypeError):
        make_student_t(10, 2.0)


# --------------------------------------------------------------------------- make_gaussian


def test_gaussian_mi_rho_relation():
    for mi, d in [(0.0, 1), (0.5, 1), (2.0, 5), (4.0, 10), (31.0, 10), (60.0, 3)]:
        _, _, got = make_gaussian(2, mi=mi, n_pairs=d, random_state=0)
        assert got == mi
        rho = math.sqrt(1.0 - math.exp(-2.0 * mi / d))
        if mi / d < 15:  # beyond that rho rounds to 1 within float precision
            _, _, back = make_gaussian(2, rho=rho, n_pairs=d, random_state=0)
            assert back == pytest.approx(mi, rel=1e-9, abs=1e-12)
    _, _, mi = make_gaussian(3, rho=0.999, n_pairs=10, random_state=0)
    assert mi == pytest.approx(-5.0 * math.log(1 - 0.999**2), rel=1e-12)
    assert round(mi, 2) == 31.08
    assert make_gaussian(3, rho=-0.6, random_state=0)[2] == pytest.approx(-0.5 * math.log(0.64))
    assert make_gaussian(3, random_state=0)[2] == 1.0  # default mi


@pytest.mark.parametrize("mi,d", [(0.0, 2), (0.5, 1), (2.0, 5), (4.0, 10)])
def test_gaussian_empirical_correlation(mi, d):
    n = 20000
    X, Y, _ = make_gaussian(n, mi=mi, n_pairs=d, random_state=1)
    rho = math.sqrt(1.0 - math.exp(-2.0 * mi / d))
    r = np.array([np.corrcoef(X[:, k], Y[:, k])[0, 1] for k in range(d)])
    se = (1.0 - rho**2) / math.sqrt(n)
    assert np.all(np.abs(r - rho) < 5 * se + 1e-12)
    # Pairs are independent of each other and margins are standard normal.
    assert np.all(np.abs(X.mean(0)) < 5 / math.sqrt(n))
    assert np.all(np.abs(Y.std(0) - 1.0) < 0.03)
    if d > 1:
        assert abs(np.corrcoef(X[:, 0], Y[:, 1])[0, 1]) < 5 / math.sqrt(n)


def test_gaussian_stable_near_rho_one():
    rho = 0.999
    X, Y, mi = make_gaussian(20000, rho=rho, n_pairs=10, random_state=0)
    assert np.all(np.isfinite(X)) and np.all(np.isfinite(Y)) and math.isfinite(mi)
    resid = Y - rho * X
    sigma = math.sqrt(1 - rho**2)
    assert np.all(np.abs(resid.std(0) / sigma - 1.0) < 0.05)
    # High MI: the noise scale exp(-mi/d) is used directly (no 1 - rho^2 cancellation).
    X, Y, mi = make_gaussian(20000, mi=40.0, n_pairs=2, random_state=0)
    rho = math.sqrt(-math.expm1(-40.0))
    np.testing.assert_allclose((Y - rho * X).std(0) / math.exp(-20.0), 1.0, atol=0.05)
    # Beyond float64 resolution Y is numerically a function of X: warn, stay finite.
    with pytest.warns(UserWarning, match="float64"):
        X, Y, mi = make_gaussian(100, mi=500.0, n_pairs=2, random_state=0)
    assert np.all(np.isfinite(Y)) and mi == 500.0


# --------------------------------------------------------------------------- transforms


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_transform_applied_to_y_only_and_invertible(transform):
    X0, Y0, mi0 = make_gaussian(500, mi=2.0, n_pairs=5, random_state=3)
    X, Y, mi = make_gaussian(500, mi=2.0, n_pairs=5, transform=transform, random_state=3)
    assert mi == mi0
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, apply_transform(Y0, transform))
    assert not np.allclose(Y, Y0)
    assert np.all(np.isfinite(Y))
    np.testing.assert_allclose(invert_transform(Y, transform), Y0, rtol=1e-7, atol=1e-9)


def test_named_transforms_values():
    y = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
    np.testing.assert_allclose(apply_transform(y, "cubic"), y**3)
    np.testing.assert_allclose(apply_transform(y, "asinh"), np.arcsinh(y))
    np.testing.assert_allclose(apply_transform(y, "cdf"), scipy.stats.norm.cdf(y))
    np.testing.assert_allclose(apply_transform(y, "signed_power"), np.sign(y) * np.abs(y) ** 1.5)
    # cdf gives uniform margins and stays finite even far in the tails.
    _, U, _ = make_gaussian(20000, mi=1.0, n_pairs=2, transform="cdf", random_state=0)
    assert scipy.stats.kstest(U[:, 0], "uniform").pvalue > 1e-3
    assert np.all(np.isfinite(apply_transform(np.array([[-40.0, 40.0]]), "cdf")))


def test_spiral_matches_matrix_exponential():
    rng = np.random.default_rng(0)
    for dim in (2, 3, 5):
        A = _spiral_generator(dim)
        np.testing.assert_allclose(A, -A.T, atol=1e-14)
        assert np.linalg.norm(A) > 0.5
        Y = rng.standard_normal((6, dim)) * 1.5
        for speed in (1 / 3, 1.7):
            Z = spiral(Y, speed=speed)
            for y, z in zip(Y, Z, strict=True):
                R = scipy.linalg.expm(speed * float(y @ y) * A)
                np.testing.assert_allclose(R @ R.T, np.eye(dim), atol=1e-12)
                np.testing.assert_allclose(z, R @ y, atol=1e-10)
            np.testing.assert_allclose(np.linalg.norm(Z, axis=1), np.linalg.norm(Y, axis=1))
            np.testing.assert_allclose(spiral(Z, speed=speed, inverse=True), Y, atol=1e-10)
    # The rotation really depends on the norm (not a fixed linear map).
    y = np.array([[1.0, 0.0]])
    assert not np.allclose(spiral(2 * y), 2 * spiral(y))


def test_spiral_needs_two_dims():
    with pytest.raises(ValueError, match="n_pairs >= 2"):
        make_gaussian(10, mi=1.0, n_pairs=1, transform="spiral")
    with pytest.raises(ValueError, match="at least 2 columns"):
        spiral(np.ones((3, 1)))


def test_callable_transform():
    X0, Y0, _ = make_gaussian(50, mi=1.0, n_pairs=2, random_state=0)
    _, Y, mi = make_gaussian(50, mi=1.0, n_pairs=2, transform=lambda t: 2 * t + 1, random_state=0)
    np.testing.assert_allclose(Y, 2 * Y0 + 1)
    assert mi == 1.0
    with pytest.raises(ValueError, match="preserve the shape"):
        make_gaussian(5, n_pairs=2, transform=lambda t: t[:, :1])
    with pytest.raises(ValueError, match="non-finite"):
        make_gaussian(5, transform=lambda t: t + np.inf)
    with pytest.raises(ValueError, match="Unknown transform"):
        make_gaussian(5, transform="square")
    with pytest.raises(ValueError, match="transform must be"):
        make_gaussian(5, transform=3)


# --------------------------------------------------------------------------- covariance


def _canonical_mi(cov, dim_x):
    """-1/2 sum ln(1 - rho_k^2) from the canonical correlations (independent of slogdet)."""
    sxx, syy, sxy = cov[:dim_x, :dim_x], cov[dim_x:, dim_x:], cov[:dim_x, dim_x:]
    wx = scipy.linalg.inv(scipy.linalg.sqrtm(sxx)).real
    wy = scipy.linalg.inv(scipy.linalg.sqrtm(syy)).real
    rho = np.linalg.svd(wx @ sxy @ wy, compute_uv=False)
    assert np.all(rho < 1)
    return -0.5 * float(np.sum(np.log1p(-(rho**2))))


@pytest.mark.parametrize("dim_x,dim_y", [(1, 1), (2, 3), (4, 2), (5, 5)])
def test_gaussian_covariance_mi_matches_canonical_correlations(dim_x, dim_y):
    rng = np.random.default_rng(dim_x * 10 + dim_y)
    d = dim_x + dim_y
    B = rng.standard_normal((d, d))
    cov = B @ B.T + 0.3 * np.eye(d)
    X, Y, mi = make_gaussian_covariance(30000, cov=cov, dim_x=dim_x, random_state=0)
    assert X.shape == (30000, dim_x) and Y.shape == (30000, dim_y)
    assert mi == pytest.approx(_canonical_mi(cov, dim_x), rel=1e-8, abs=1e-10)
    assert mi == pytest.approx(gaussian_mi(cov, dim_x=dim_x), abs=0)
    emp = np.cov(np.hstack([X, Y]), rowvar=False)
    scale = np.sqrt(np.outer(np.diag(cov), np.diag(cov)))
    assert np.max(np.abs(emp - cov) / scale) < 0.05


def test_gaussian_covariance_validation():
    good = np.array([[1.0, 0.5], [0.5, 1.0]])
    with pytest.raises(ValueError, match="symmetric"):
        make_gaussian_covariance(5, cov=[[1.0, 0.5], [0.2, 1.0]], dim_x=1)
    with pytest.raises(ValueError, match="positive definite"):
        make_gaussian_covariance(5, cov=[[1.0, 2.0], [2.0, 1.0]], dim_x=1)
    with pytest.raises(ValueError, match="positive definite"):
        make_gaussian_covariance(5, cov=[[1.0, 1.0], [1.0, 1.0]], dim_x=1)
    with pytest.raises(ValueError, match="square"):
        make_gaussian_covariance(5, cov=np.ones((2, 3)), dim_x=1)
    with pytest.raises(ValueError, match="dim_x"):
        make_gaussian_covariance(5, cov=good, dim_x=2)
    with pytest.raises(ValueError, match="dim_x"):
        make_gaussian_covariance(5, cov=good, dim_x=0)
    with pytest.raises(ValueError, match="finite"):
        make_gaussian_covariance(5, cov=[[1.0, np.nan], [np.nan, 1.0]], dim_x=1)


@pytest.mark.parametrize("dim_x,dim_y", [(1, 1), (1, 4), (3, 3), (5, 5), (10, 7)])
@pytest.mark.parametrize("mi", [0.0, 0.3, 2.0, 5.0])
def test_dense_covariance_hits_mi(dim_x, dim_y, mi):
    cov = dense_covariance(dim_x, dim_y, mi=mi, random_state=7)
    assert cov.shape == (dim_x + dim_y,) * 2
    np.testing.assert_array_equal(cov, cov.T)
    assert gaussian_mi(cov, dim_x=dim_x) == pytest.approx(mi, abs=1e-8)
    assert _canonical_mi(cov, dim_x) == pytest.approx(mi, abs=1e-8)
    if mi > 0:  # "dense": the cross block has no zero entry
        assert np.all(np.abs(cov[:dim_x, dim_x:]) > 1e-12)
    np.testing.assert_array_equal(cov, dense_covariance(dim_x, dim_y, mi=mi, random_state=7))
    assert not np.array_equal(cov, dense_covariance(dim_x, dim_y, mi=mi, random_state=8))


@pytest.mark.parametrize("dim_x,dim_y,n_int", [(1, 1, 1), (10, 10, 2), (4, 9, 4), (6, 3, 1)])
@pytest.mark.parametrize("mi", [0.0, 0.7, 2.0, 8.0])
def test_sparse_covariance_hits_mi(dim_x, dim_y, n_int, mi):
    cov = sparse_covariance(dim_x, dim_y, mi=mi, n_interacting=n_int, random_state=0)
    np.testing.assert_array_equal(cov, cov.T)
    np.testing.assert_array_equal(cov[:dim_x, :dim_x], np.eye(dim_x))
    np.testing.assert_array_equal(cov[dim_x:, dim_x:], np.eye(dim_y))
    cross = cov[:dim_x, dim_x:]
    assert np.count_nonzero(cross) == (n_int if mi > 0 else 0)
    assert np.all(np.count_nonzero(cross, axis=0) <= 1) and np.all(np.count_nonzero(cross, 1) <= 1)
    assert gaussian_mi(cov, dim_x=dim_x) == pytest.approx(mi, abs=1e-8)
    assert _canonical_mi(cov, dim_x) == pytest.approx(mi, abs=1e-8)


def test_covariance_builder_validation():
    with pytest.raises(ValueError, match="n_interacting"):
        sparse_covariance(3, 2, mi=1.0, n_interacting=3)
    with pytest.raises(ValueError, match="n_interacting"):
        sparse_covariance(3, 2, mi=1.0, n_interacting=0)
    with pytest.raises(ValueError, match="mi"):
        dense_covariance(3, 2, mi=-1.0)
    with pytest.raises(ValueError, match="dim_y"):
        dense_covariance(3, 0, mi=1.0)


# --------------------------------------------------------------------------- Student-t


def test_student_t_closed_form_values():
    assert student_t_mi(1, 1, 1) == pytest.approx(0.2242, abs=5e-5)
    assert student_t_mi(2, 5, 5) == pytest.approx(0.4482, abs=5e-5)
    assert make_student_t(3, df=2, dim_x=5, dim_y=5, random_state=0)[2] == student_t_mi(2, 5, 5)
    # Symmetric in (dim_x, dim_y), decreasing in df, vanishing as df -> inf.
    assert student_t_mi(3, 2, 4) == pytest.approx(student_t_mi(3, 4, 2))
    assert student_t_mi(1, 2, 2) > student_t_mi(5, 2, 2) > student_t_mi(50, 2, 2)
    assert student_t_mi(1e6, 2, 2) < 1e-5


@pytest.mark.parametrize("df,dim_x,dim_y", [(1.0, 1, 1), (2.0, 5, 5), (4.0, 2, 3)])
def test_student_t_monte_carlo(df, dim_x, dim_y):
    n = 20000
    X, Y, mi = make_student_t(n, df=df, dim_x=dim_x, dim_y=dim_y, random_state=0)

    def logpdf(Z):
        d = Z.shape[1]
        return scipy.stats.multivariate_t(loc=np.zeros(d), shape=np.eye(d), df=df).logpdf(Z)

    pmi = logpdf(np.hstack([X, Y])) - logpdf(X) - logpdf(Y)
    se = pmi.std(ddof=1) / math.sqrt(n)
    assert abs(pmi.mean() - mi) < 4 * se
    assert se < 0.01


# --------------------------------------------------------------------------- uniform noise


def _uniform_noise_mi_by_quadrature(eps):
    """I = int_0^1 int_{x-eps}^{x+eps} p(y|x) ln(p(y|x) / p(y)) dy dx by nested quadrature."""

    def p_y(y):  # convolution of U(0, 1) and U(-eps, eps)
        return max(0.0, min(1.0, y + eps) - max(0.0, y - eps)) / (2 * eps)

    kinks_y = [-eps, eps, 1 - eps, 1 + eps]

    def inner(x):
        lo, hi = x - eps, x + eps
        pts = [k for k in kinks_y if lo < k < hi]
        val, _ = scipy.integrate.quad(
            lambda y: math.log(1 / (2 * eps) / p_y(y)) / (2 * eps),
            lo,
            hi,
            points=pts or None,
            epsabs=1e-12,
            epsrel=1e-10,
            limit=200,
        )
        return val

    kinks_x = [k for k in (2 * eps, 1 - 2 * eps, 2 * eps - 1, 2 - 2 * eps) if 0 < k < 1]
    val, _ = scipy.integrate.quad(
        inner, 0, 1, points=kinks_x or None, epsabs=1e-10, epsrel=1e-9, limit=200
    )
    return val


@pytest.mark.parametrize("eps", [0.02, 0.1, 0.25, 0.4, 0.5, 0.6, 1.0, 3.0])
def test_uniform_noise_closed_form_vs_quadrature(eps):
    assert uniform_noise_mi(eps) == pytest.approx(_uniform_noise_mi_by_quadrature(eps), abs=1e-6)


def test_uniform_noise_formula_and_samples():
    assert uniform_noise_mi(0.1) == pytest.approx(math.log(5.0) + 0.1)
    assert uniform_noise_mi(2.0) == pytest.approx(1 / 8)
    assert uniform_noise_mi(0.5 - 1e-12) == pytest.approx(uniform_noise_mi(0.5 + 1e-12))
    X, Y, mi = make_uniform_noise(5000, eps=0.3, random_state=0)
    assert mi == uniform_noise_mi(0.3)
    assert X.min() >= 0 and X.max() <= 1
    noise = Y - X
    assert noise.min() >= -0.3 and noise.max() <= 0.3
    assert abs(noise.mean()) < 0.02 and abs(noise.std() - 0.3 / math.sqrt(3)) < 0.01
    for bad in (0.0, -0.1, math.inf, math.nan):
        with pytest.raises(ValueError, match="eps"):
            make_uniform_noise(5, eps=bad)


# --------------------------------------------------------------------------- independent


@pytest.mark.parametrize("distribution", ["gaussian", "uniform", "laplace"])
def test_independent(distribution):
    X, Y, mi = make_independent(20000, dim_x=2, dim_y=3, distribution=distribution, random_state=0)
    assert mi == 0.0 and X.shape == (20000, 2) and Y.shape == (20000, 3)
    C = np.corrcoef(np.hstack([X, Y]), rowvar=False)[:2, 2:]
    assert np.max(np.abs(C)) < 5 / math.sqrt(20000)
    if distribution == "uniform":
        assert X.min() >= 0 and X.max() <= 1
    with pytest.raises(ValueError, match="distribution"):
        make_independent(5, distribution="cauchy")


# --------------------------------------------------------------------------- digits BSC


def _image_lookup():
    digits = load_digits()
    return {
        row.tobytes(): int(t) for row, t in zip(digits.data / 16.0, digits.target, strict=True)
    }


def test_digit_pools_disjoint_and_labelled():
    lookup = _image_lookup()
    pools = digit_pools()
    keys = {}
    for side in ("x", "y"):
        for digit, images in enumerate(pools[side]):
            assert images.shape[1] == 64 and len(images) > 80
            assert images.min() >= 0 and images.max() <= 1
            for row in images:
                assert lookup[row.tobytes()] == digit  # the right digit's image
                keys.setdefault(row.tobytes(), set()).add(side)
    assert all(len(v) == 1 for v in keys.values())  # X and Y pools share no image
    n01 = int(np.sum(load_digits().target <= 1))
    assert len(keys) == n01  # every 0/1 image is used by exactly one pool


def test_binary_channel_digits_sampler():
    n, s, p = 6000, 2, 0.2
    X, Y, mi = make_binary_channel_digits(n, n_sources=s, flip_prob=p, random_state=0)
    assert X.shape == Y.shape == (n, 64 * s)
    hb = scipy.stats.entropy([p, 1 - p])
    assert mi == pytest.approx(s * (LN2 - hb), rel=1e-12)
    pools = digit_pools()
    pool_digit = {
        side: {r.tobytes(): d for d, imgs in enumerate(pools[side]) for r in imgs}
        for side in ("x", "y")
    }
    bits_x = []
    for k in range(s):
        bx = np.array([pool_digit["x"][r.tobytes()] for r in X[:, 64 * k : 64 * (k + 1)]])
        by = np.array([pool_digit["y"][r.tobytes()] for r in Y[:, 64 * k : 64 * (k + 1)]])
        assert abs(bx.mean() - 0.5) < 4 * 0.5 / math.sqrt(n)  # fair bits
        flip_rate = np.mean(bx != by)
        assert abs(flip_rate - p) < 4 * math.sqrt(p * (1 - p) / n)
        bits_x.append(bx)
    assert abs(np.corrcoef(bits_x[0], bits_x[1])[0, 1]) < 5 / math.sqrt(n)  # independent
    # Images within a side are drawn at random, not one fixed image per digit.
    assert len({r.tobytes() for r in X[:, :64]}) > 100


def test_binary_channel_digits_mi_target():
    X, Y, mi = make_binary_channel_digits(4000, n_sources=2, mi=1.0, random_state=1)
    assert mi == 1.0
    p = binary_channel_flip_prob(1.0, n_sources=2)
    assert 2 * (LN2 - scipy.stats.entropy([p, 1 - p])) == pytest.approx(1.0, abs=1e-10)
    # p = 0 gives identical digit labels; max MI = s ln 2.
    X, Y, mi = make_binary_channel_digits(200, n_sources=3, flip_prob=0.0, random_state=0)
    assert mi == pytest.approx(3 * LN2)
    lookup = _image_lookup()
    for k in range(3):
        sl = slice(64 * k, 64 * (k + 1))
        bx = [lookup[r.tobytes()] for r in X[:, sl]]
        by = [lookup[r.tobytes()] for r in Y[:, sl]]
        assert bx == by
        assert not np.any(np.all(X[:, sl] == Y[:, sl], axis=1))  # never the same image


@pytest.mark.parametrize("s", [1, 2, 5])
@pytest.mark.parametrize("p", [0.0, 1e-6, 0.01, 0.1, 0.25, 0.4, 0.5])
def test_binary_channel_inversion(s, p):
    mi = binary_channel_mi(p, n_sources=s)
    expected = s * (LN2 - (scipy.stats.entropy([p, 1 - p]) if 0 < p < 1 else 0.0))
    assert mi == pytest.approx(expected, abs=1e-14)
    assert binary_channel_flip_prob(mi, n_sources=s) == pytest.approx(p, abs=1e-9)
    _, _, got = make_binary_channel_digits(2, n_sources=s, mi=mi, random_state=0)
    assert got == mi


def test_binary_channel_validation():
    with pytest.raises(ValueError, match="exactly one"):
        make_binary_channel_digits(10)
    with pytest.raises(ValueError, match="exactly one"):
        make_binary_channel_digits(10, flip_prob=0.1, mi=0.2)
    for bad in (-0.1, 0.6, math.nan):
        with pytest.raises(ValueError, match="flip_prob"):
            make_binary_channel_digits(10, flip_prob=bad)
    with pytest.raises(ValueError, match="mi"):
        make_binary_channel_digits(10, n_sources=2, mi=2 * LN2 + 0.01)
    with pytest.raises(ValueError, match="mi"):
        make_binary_channel_digits(10, mi=-0.1)
    with pytest.raises(ValueError, match="n_sources"):
        make_binary_channel_digits(10, n_sources=0, flip_prob=0.1)


# --------------------------------------------------------------------------- helpers


def test_unit_conversions():
    assert nats_to_bits(LN2) == pytest.approx(1.0)
    assert bits_to_nats(10) == pytest.approx(10 * LN2)
    assert isinstance(nats_to_bits(1.0), float)
    arr = np.array([2.0, 4.0, 6.0])
    np.testing.assert_allclose(nats_to_bits(bits_to_nats(arr)), arr)


def test_staircase():
    levels = bits_to_nats([2, 4, 6, 8, 10])
    mi = staircase(levels, 4000)
    assert mi.shape == (20000,) and mi.dtype == np.float64
    np.testing.assert_allclose(mi[::4000], levels)
    assert np.all(mi[4000 * 2 : 4000 * 3] == levels[2])
    np.testing.assert_allclose(nats_to_bits(mi[-1]), 10.0)
    with pytest.raises(ValueError, match="steps_per_level"):
        staircase([1.0], 0)
    with pytest.raises(ValueError, match="levels"):
        staircase([1.0, -1.0], 10)
    with pytest.raises(ValueError, match="levels"):
        staircase([], 10)


# --------------------------------------------------------------------------- registry


EXPECTED_TASKS = {
    "gaussian-d1-mi0.5": 0.5,
    "gaussian-d5-mi2": 2.0,
    "gaussian-d10-mi4": 4.0,
    "gaussian-d10-mi4-cubic": 4.0,
    "gaussian-d10-mi4-asinh": 4.0,
    "gaussian-d5-mi2-cdf": 2.0,
    "gaussian-d5-mi2-signed_power": 2.0,
    "gaussian-d5-mi2-spiral": 2.0,
    "gaussian-dense-d5-mi2": 2.0,
    "gaussian-sparse-d10-mi2": 2.0,
    "student-t-df2-d5": 0.4482,
    "student-t-df1-d1": 0.2242,
    "uniform-noise-eps0.1": math.log(5.0) + 0.1,
    "independent-d5": 0.0,
    "digits-bsc-s2-mi1": 1.0,
}


def test_registry_contents():
    assert list_tasks() == list(TASKS)
    assert set(EXPECTED_TASKS) <= set(TASKS)
    assert 10 <= len(TASKS) <= 20
    for name, mi in EXPECTED_TASKS.items():
        task = get_task(name)
        assert isinstance(task, Task) and task.name == name and task.description
        assert task.true_mi == pytest.approx(mi, abs=5e-5)
    with pytest.raises(ValueError, match="Unknown task"):
        get_task("nope")
    with pytest.raises(TypeError):
        TASKS["new"] = TASKS["gaussian-d5-mi2"]  # read-only


@pytest.mark.parametrize("name", list_tasks())
def test_every_task_runs(name):
    task = TASKS[name]
    X, Y, mi = task(50, random_state=0)
    assert X.shape == (50, task.dim_x) and Y.shape == (50, task.dim_y)
    assert X.dtype == Y.dtype == np.float64
    assert np.all(np.isfinite(X)) and np.all(np.isfinite(Y))
    assert type(mi) is float and mi == pytest.approx(task.true_mi, abs=1e-8)
    X2, Y2, _ = task.sampler(50, random_state=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)


# --------------------------------------------------------------------------- misc


@settings(max_examples=40, deadline=None)
@given(
    mi=st.floats(min_value=0.0, max_value=100.0),
    n_pairs=st.integers(min_value=1, max_value=20),
)
def test_gaussian_any_mi_finite(mi, n_pairs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        X, Y, got = make_gaussian(4, mi=mi, n_pairs=n_pairs, random_state=0)
    assert got == mi and np.all(np.isfinite(Y))
    rho = math.sqrt(-math.expm1(-2 * mi / n_pairs))
    assert 0.0 <= rho <= 1.0


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: make_gaussian(5, mi=-0.1), "mi"),
        (lambda: make_gaussian(5, mi=math.inf), "mi"),
        (lambda: make_gaussian(5, mi=1.0, rho=0.5), "not both"),
        (lambda: make_gaussian(5, rho=1.0), "rho"),
        (lambda: make_gaussian(5, rho=-1.0), "rho"),
        (lambda: make_gaussian(5, n_pairs=0), "n_pairs"),
        (lambda: make_gaussian(5, n_pairs=2.0), "n_pairs"),
        (lambda: make_student_t(5, df=0.0), "df"),
        (lambda: make_student_t(5, dim_x=0), "dim_x"),
        (lambda: make_independent(5, dim_y=0), "dim_y"),
        (lambda: student_t_mi(-1, 1, 1), "df"),
    ],
)
def test_argument_validation(call, match):
    with pytest.raises(ValueError, match=match):
        call()


MODULES = [
    "_utils",
    "_transforms",
    "_gaussian",
    "_nongaussian",
    "_digits",
    "_protocol",
    "_registry",
]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module):
    mod = importlib.import_module(f"sklearn_mi.datasets.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0


def test_public_api():
    for name in datasets.__all__:
        assert hasattr(datasets, name)
        obj = getattr(datasets, name)
        if callable(obj) and not isinstance(obj, type):
            assert obj.__doc__ and "Examples" in obj.__doc__, name
