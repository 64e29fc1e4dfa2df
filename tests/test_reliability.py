"""Training faults, diagnostics, persistence and reproducibility."""

import io
import math
import pickle
import warnings
from unittest import mock

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold, cross_val_score

from sklearn_mi import InfoNCEAnchorMI, InfoNCEMI
from sklearn_mi.critics import SeparableCritic
from sklearn_mi.datasets import make_gaussian
from sklearn_mi.exceptions import (
    CappedEstimateWarning,
    NonFiniteTrainingWarning,
    OverfittingWarning,
    SmallSampleWarning,
)

FAST = dict(hidden_layer_sizes=(32, 32), embed_dim=8, batch_size=64, random_state=0)


@pytest.fixture(scope="module")
def data():
    X, Y, mi = make_gaussian(3000, mi=1.0, n_pairs=2, random_state=0)
    return X[:2000], Y[:2000], X[2000:], Y[2000:], mi


class Exploding(torch.nn.Module):
    """A separable critic whose training-mode output turns to +inf after some steps."""

    def __init__(self, x_dim, y_dim, explode_after=40, error=None):
        super().__init__()
        self.inner = SeparableCritic(x_dim, y_dim, (32,), 8)
        self.explode_after, self.error, self.calls = explode_after, error, 0

    def forward(self, x, y):
        scores = self.inner(x, y)
        if self.training:
            self.calls += 1
            if self.calls > self.explode_after:
                if self.error is not None:
                    raise self.error
                return scores + float("inf")
        return scores

    def pair(self, x, y):
        return self.inner.pair(x, y)


def _fit_recording(est, X, Y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(X, Y)
    return {w.category for w in caught}


def test_non_finite_loss_stops_restores_best_and_warns(data):
    X, Y, Xt, Yt, _ = data
    est = InfoNCEAnchorMI(critic=Exploding, critic_params={"explode_after": 100},
                          max_epochs=30, **{k: v for k, v in FAST.items()
                                            if k not in ("hidden_layer_sizes", "embed_dim")})
    cats = _fit_recording(est, X, Y)
    assert NonFiniteTrainingWarning in cats
    assert est.n_iter_ < 30  # stopped early (25 steps per epoch: the 5th epoch broke)
    finished = [h for h in est.history_ if "valid_loss" in h]
    best = min(finished, key=lambda h: h["valid_loss"])
    # the restored weights are the best finished epoch's: its held-out MI is reported
    assert est.mutual_info_ == pytest.approx(best["valid_mi"], abs=1e-4)
    assert math.isfinite(est.score(Xt, Yt))


def test_non_finite_in_first_epoch_falls_back_to_initial_weights(data):
    X, Y, Xt, Yt, _ = data
    est = InfoNCEAnchorMI(critic=Exploding, critic_params={"explode_after": 0},
                          batch_size=64, random_state=0)
    cats = _fit_recording(est, X, Y)
    assert NonFiniteTrainingWarning in cats
    assert math.isfinite(est.score(Xt, Yt)) and math.isfinite(est.mutual_info_)
    assert all(torch.isfinite(p).all() for p in est.net_.module_.parameters())


@pytest.mark.parametrize("lr", [1e2, 1e6])
def test_huge_learning_rate_never_returns_nan(data, lr):
    X, Y, Xt, Yt, _ = data
    est = InfoNCEAnchorMI(learning_rate_init=lr, max_epochs=5, **FAST)
    cats = _fit_recording(est, X, Y)
    assert NonFiniteTrainingWarning in cats
    assert math.isfinite(est.mutual_info_) and math.isfinite(est.score(Xt, Yt))
    assert abs(est.score(Xt, Yt)) < 10  # the restored weights are sane, not diverged


def test_keyboard_interrupt_leaves_a_usable_estimator(data):
    X, Y, Xt, Yt, mi = data
    est = InfoNCEAnchorMI(critic=Exploding, max_epochs=50, batch_size=64, random_state=0,
                          critic_params={"explode_after": 150, "error": KeyboardInterrupt()})
    est.fit(X, Y)  # skorch catches the interrupt; the best weights so far are kept
    assert est.n_iter_ < 50
    assert math.isfinite(est.score(Xt, Yt)) and abs(est.score(Xt, Yt) - mi) < 0.5


def test_diagnostic_warnings():
    rng = np.random.default_rng(0)
    # capped: InfoNCE on nearly deterministic data with a small batch
    x = rng.standard_normal((1500, 2))
    cats = _fit_recording(InfoNCEMI(max_epochs=15, **{**FAST, "batch_size": 8}),
                          x, x + 0.01 * rng.standard_normal((1500, 2)))
    assert CappedEstimateWarning in cats
    # not converged: stopped by max_epochs while the held-out loss still improved
    X, Y, _ = make_gaussian(2000, mi=2.0, n_pairs=2, random_state=1)
    cats = _fit_recording(InfoNCEAnchorMI(max_epochs=2, learning_rate_init=1e-4, **FAST), X, Y)
    assert ConvergenceWarning in cats
    # overfitting: independent data, small n, a large critic trained long
    a, b = rng.standard_normal((300, 5)), rng.standard_normal((300, 5))
    cats = _fit_recording(
        InfoNCEAnchorMI(hidden_layer_sizes=(128, 128), max_epochs=40, early_stopping=False,
                        batch_size=32, random_state=0),
        a, b)
    assert OverfittingWarning in cats and SmallSampleWarning not in cats


def test_small_n_orders_estimates_and_covers_zero():
    """F6: n = 10 — warns, dependent above independent on average, CI covers 0."""
    dep, ind, covered = [], [], 0
    for seed in range(5):
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((10, 1))
        params = dict(hidden_layer_sizes=(16,), max_epochs=30, batch_size=8, random_state=seed)
        with pytest.warns(SmallSampleWarning):
            d = InfoNCEAnchorMI(**params).fit(x, 2 * x)
        with pytest.warns(SmallSampleWarning):
            i = InfoNCEAnchorMI(**params).fit(x, rng.standard_normal((10, 1)))
        dep.append(d.mutual_info_)
        ind.append(i.mutual_info_)
        lo = i.mutual_info_ - 1.96 * i.mutual_info_se_
        hi = i.mutual_info_ + 1.96 * i.mutual_info_se_
        covered += lo <= 0 <= hi
    assert np.mean(dep) > np.mean(ind)
    assert covered >= 4


def test_pickle_and_joblib_round_trips(data, tmp_path):
    X, Y, Xt, Yt, _ = data
    est = InfoNCEAnchorMI(max_epochs=3, **FAST).fit(X, Y)
    expected = est.score(Xt, Yt)
    assert pickle.loads(pickle.dumps(est)).score(Xt, Yt) == expected
    joblib.dump(est, tmp_path / "est.joblib")
    assert joblib.load(tmp_path / "est.joblib").score(Xt, Yt) == expected


def test_model_saved_on_cuda_loads_on_cpu_only_machine(data):
    """F15: simulate a CUDA-fitted model (device recorded as 'cuda') loaded without CUDA."""
    X, Y, Xt, Yt, _ = data
    est = InfoNCEAnchorMI(max_epochs=2, **FAST).fit(X, Y)
    expected = est.score(Xt, Yt)
    est.net_.device = "cuda"
    buffer = io.BytesIO()
    pickle.dump(est, buffer)
    buffer.seek(0)
    with mock.patch("torch.cuda.is_available", return_value=False):
        with pytest.warns(Warning, match="(?i)cuda"):
            loaded = pickle.load(buffer)
    assert str(loaded.net_.device) == "cpu"
    assert loaded.score(Xt, Yt) == pytest.approx(expected)


def test_global_rng_state_does_not_matter_and_n_jobs_is_bit_identical(data):
    X, Y, _, _, _ = data
    est = InfoNCEMI(max_epochs=3, **FAST)
    torch.manual_seed(1)
    np.random.seed(1)  # noqa: NPY002 (global state on purpose)
    a = cross_val_score(est, X, Y, cv=KFold(2, shuffle=True, random_state=0), n_jobs=1)
    torch.manual_seed(2)
    np.random.seed(2)  # noqa: NPY002
    b = cross_val_score(est, X, Y, cv=KFold(2, shuffle=True, random_state=0), n_jobs=2)
    np.testing.assert_array_equal(a, b)


def test_cv_folds_and_clones_start_from_fresh_weights():
    """Leaked weights would show on independent data with small n and many epochs."""
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((300, 3)), rng.standard_normal((300, 3))
    est = InfoNCEAnchorMI(max_epochs=12, early_stopping=False, **FAST)
    est.fit(X, Y)  # a trained, overfitted instance to clone from
    cv = KFold(3, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = cross_val_score(est, X, Y, cv=cv)
        for (train, test), score in zip(cv.split(X), scores, strict=True):
            fresh = InfoNCEAnchorMI(max_epochs=12, early_stopping=False, **FAST)
            assert fresh.fit(X[train], Y[train]).score(X[test], Y[test]) == score
            assert clone(est).fit(X[train], Y[train]).score(X[test], Y[test]) == score


def test_row_order_and_scale_do_not_change_the_estimate(data):
    X, Y, Xt, Yt, mi = data
    ref = InfoNCEAnchorMI(max_epochs=8, **FAST).fit(X, Y).estimate(Xt, Yt)
    perm = np.random.default_rng(5).permutation(len(X))
    for X2, Y2, Xt2, Yt2 in [
        (X[perm], Y[perm], Xt, Yt),
        (X * 1e-6, Y * 1e6, Xt * 1e-6, Yt * 1e6),
    ]:
        other = InfoNCEAnchorMI(max_epochs=8, **FAST).fit(X2, Y2).estimate(Xt2, Yt2)
        assert abs(other.mi - ref.mi) < 3 * math.hypot(ref.se, other.se) + 0.05


# ------------------------------------------------------------------ weight averaging
def test_weight_averaging_arithmetic_swap_and_restore():
    """EMA with warm-up d_t = min(decay, (1+t)/(10+t)); validation sees it, training does not."""
    from types import SimpleNamespace

    from sklearn_mi._net import WeightAveraging

    module = torch.nn.Linear(1, 1, bias=False)
    net = SimpleNamespace(module_=module, train_split=object())
    cb = WeightAveraging(decay=0.5).initialize()
    cb.on_train_begin(net)
    expected, values = None, [1.0, 3.0, -2.0, 5.0]
    for t, w in enumerate(values):
        module.weight.data.fill_(w)
        cb.on_batch_end(net, training=True)
        if expected is None:
            expected = w
        else:
            d = min(0.5, (1 + t) / (10 + t))  # t steps were averaged before this one
            expected = d * expected + (1 - d) * w
    cb.on_batch_begin(net, training=False)  # validation: the average is swapped in
    assert module.weight.item() == pytest.approx(expected)
    cb.on_batch_begin(net, training=False)  # a second validation batch: no double swap
    assert module.weight.item() == pytest.approx(expected)
    cb.on_epoch_begin(net)  # next epoch trains on the live weights again
    assert module.weight.item() == pytest.approx(values[-1])
    off = WeightAveraging(decay=0.0).initialize()
    off.on_train_begin(net)
    off.on_batch_end(net, training=True)
    off.on_batch_begin(net, training=False)
    assert module.weight.item() == pytest.approx(values[-1]) and off.average_ is None


def test_weight_averaging_in_fit_not_in_partial_fit(data):
    X, Y, Xt, Yt, mi = data
    est = InfoNCEAnchorMI(max_epochs=3, **FAST).fit(X, Y)
    assert dict(est.net_.callbacks_)["weight_averaging"].active_
    stream = InfoNCEAnchorMI(**FAST).partial_fit(X[:256], Y[:256])
    assert not dict(stream.net_.callbacks_)["weight_averaging"].active_
    raw = InfoNCEAnchorMI(max_epochs=3, weight_averaging=0.0, **FAST).fit(X, Y)
    assert raw.score(Xt, Yt) != est.score(Xt, Yt)
    with pytest.raises(ValueError, match="weight_averaging"):
        InfoNCEAnchorMI(weight_averaging=1.0).fit(X, Y)
