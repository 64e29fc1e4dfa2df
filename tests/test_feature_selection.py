"""Per-feature neural scores and the joint-MI selector against ground truth."""

import math
import warnings

import numpy as np
import pytest
import torch
from sklearn.datasets import load_iris
from sklearn.feature_selection import SelectKBest, mutual_info_regression
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_mi import InfoNCEAnchorMI
from sklearn_mi.critics import GroupedSeparableCritic
from sklearn_mi.feature_selection import (
    GroupedObjectiveLoss,
    MutualInfoSelector,
    NeuralMutualInfo,
    neural_mutual_info_classif,
    neural_mutual_info_regression,
)
from sklearn_mi.objectives import anchor_loss

FAST = dict(hidden_layer_sizes=(16, 16), embed_dim=8, max_epochs=30, random_state=0)
SEL_EST = InfoNCEAnchorMI(  # the selector's default estimator (nu = K), 30 epochs
    nu=63.0, hidden_layer_sizes=(32, 32), embed_dim=8, batch_size=64, max_epochs=30,
    learning_rate_init=3e-3, n_iter_no_change=5, device="cpu",
)


@pytest.fixture(autouse=True)
def _quiet_single_thread():
    """One torch thread: the small critics gain nothing from more, and CI cores are shared."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*samples.*")
        yield
    torch.set_num_threads(threads)


def gaussian_features(n, rhos, seed=0):
    """Columns x_j with corr(x_j, y) = rho_j, independent otherwise: I_j = -ln(1-rho_j^2)/2."""
    rng = np.random.default_rng(seed)
    rhos = np.asarray(rhos, dtype=float)
    y = rng.standard_normal(n)
    X = rhos * y[:, None] + np.sqrt(1 - rhos**2) * rng.standard_normal((n, rhos.size))
    return X, y, -0.5 * np.log1p(-(rhos**2))


# ------------------------------------------------------------------------ grouped critic
def test_grouped_critic_contract_and_independent_groups():
    torch.manual_seed(0)
    critic = GroupedSeparableCritic(4, 2, hidden_layer_sizes=(8,), embed_dim=4)
    x, y = torch.randn(10, 4), torch.randn(10, 2)
    scores = critic(x, y)
    assert scores.shape == (4, 10, 10)
    torch.testing.assert_close(critic.pair(x, y), scores.diagonal(dim1=1, dim2=2))
    # group k's score depends on column k only
    x2 = x.clone()
    x2[:, 1] += 1.0
    diff = (critic(x2, y) - scores).abs().amax(dim=(1, 2))
    assert diff[1] > 0 and torch.all(diff[[0, 2, 3]] == 0)
    # the grouped loss is the sum of the objective on every slice
    loss = GroupedObjectiveLoss("anchor", nu="auto")(scores)
    expected = sum(anchor_loss(s, nu=3.0) for s in scores)  # auto: sqrt(K), K = 9
    torch.testing.assert_close(loss, expected)
    # a loss on group 2 only moves group 2's weights
    anchor_loss(critic(x, y)[2], nu=9.0).backward()
    grad = critic.g[0].weight.grad.abs().sum(dim=(1, 2))
    assert grad[2] > 0 and torch.all(grad[[0, 1, 3]] == 0)


# --------------------------------------------------------------------- per-feature scores
def test_per_feature_gaussian_closed_form():
    """Five features of known rho against -ln(1-rho^2)/2 nats.

    Over seeds 0-2 and both scalings the mean |error| was 0.02-0.05 nat and the
    largest single error 0.16 (early stopping on 600 held-out rows is noisy).
    """
    X, y, truth = gaussian_features(3000, [0.0, 0.3, 0.5, 0.7, 0.9])
    mi, se = neural_mutual_info_regression(X, y, return_se=True, **FAST)
    assert np.mean(np.abs(mi - truth)) < 0.06, (mi, truth)
    assert np.all(np.abs(mi - truth) < 0.2), (mi, truth)
    assert np.all(np.diff(mi) > 0)  # the ordering of the rhos is recovered
    assert np.all((se > 0) & (se < 0.05))


def test_constant_feature_or_target_is_exactly_zero():
    """Field case F1: a constant column or a constant y gives exactly 0."""
    X, y, _ = gaussian_features(400, [0.8, 0.0])
    X = np.column_stack([X, np.full(400, 3.0)])
    mi = neural_mutual_info_regression(X, y, **FAST)
    assert mi[2] == 0.0 and mi[0] > 0.2  # truth 0.51; n = 400 and a short fit read low
    assert np.all(neural_mutual_info_regression(X, np.ones(400), **FAST) == 0.0)
    assert np.all(neural_mutual_info_classif(X, np.array(["a"] * 400), **FAST) == 0.0)


def test_deterministic_n_jobs_and_global_rng():
    X, y, _ = gaussian_features(400, [0.3, 0.6, 0.0, 0.9])
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    np_before = np.random.get_state()[1].copy()  # noqa: NPY002
    fast = {**FAST, "max_epochs": 8}
    serial = neural_mutual_info_regression(X, y, features_per_model=2, n_jobs=1, **fast)
    assert torch.equal(torch.random.get_rng_state(), before)
    assert np.array_equal(np.random.get_state()[1], np_before)  # noqa: NPY002
    again = neural_mutual_info_regression(X, y, features_per_model=2, n_jobs=1, **fast)
    parallel = neural_mutual_info_regression(X, y, features_per_model=2, n_jobs=2, **fast)
    np.testing.assert_array_equal(serial, again)
    np.testing.assert_array_equal(serial, parallel)


def test_classif_one_hot_iris():
    X, y = load_iris(return_X_y=True)
    mi = neural_mutual_info_classif(X, y.astype(str), **{**FAST, "max_epochs": 30})
    # petal length/width carry most of the ln 3 = 1.10 nats; sepal width the least
    assert mi[2] > 0.6 and mi[3] > 0.6 and mi[1] < mi[2]
    assert np.all(mi < math.log(3) + 0.2)


def test_select_k_best_pipeline_and_grid_search():
    X, y, _ = gaussian_features(300, [0.0, 0.9, 0.0, 0.8])
    scorer = NeuralMutualInfo(hidden_layer_sizes=(8,), embed_dim=4, max_epochs=15, random_state=0)
    pipe = make_pipeline(SelectKBest(score_func=scorer, k=2), LinearRegression())
    pipe.fit(X, y)
    assert set(pipe[0].get_support(indices=True)) == {1, 3}
    search = GridSearchCV(
        pipe, {"selectkbest__score_func__hidden_layer_sizes": [(8,), (4,)]}, cv=2
    ).fit(X, y)
    assert search.best_estimator_[0].score_func.hidden_layer_sizes in [(8,), (4,)]
    assert not hasattr(scorer, "scores_")  # the callable leaves no fitted state behind
    fitted = NeuralMutualInfo(**FAST).fit(X, y)
    assert fitted.scores_.shape == (4,) and fitted.n_features_in_ == 4


def test_parameter_validation():
    X, y, _ = gaussian_features(50, [0.5])
    with pytest.raises(ValueError, match="max_epochs"):
        neural_mutual_info_regression(X, y, max_epochs=0)
    with pytest.raises(ValueError, match="objective"):
        NeuralMutualInfo(objective="nwj")(X, y)
    with pytest.raises(ValueError, match="n_features_to_select"):
        MutualInfoSelector(n_features_to_select=0).fit(X, y)
    assert set(NeuralMutualInfo._parameter_constraints) == set(NeuralMutualInfo().get_params())
    assert set(MutualInfoSelector._parameter_constraints) == set(
        MutualInfoSelector().get_params()
    )


# --------------------------------------------------------------------------- selector
@pytest.fixture(scope="module")
def interaction():
    """y = x0 * x1 + noise with x0 = ±1: x0 alone carries exactly 0 MI; 4 noise columns."""
    rng = np.random.default_rng(0)
    n = 2000
    X = rng.standard_normal((n, 6))
    X[:, 0] = rng.choice([-1.0, 1.0], n)
    y = X[:, 0] * X[:, 1] + 0.3 * rng.standard_normal(n)
    return X, y


def test_selector_sees_interaction(interaction):
    X, y = interaction
    sel = MutualInfoSelector(SEL_EST, n_features_to_select=2, random_state=0).fit(X, y)
    assert set(sel.get_support(indices=True)) == {0, 1}
    assert sel.gains_[1] > 0.2  # x0 adds ~ln 2 once x1 is in (truth: 1.25 - 0.6 nats)
    # per-feature scores see nothing in x0: it is not separated from the 4 noise columns,
    # so their top 2 is x1 plus whichever column's noise is largest
    sk = mutual_info_regression(X, y, random_state=0)
    ours = neural_mutual_info_regression(X, y, **FAST)
    for scores in (sk, ours):
        assert abs(scores[0]) < 0.03 and scores[0] < scores[2:].max() + 0.02
        assert scores[1] > 0.3


def test_selector_never_picks_a_copy_f19():
    """Field case F19: iris with petal length duplicated; ties go to the lowest index."""
    X, y = load_iris(return_X_y=True)
    X = np.column_stack([X[:, 2], X[:, 1], X[:, 2]])  # petal length, sepal width, copy
    sel = MutualInfoSelector(SEL_EST, n_features_to_select=2, discrete_y=True, random_state=0)
    sel.fit(X, y)
    assert list(sel.selected_) == [0, 1]
    assert sel.candidate_scores_[0, 0] == sel.candidate_scores_[0, 2]  # tie, lowest index
    assert sel.candidate_scores_[1, 2] == sel.scores_[0]  # the copy's gain is exactly 0
    # only copies left: selection stops
    only = MutualInfoSelector(SEL_EST, n_features_to_select=2, discrete_y=True, random_state=0)
    assert list(only.fit(X[:, [0, 2]], y).selected_) == [0]


def test_copy_does_not_raise_joint_mi():
    X, y, truth = gaussian_features(3000, [0.8])
    est = InfoNCEAnchorMI(**{**SEL_EST.get_params(), "random_state": 0})
    one = est.fit(X[:2000], y[:2000]).estimate(X[2000:], y[2000:])
    two = est.fit(X[:2000, [0, 0]], y[:2000]).estimate(X[2000:, [0, 0]], y[2000:])
    assert abs(one.mi - truth[0]) < 0.1
    assert two.mi - one.mi < 3 * math.hypot(one.se, two.se) + 0.05


def test_selector_auto_stops_and_n_jobs_identical():
    X, y, _ = gaussian_features(1500, [0.7, 0.7, 0.0, 0.0])
    y = X[:, 0] + X[:, 1] + 0.5 * np.random.default_rng(1).standard_normal(1500)
    sel = MutualInfoSelector(SEL_EST, random_state=0).fit(X, y)
    assert set(sel.selected_) == {0, 1}
    assert np.all(sel.gains_ - 1.96 * sel.gains_se_ > 0)
    assert sel.candidate_scores_.shape == (3, 4)  # the third step was tried and rejected
    # gains are measured against a same-size permutation null, one per step tried
    assert sel.null_scores_.shape == (3,)
    np.testing.assert_allclose(sel.gains_, sel.scores_ - sel.null_scores_[:2])
    assert abs(sel.null_scores_[0]) < 0.05  # a permuted column alone: truth 0
    assert abs(sel.null_scores_[1] - sel.scores_[0]) < 0.15  # truth I(x_first; y) itself
    assert list(sel.ranking_[sel.selected_]) == [1, 2] and np.all(sel.ranking_[[2, 3]] == 3)
    par = MutualInfoSelector(SEL_EST, n_jobs=2, random_state=0).fit(X, y)
    np.testing.assert_array_equal(sel.scores_, par.scores_)
    np.testing.assert_array_equal(sel.candidate_scores_, par.candidate_scores_)


def test_selector_pipeline_grid_search_dataframe():
    pd = pytest.importorskip("pandas")
    X, y, _ = gaussian_features(400, [0.9, 0.0, 0.8])
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    tiny = InfoNCEAnchorMI(hidden_layer_sizes=(8,), embed_dim=4, max_epochs=5, device="cpu")
    sel = MutualInfoSelector(SEL_EST, n_features_to_select=2, random_state=0).fit(df, y)
    names = list(sel.get_feature_names_out())
    assert names == list(df.columns[sel.get_support()]) and "a" in names
    assert sel.transform(df).shape == (400, 2)
    pipe = make_pipeline(MutualInfoSelector(tiny, random_state=0), LinearRegression())
    search = GridSearchCV(pipe, {"mutualinfoselector__n_features_to_select": [1, 0.5]}, cv=2)
    search.fit(df, y)
    assert search.best_params_["mutualinfoselector__n_features_to_select"] in (1, 0.5)
