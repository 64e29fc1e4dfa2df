"""Estimators against ground truth: Gaussian closed forms, the InfoNCE cap, invariants."""

import math
import pickle
import warnings

import numpy as np
import pytest
import torch
from scipy import integrate, stats
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, cross_val_score

from sklearn_mi import (
    DVMI,
    JSMI,
    MINEMI,
    NWJMI,
    SMILEMI,
    InfoNCEAnchorMI,
    InfoNCEMI,
)
from sklearn_mi.datasets import make_gaussian
from sklearn_mi.exceptions import CappedEstimateWarning, HeavyTailWarning, MIWarning
from sklearn_mi.objectives import dv_pointwise

ALL = [InfoNCEAnchorMI, InfoNCEMI, NWJMI, DVMI, MINEMI, JSMI, SMILEMI]
FAST = dict(hidden_layer_sizes=(64, 64), embed_dim=16, max_epochs=25, batch_size=64)


@pytest.fixture(scope="module")
def gaussian_1nat():
    X, Y, mi = make_gaussian(5000, mi=1.0, n_pairs=2, random_state=0)
    return X[:3500], Y[:3500], X[3500:], Y[3500:], mi


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_gaussian_closed_form(cls, gaussian_1nat):
    """Every estimator reads I = 1 nat (2 pairs, closed form) within 0.2 nat held out."""
    X, Y, Xt, Yt, mi = gaussian_1nat
    est = cls(random_state=0, **FAST).fit(X, Y)
    held = est.estimate(Xt, Yt)
    assert abs(held.mi - mi) < 0.2, (cls.__name__, held)
    assert 0 < held.se < 0.1
    assert abs(est.mutual_info_ - mi) < 0.25
    assert est.n_iter_ == len(est.history_) and 1 <= est.best_epoch_ <= est.n_iter_
    assert {"train_loss", "valid_loss", "valid_mi", "valid_mi_se", "train_mi"} <= set(
        est.history_[-1]
    )


def test_anchor_clearly_above_infonce_cap():
    """At 7 nats with B = 32 (ln B = 3.47) the anchor tracks the truth; InfoNCE is capped."""
    X, Y, mi = make_gaussian(14000, mi=7.0, n_pairs=5, random_state=1)
    X, Y, Xt, Yt = X[:10000], Y[:10000], X[10000:], Y[10000:]
    common = dict(hidden_layer_sizes=(128, 128), embed_dim=32, batch_size=32, max_epochs=40,
                  random_state=0)
    anchor = InfoNCEAnchorMI(**common).fit(X, Y)
    with pytest.warns(CappedEstimateWarning):
        infonce = InfoNCEMI(**common).fit(X, Y)
    cap = math.log(32)
    a, i = anchor.score(Xt, Yt), infonce.score(Xt, Yt)
    assert i <= cap
    assert a > 1.5 * cap
    assert abs(a - mi) < 0.15 * mi, a


def test_nu_auto_is_sqrt_k_per_batch(gaussian_1nat):
    """nu="auto" trains exactly like an explicit nu = sqrt(batch_size - 1)."""
    X, Y, Xt, Yt, _ = gaussian_1nat
    X, Y = X[:3200], Y[:3200]  # 2560 training / 640 validation rows: every batch holds 64
    common = dict(FAST, max_epochs=3, random_state=0)
    auto = InfoNCEAnchorMI(nu="auto", **common).fit(X, Y)
    explicit = InfoNCEAnchorMI(nu=math.sqrt(FAST["batch_size"] - 1), **common).fit(X, Y)
    strong = InfoNCEAnchorMI(nu=FAST["batch_size"] - 1.0, **common).fit(X, Y)
    assert auto.score(Xt, Yt) == explicit.score(Xt, Yt)
    assert auto.score(Xt, Yt) != strong.score(Xt, Yt)
    scores = torch.randn(2, 9, 9)
    from sklearn_mi._net import ObjectiveLoss, auto_nu
    from sklearn_mi.objectives import anchor_loss

    assert auto_nu(8) == pytest.approx(math.sqrt(8))
    torch.testing.assert_close(
        ObjectiveLoss("anchor", nu="auto")(scores), anchor_loss(scores, math.sqrt(8))
    )


def test_independent_data_reads_zero():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3000, 3)), rng.standard_normal((3000, 2))
    est = InfoNCEAnchorMI(random_state=0, **FAST).fit(X[:2000], Y[:2000])
    held = est.estimate(X[2000:], Y[2000:])
    assert abs(held.mi) < max(0.05, 3 * held.se)
    lo, hi = held.confidence_interval(0.99)
    assert lo < 0.02


def test_same_random_state_same_result_and_global_rng_untouched(gaussian_1nat):
    X, Y, Xt, Yt, _ = gaussian_1nat
    torch.manual_seed(123)
    np.random.seed(7)  # noqa: NPY002 (the global state is what is checked)
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()  # noqa: NPY002
    a = InfoNCEAnchorMI(random_state=3, **{**FAST, "max_epochs": 4}).fit(X, Y)
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.random.get_state()[1].tolist() == np_state[1].tolist()  # noqa: NPY002
    torch.manual_seed(999)  # a different global state must not matter
    b = InfoNCEAnchorMI(random_state=3, **{**FAST, "max_epochs": 4}).fit(X, Y)
    assert a.score(Xt, Yt) == b.score(Xt, Yt)
    assert a.mutual_info_ == b.mutual_info_


def test_clone_of_fitted_estimator_trains_from_fresh_weights(gaussian_1nat):
    X, Y, Xt, Yt, _ = gaussian_1nat
    params = {**FAST, "max_epochs": 3, "early_stopping": False}
    a = InfoNCEAnchorMI(random_state=0, **params).fit(X, Y)
    b = clone(a).fit(X, Y)
    assert b.score(Xt, Yt) == a.score(Xt, Yt)  # identical: b did not start from a's weights
    a.fit(X, Y)  # refit also starts fresh
    assert a.score(Xt, Yt) == b.score(Xt, Yt)
    w = InfoNCEAnchorMI(random_state=0, warm_start=True, **params).fit(X, Y)
    w.fit(X, Y)  # warm start continues: 6 epochs in all
    assert w.n_iter_ == 6 and w.score(Xt, Yt) != a.score(Xt, Yt)


def test_partial_fit_streaming_fresh_batches_converges():
    """The paper's protocol: a fresh batch every step through partial_fit."""
    est = InfoNCEAnchorMI(batch_size=64, hidden_layer_sizes=(64, 64), random_state=0)
    for step in range(300):
        X, Y, mi = make_gaussian(64, mi=1.0, n_pairs=2, random_state=step)
        est.partial_fit(X, Y)
    assert est.n_iter_ == 300
    Xt, Yt, mi = make_gaussian(4000, mi=1.0, n_pairs=2, random_state=10_000)
    assert abs(est.score(Xt, Yt) - mi) < 0.2


def test_partial_fit_standard_scalers_follow_all_rows_seen():
    """The first batch does not fix the scale: running mean/variance over every call."""
    rng = np.random.default_rng(0)
    est = InfoNCEAnchorMI(batch_size=16, hidden_layer_sizes=(8,), embed_dim=4, random_state=0)
    assert est.scaling == "auto"  # a stream: running standardisation
    batches = [rng.normal(loc=3.0 * k, scale=1.0 + k, size=(32, 2)) for k in range(4)]
    for B in batches:
        est.partial_fit(B[:, :1], B[:, 1:])
    rows = np.vstack(batches)
    np.testing.assert_allclose(est.x_scaler_.mean_, rows[:, :1].mean(axis=0))
    np.testing.assert_allclose(est.y_encoder_.var_, rows[:, 1:].var(axis=0))
    assert est.scaling_ == "standard"


def test_scaling_quantile_removes_heavy_tails_and_none_passes_values():
    """y -> y**3 keeps the MI; with quantile scaling the critic sees Gaussian margins again."""
    X, Y, mi = make_gaussian(2000, mi=1.5, n_pairs=3, transform="cubic", random_state=0)
    Xt, Yt, _ = make_gaussian(2000, mi=1.5, n_pairs=3, transform="cubic", random_state=1)
    params = dict(FAST, random_state=0)
    quantile = InfoNCEAnchorMI(**params).fit(X, Y)  # scaling="auto": quantile in fit
    assert quantile.scaling_ == "quantile"
    z = quantile.y_encoder_.transform(Y)
    assert stats.kurtosis(Y, axis=None) > 10  # y**3 is heavy-tailed ...
    assert abs(np.mean(np.abs(z) < 1.96) - 0.95) < 0.01  # ... its quantile map is N(0, 1)
    assert np.abs(z).max() < 5.3
    assert abs(quantile.score(Xt, Yt) - mi) < 0.3
    plain = InfoNCEAnchorMI(scaling=None, **{**params, "max_epochs": 1}).fit(X, Y)
    np.testing.assert_array_equal(plain.x_scaler_.transform(X), X)


def test_heavy_tails_warn_under_standard_scaling_only():
    X, Y, _ = make_gaussian(1000, mi=1.0, n_pairs=2, transform="cubic", random_state=0)
    one_epoch = dict(FAST, max_epochs=1, random_state=0, scaling="standard")
    with pytest.warns(HeavyTailWarning, match="scaling='quantile'"):
        InfoNCEAnchorMI(**one_epoch).fit(X, Y)
    X, Y, _ = make_gaussian(1000, mi=1.0, n_pairs=2, random_state=0)
    digits_X = load_digits().data[:1000]  # sparse pixels: zero IQR columns are not "tails"
    with warnings.catch_warnings():
        warnings.simplefilter("error", HeavyTailWarning)
        InfoNCEAnchorMI(**one_epoch).fit(X, Y)
        InfoNCEAnchorMI(**one_epoch).fit(digits_X, X[:, 0])
        InfoNCEAnchorMI(**{**one_epoch, "scaling": "auto"}).fit(Y**3, X)  # quantile in fit


def test_pointwise_mi_is_plugin_and_only_for_plugin_estimators(gaussian_1nat):
    X, Y, Xt, Yt, _ = gaussian_1nat
    est = InfoNCEAnchorMI(random_state=0, **{**FAST, "max_epochs": 3}).fit(X, Y)
    pmi = est.pointwise_mi(Xt, Yt)
    assert pmi.shape == (len(Xt),)
    assert pmi.mean() == pytest.approx(est.score(Xt, Yt), rel=1e-9)
    assert hasattr(JSMI(), "pointwise_mi")
    assert not hasattr(InfoNCEMI(), "pointwise_mi")


def test_mine_score_is_dv_bound_recomputed_from_critic(gaussian_1nat):
    """F13: the moving average never enters the reported number."""
    X, Y, Xt, Yt, _ = gaussian_1nat
    est = MINEMI(random_state=0, **{**FAST, "max_epochs": 5}).fit(X, Y)
    from sklearn_mi._net import even_batches

    xt, yt = est._transform(Xt, Yt)
    order = np.random.default_rng(est._eval_seed).permutation(len(xt))
    critic = est.net_.module_
    total, start = 0.0, 0
    with torch.no_grad():
        for size in even_batches(len(xt), est.net_.batch_size):
            idx = order[start : start + size]
            start += size
            S = critic(torch.from_numpy(xt[idx]), torch.from_numpy(yt[idx]))
            total += dv_pointwise(S.double()).sum().item()
    assert est.score(Xt, Yt) == pytest.approx(total / len(xt), rel=1e-6)


def _binary_gaussian_mixture_mi(mu):
    """I(X; Y) for Y ~ Bernoulli(1/2) labels and X | Y ~ N(+-mu, 1), by quadrature."""
    def integrand(x):
        p0, p1 = stats.norm.pdf(x, -mu), stats.norm.pdf(x, mu)
        m = 0.5 * (p0 + p1)
        return 0.5 * p0 * np.log(p0 / m) + 0.5 * p1 * np.log(p1 / m)

    return integrate.quad(integrand, -mu - 12, mu + 12)[0]


@pytest.mark.parametrize("labels", [["a", "b"], [False, True]], ids=["str", "bool"])
def test_categorical_y_matches_mixture_closed_form(labels):
    rng = np.random.default_rng(0)
    n, mu = 4000, 1.0
    z = rng.integers(0, 2, n)
    X = (2 * z - 1)[:, None] * mu + rng.standard_normal((n, 1))
    y = np.array(labels, dtype=object if isinstance(labels[0], str) else bool)[z]
    truth = _binary_gaussian_mixture_mi(mu)
    est = InfoNCEAnchorMI(random_state=0, **FAST).fit(X[:3000], y[:3000])
    assert est._y_categorical
    assert abs(est.score(X[3000:], y[3000:]) - truth) < 0.08


def test_y_1d_and_column_vector_agree_and_int_equals_float():
    X, Y, _ = make_gaussian(1500, mi=0.5, random_state=0)
    params = {**FAST, "max_epochs": 3}
    a = InfoNCEAnchorMI(random_state=0, **params).fit(X, Y[:, 0])
    b = InfoNCEAnchorMI(random_state=0, **params).fit(X, Y)
    assert a.mutual_info_ == b.mutual_info_
    Xi = np.round(X * 10).astype(np.int64)  # F4: int64 vs the same values as float64
    c = InfoNCEAnchorMI(random_state=0, **params).fit(Xi, Y)
    d = InfoNCEAnchorMI(random_state=0, **params).fit(Xi.astype(np.float64), Y)
    assert c.mutual_info_ == d.mutual_info_


def test_inputs_never_modified():
    X, Y, _ = make_gaussian(600, mi=0.5, random_state=0)
    X32 = X.astype(np.float32)
    copies = X.copy(), Y.copy(), X32.copy()
    est = InfoNCEAnchorMI(random_state=0, **{**FAST, "max_epochs": 2}).fit(X, Y)
    est.score(X32, Y)
    np.testing.assert_array_equal(X, copies[0])
    np.testing.assert_array_equal(Y, copies[1])
    np.testing.assert_array_equal(X32, copies[2])


def test_constant_y_gives_exactly_zero():
    X, _, _ = make_gaussian(500, mi=0.5, random_state=0)
    for cls in ALL:
        est = cls(random_state=0, **FAST).fit(X, np.full(500, 3.0))
        assert est.mutual_info_ == 0.0 and est.score(X, np.full(500, 3.0)) == 0.0
        assert est.degenerate_


def test_final_batch_of_one_row_is_absorbed():
    """F18: 129 training rows with batch_size 128 give two balanced batches, no 1x1 matrix."""
    X, Y, _ = make_gaussian(162, mi=0.5, random_state=0)  # 20% held out -> 129 training rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MIWarning)
        est = InfoNCEMI(batch_size=128, max_epochs=2, random_state=0).fit(X, Y)
    sizes = [b["train_batch_size"] for b in est.history_[-1, "batches"] if "train_batch_size" in b]
    assert sorted(sizes) == [64, 65]
    assert np.isfinite(est.mutual_info_)


def test_pickle_round_trip_identical_score(gaussian_1nat):
    X, Y, Xt, Yt, _ = gaussian_1nat
    for cls in (InfoNCEAnchorMI, MINEMI):
        est = cls(random_state=0, **{**FAST, "max_epochs": 2}).fit(X, Y)
        loaded = pickle.loads(pickle.dumps(est))
        assert loaded.score(Xt, Yt) == est.score(Xt, Yt)


def test_works_in_cross_val_score_and_grid_search(gaussian_1nat):
    X, Y, _, _, mi = gaussian_1nat
    est = InfoNCEMI(random_state=0, **{**FAST, "max_epochs": 8})
    scores = cross_val_score(est, X[:2400], Y[:2400], cv=3)
    assert scores.shape == (3,) and np.all(np.abs(scores - mi) < 0.3)
    grid = GridSearchCV(est, {"embed_dim": [2, 16]}, cv=2).fit(X[:2000], Y[:2000])
    assert grid.best_params_["embed_dim"] in (2, 16)
    assert abs(grid.best_score_ - mi) < 0.3


def test_user_supplied_critic_class_and_instance(gaussian_1nat):
    X, Y, Xt, Yt, mi = gaussian_1nat

    class Quadratic(torch.nn.Module):
        """Exact family for Gaussian log ratios: bilinear plus squares."""

        def __init__(self, x_dim, y_dim):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(x_dim, y_dim))
            self.a = torch.nn.Parameter(torch.zeros(x_dim))
            self.b = torch.nn.Parameter(torch.zeros(y_dim))
            self.c = torch.nn.Parameter(torch.zeros(()))

        def forward(self, x, y):
            return (x @ self.w @ y.T + (x**2 @ self.a)[:, None] + (y**2 @ self.b)[None, :]
                    + self.c)

    params = dict(batch_size=64, max_epochs=30, learning_rate_init=1e-2, random_state=0)
    est = InfoNCEAnchorMI(critic=Quadratic, **params).fit(X, Y)
    assert abs(est.score(Xt, Yt) - mi) < 0.1
    inst = Quadratic(2, 2)
    est2 = InfoNCEAnchorMI(critic=inst, **params).fit(X, Y)
    assert torch.count_nonzero(inst.w) == 0  # the user's instance is copied, not trained
    assert abs(est2.score(Xt, Yt) - mi) < 0.1
