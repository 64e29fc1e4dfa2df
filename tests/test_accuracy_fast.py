"""Fast accuracy checks against known MI (a small subset of benchmarks/).

Small samples and short training, with tolerances loose enough to be stable but
tight enough to catch a broken estimator: a sign error, a bits/nats or other
scale error, a bound reported above its cap, an anchor that no longer lifts the
InfoNCE ceiling. The full benchmarks are ``benchmarks/finite_sample.py`` and
``benchmarks/staircase.py`` (see ``benchmarks/README.md`` and ``doc/accuracy.md``).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from sklearn_mi import DVMI, JSMI, MINEMI, NWJMI, SMILEMI, InfoNCEAnchorMI, InfoNCEMI
from sklearn_mi.datasets import get_task, make_gaussian
from sklearn_mi.neighbors import KSGMI, GaussianMI

NEURAL = [InfoNCEAnchorMI, InfoNCEMI, NWJMI, DVMI, MINEMI, JSMI, SMILEMI]
# Small, fast training for every neural estimator.
FAST = dict(max_epochs=15, n_iter_no_change=5, hidden_layer_sizes=(64, 64), device="cpu")


def _split(task_name, n_train, n_test, seed):
    X, Y, true_mi = get_task(task_name)(n_train + n_test, random_state=seed)
    return X[:n_train], Y[:n_train], X[n_train:], Y[n_train:], true_mi


@pytest.fixture(scope="module")
def gaussian_d5():
    # 5 Gaussian coordinate pairs, 2 nats; a bits/nats slip reads 2.89, a sign slip -2.
    return _split("gaussian-d5-mi2", 1000, 1000, seed=0)


@pytest.mark.parametrize("cls", NEURAL, ids=lambda c: c.__name__)
def test_neural_estimators_recover_gaussian_mi(cls, gaussian_d5):
    Xtr, Ytr, Xte, Yte, true_mi = gaussian_d5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = cls(random_state=0, **FAST).fit(Xtr, Ytr)
        value = est.score(Xte, Yte)
    assert math.isfinite(value)
    # lower bounds may sit below the truth after a short run; nothing may be far above
    assert true_mi - 0.7 < value < true_mi + 0.35, value


@pytest.mark.parametrize("cls", [InfoNCEAnchorMI, JSMI], ids=lambda c: c.__name__)
def test_plug_in_estimators_read_zero_on_independent_data(cls):
    Xtr, Ytr, Xte, Yte, true_mi = _split("independent-d5", 1000, 1000, seed=1)
    assert true_mi == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cls(random_state=0, **FAST).fit(Xtr, Ytr).score(Xte, Yte)
    assert abs(value) < 0.15, value


def test_anchor_recovers_mi_under_an_invertible_nonlinear_map():
    # y -> sign(y)|y|^1.5 leaves the MI unchanged (2 nats).
    Xtr, Ytr, Xte, Yte, true_mi = _split("gaussian-d5-mi2-signed_power", 1000, 1000, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        anchor = InfoNCEAnchorMI(random_state=0, **FAST).fit(Xtr, Ytr).score(Xte, Yte)
    assert abs(anchor - true_mi) < 0.5, anchor


def test_classical_baselines_on_registered_tasks():
    Xtr, Ytr, Xte, Yte, true_mi = _split("gaussian-d5-mi2", 1000, 1000, seed=2)
    assert abs(GaussianMI().fit(Xtr, Ytr).score(Xte, Yte) - true_mi) < 0.1
    Xtr, Ytr, Xte, Yte, true_mi = _split("uniform-noise-eps0.1", 1000, 1000, seed=2)
    assert abs(KSGMI().fit(Xtr, Ytr).score(Xte, Yte) - true_mi) < 0.25


def test_streaming_anchor_exceeds_the_infonce_cap():
    # Staircase protocol in miniature: a fresh batch of B = 16 every partial_fit step at a
    # true MI (4.5 nats) well above ln 16 = 2.77. InfoNCE cannot pass ln B (it saturates
    # within a few hundred steps); the anchor must pass it, and must not run away from the
    # truth. Single readings of a streaming critic move by +-0.5 nat from step to step:
    # average the last five.
    batch, true_mi, steps, infonce_steps = 16, 4.5, 800, 300
    rng = np.random.default_rng(0)
    kw = dict(batch_size=batch, hidden_layer_sizes=(64, 64), device="cpu", random_state=0)
    anchor, infonce = InfoNCEAnchorMI(**kw), InfoNCEMI(**kw)

    def eval_sample():
        Xe, Ye, _ = make_gaussian(1024, mi=true_mi, n_pairs=5, random_state=rng)
        return Xe, Ye

    a, b = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for step in range(1, steps + 1):
            X, Y, _ = make_gaussian(batch, mi=true_mi, n_pairs=5, random_state=rng)
            anchor.partial_fit(X, Y)
            if step <= infonce_steps:
                infonce.partial_fit(X, Y)
            if step >= 400 and step % 100 == 0:
                a.append(anchor.score(*eval_sample()))
        b = [infonce.score(*eval_sample()) for _ in range(3)]
    a, b = np.array(a), np.array(b)
    cap = math.log(batch)
    assert np.all(b <= cap + 1e-6), b
    assert a.mean() > cap + 0.3, a
    assert a.mean() > b.mean() + 0.5, (a, b)
    assert a.mean() < true_mi + 0.75, a
