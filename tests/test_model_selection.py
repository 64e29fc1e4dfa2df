"""cross_val_mi: per-fold held-out MI against ground truth, CI coverage, n_jobs parity."""

import warnings

import numpy as np
import pytest
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold

from sklearn_mi import InfoNCEAnchorMI
from sklearn_mi.datasets import make_gaussian
from sklearn_mi.model_selection import CrossValMI, cross_val_mi

FAST = dict(
    hidden_layer_sizes=(32, 32), embed_dim=8, batch_size=128, max_epochs=20,
    n_iter_no_change=3, learning_rate_init=1e-3, device="cpu",
)


@pytest.fixture(autouse=True)
def _quiet_single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*samples.*")
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        yield
    torch.set_num_threads(threads)


def _independent(seed, n=1000):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 2)), rng.standard_normal(n)


def test_gaussian_closed_form_and_result_object():
    X, Y, true_mi = make_gaussian(3000, mi=0.5, n_pairs=1, random_state=0)
    result = cross_val_mi(InfoNCEAnchorMI(random_state=0, **FAST), X, Y, cv=3, random_state=0)
    assert isinstance(result, CrossValMI) and result.estimates.shape == (3,)
    assert np.all(np.abs(result.estimates - true_mi) < 0.12)
    assert np.all(result.standard_errors > 0) and np.all(result.n_samples == 1000)
    low, high = result.ci
    assert low < true_mi + 0.05 and high > true_mi - 0.05
    assert result.mean == pytest.approx(result.estimates.mean())
    wide = result.confidence_interval(0.99)
    assert wide[0] < low and wide[1] > high


def test_independent_ci_covers_zero_one_seed():
    X, y = _independent(0)
    low, high = cross_val_mi(InfoNCEAnchorMI(random_state=0, **FAST), X, y, random_state=0).ci
    assert low <= 0 <= high


@pytest.mark.slow
def test_independent_ci_covers_zero_90_percent():
    covered = []
    for seed in range(10):
        X, y = _independent(seed)
        est = InfoNCEAnchorMI(random_state=seed, **FAST)
        low, high = cross_val_mi(est, X, y, random_state=seed).ci
        covered.append(low <= 0 <= high)
    assert np.mean(covered) >= 0.9, covered


def test_n_jobs_identical_and_dataframe_and_custom_cv():
    pd = pytest.importorskip("pandas")
    X, Y, _ = make_gaussian(900, mi=0.3, n_pairs=1, random_state=1)
    est = InfoNCEAnchorMI(random_state=0, **{**FAST, "max_epochs": 5})
    serial = cross_val_mi(est, X, Y, cv=3, random_state=0)
    parallel = cross_val_mi(est, X, Y, cv=3, random_state=0, n_jobs=2)
    np.testing.assert_array_equal(serial.estimates, parallel.estimates)
    np.testing.assert_array_equal(serial.standard_errors, parallel.standard_errors)
    frame = cross_val_mi(est, pd.DataFrame(X), pd.Series(Y.ravel()), cv=3, random_state=0)
    np.testing.assert_allclose(frame.estimates, serial.estimates)
    # an int cv is a shuffled, unstratified KFold seeded by random_state
    explicit = cross_val_mi(est, X, Y, cv=KFold(3, shuffle=True, random_state=0))
    np.testing.assert_array_equal(explicit.estimates, serial.estimates)


def test_validation():
    X, y = _independent(0, n=50)
    with pytest.raises(ValueError, match="level"):
        cross_val_mi(InfoNCEAnchorMI(), X, y, level=1.5)


def test_folds_get_distinct_derived_seeds():
    from sklearn_mi.model_selection import _fold_seeds

    seeds = _fold_seeds(InfoNCEAnchorMI(random_state=0), 5)
    assert len(set(seeds)) == 5 and seeds == _fold_seeds(InfoNCEAnchorMI(random_state=0), 5)
    assert seeds != _fold_seeds(InfoNCEAnchorMI(random_state=1), 5)
    assert _fold_seeds(InfoNCEAnchorMI(), 3) == [None, None, None]
    rs = np.random.RandomState(0)
    assert len(set(_fold_seeds(InfoNCEAnchorMI(random_state=rs), 4))) == 4
