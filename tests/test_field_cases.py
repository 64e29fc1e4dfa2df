"""Field cases F1-F20 (../shared/cases/field_cases.md) not covered elsewhere.

Where each case lives: F1 test_bad_inputs (constant inputs) and test_feature_selection;
F2 test_bad_inputs (deterministic relations); F4, F5 test_bad_inputs; F6, F12-faults, F15
test_reliability; F13, F17, F18 test_estimators; F19, F20 test_feature_selection. This file
holds the rest; the statistical F9/F10 checks are marked slow.
"""

import math
import warnings

import numpy as np
import pytest
from sklearn.feature_selection import mutual_info_classif

from sklearn_mi import InfoNCEAnchorMI, InfoNCEMI
from sklearn_mi.datasets import make_gaussian
from sklearn_mi.discrete import contingency_mutual_info, discrete_mutual_info
from sklearn_mi.exceptions import CappedEstimateWarning, MIWarning
from sklearn_mi.neighbors import KSGMI

FAST = dict(hidden_layer_sizes=(64, 64), embed_dim=16, batch_size=64, max_epochs=20,
            random_state=0)


def _quiet_fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MIWarning)
        return est.fit(X, y)


def test_f3_roles_swapped_give_the_same_estimate():
    F3 = {**FAST, "max_epochs": 10}
    X, Y, mi = make_gaussian(4000, mi=1.0, n_pairs=2, random_state=0)
    xy = _quiet_fit(InfoNCEAnchorMI(**F3), X[:3000], Y[:3000])
    yx = _quiet_fit(InfoNCEAnchorMI(**F3), Y[:3000], X[:3000])
    a, b = xy.estimate(X[3000:], Y[3000:]), yx.estimate(Y[3000:], X[3000:])
    assert abs(a.mi - b.mi) < 3 * math.hypot(a.se, b.se) + 0.05
    # a discrete (integer-coded) and a continuous variable, in either role
    rng = np.random.default_rng(1)
    z = rng.integers(0, 3, 4000).astype(float)
    c = z[:, None] + 0.7 * rng.standard_normal((4000, 1))
    zc = _quiet_fit(InfoNCEAnchorMI(**F3), z[:3000, None], c[:3000]).estimate(
        z[3000:, None], c[3000:])
    cz = _quiet_fit(InfoNCEAnchorMI(**F3), c[:3000], z[:3000]).estimate(c[3000:], z[3000:])
    assert abs(zc.mi - cz.mi) < 3 * math.hypot(zc.se, cz.se) + 0.05


def test_f5_one_row_per_class():
    X = np.random.default_rng(0).standard_normal((50, 2))
    labels = np.array([f"class{i}" for i in range(50)])
    with pytest.raises(ValueError, match="one row per class"):
        InfoNCEAnchorMI(**FAST).fit(X, labels)


def test_f7_discrete_plug_in_is_exact_for_large_counts():
    counts = np.array([[52632, 2529], [14660, 793], [3271, 204], [814, 39], [316, 20]])
    assert contingency_mutual_info(counts) == pytest.approx(1.2122e-4, rel=1e-3)
    x = np.repeat(np.arange(5), counts.sum(axis=1))
    y = np.concatenate([np.repeat([0, 1], row) for row in counts])
    assert discrete_mutual_info(x, y) == pytest.approx(contingency_mutual_info(counts))
    assert discrete_mutual_info(x.astype(np.int32), y.astype(np.int8)) == pytest.approx(
        1.2122e-4, rel=1e-3)
    # scikit-learn's estimate of a discrete-discrete pair agrees
    sk = mutual_info_classif(x[:, None], y, discrete_features=True)[0]
    assert sk == pytest.approx(1.2122e-4, rel=1e-3)
    assert discrete_mutual_info(["a"] * 10, list(range(10))) == 0.0


def test_f8_ties_are_reproducible():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, (1500, 1)) + rng.integers(-1, 2, (1500, 1))
    y = x + rng.integers(0, 3, (1500, 1))
    a = _quiet_fit(InfoNCEAnchorMI(**{**FAST, "max_epochs": 5}), x, y).mutual_info_
    b = _quiet_fit(InfoNCEAnchorMI(**{**FAST, "max_epochs": 5}), x, y).mutual_info_
    assert a == b and math.isfinite(a)


def test_f11_near_deterministic_pairs_stay_finite():
    X, Y, mi = make_gaussian(3000, rho=0.999, n_pairs=10, random_state=0)
    assert mi == pytest.approx(31.08, abs=0.01) and np.isfinite(Y).all()
    for transform in (None, "cubic"):
        X, Y, _ = make_gaussian(3000, rho=0.999, n_pairs=10, transform=transform,
                                random_state=0)
        est = _quiet_fit(InfoNCEAnchorMI(**{**FAST, "max_epochs": 5}), X, Y)
        assert math.isfinite(est.mutual_info_) and est.mutual_info_ > 3


def test_f12_unscaled_inputs_high_learning_rate_no_nan():
    rng = np.random.default_rng(0)
    x = 1e3 * rng.standard_normal((2000, 2))
    y = x + 1e-3 * rng.standard_normal((2000, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = InfoNCEAnchorMI(**{**FAST, "learning_rate_init": 1e-2, "max_epochs": 10}).fit(x, y)
    losses = [h["train_loss"] for h in est.history_ if "train_loss" in h]
    assert all(math.isfinite(v) for v in losses)
    assert math.isfinite(est.mutual_info_) and math.isfinite(est.score(x, y))


def test_f16_y_is_data_not_labels():
    """A continuous y (1-D or 2-D) goes through the random, unstratified split."""
    X, Y, _ = make_gaussian(1000, mi=0.5, n_pairs=2, random_state=0)
    a = _quiet_fit(InfoNCEAnchorMI(**{**FAST, "max_epochs": 3}), X, Y[:, 0])
    b = _quiet_fit(InfoNCEAnchorMI(**{**FAST, "max_epochs": 3}), X, Y)
    assert not a._y_categorical and a.n_y_features_ == 1 and b.n_y_features_ == 2
    assert math.isfinite(a.mutual_info_) and math.isfinite(b.mutual_info_)


@pytest.mark.slow
def test_f9_sixteen_pairs_high_dimension():
    """Measured: the anchor reads 1.83 at a true 2.30 (-20%; the critic overfits 5000 rows
    of 32 dimensions within 4 epochs); multivariate KSG reads far lower."""
    X, Y, mi = make_gaussian(10000, rho=0.5, n_pairs=16, random_state=0)
    assert mi == pytest.approx(2.301, abs=1e-3)
    est = InfoNCEAnchorMI(random_state=0).fit(X[:5000], Y[:5000])
    neural = est.score(X[5000:], Y[5000:])
    knn = KSGMI(random_state=0).fit(X[:5000], Y[:5000]).mutual_info_
    assert abs(neural - mi) < 0.25 * mi and abs(neural - mi) < abs(knn - mi) - 0.3


@pytest.mark.slow
@pytest.mark.parametrize("rho,truth", [(0.0, 0.0), (0.5, 2.877), (0.9, 16.607)])
def test_f10_twenty_pairs(rho, truth):
    X, Y, mi = make_gaussian(25000, rho=rho, n_pairs=20, random_state=0)
    assert mi == pytest.approx(truth, abs=1e-3)
    anchor = InfoNCEAnchorMI(random_state=0).fit(X[:20000], Y[:20000])
    held = anchor.estimate(X[20000:], Y[20000:])
    if rho == 0:
        lo, hi = held.confidence_interval(0.99)
        assert lo <= 0.02 and abs(held.mi) < 0.1
    elif rho == 0.5:  # measured 2.31 (-20%), see test_f9
        assert abs(held.mi - truth) < 0.25 * truth
    else:
        with pytest.warns(CappedEstimateWarning):
            infonce = InfoNCEMI(random_state=0).fit(X[:20000], Y[:20000])
        assert infonce.score(X[20000:], Y[20000:]) <= math.log(128)
        assert held.mi > 2 * math.log(128)


def test_f20_memory_bounded_by_the_batch_on_many_rows():
    """Scoring 300 000 pairs would need a 360 GB n x n matrix; it runs in batches/chunks."""
    X, Y, mi = make_gaussian(302000, mi=0.5, n_pairs=2, random_state=0)
    for cls in (InfoNCEAnchorMI, InfoNCEMI):
        est = _quiet_fit(cls(**{**FAST, "max_epochs": 3}), X[:2000], Y[:2000])
        held = est.estimate(X[2000:], Y[2000:])
        assert held.n_samples == 300000 and abs(held.mi - mi) < 0.2
