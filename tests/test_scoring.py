"""density_ratio_scorer and the plug-in path, checked with an exact (oracle) critic."""

import math

import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV

from sklearn_mi import InfoNCEAnchorMI, InfoNCEMI
from sklearn_mi.datasets import make_gaussian
from sklearn_mi.scoring import density_ratio_scorer

RHO = 0.8


class OracleCritic(torch.nn.Module):
    """The true log density ratio of unit-variance rho-correlated coordinate pairs."""

    def __init__(self, x_dim, y_dim):
        super().__init__()
        self.dummy = torch.nn.Parameter(torch.zeros(()))  # something for Adam to hold

    def _log_r(self, x, y):
        r2 = RHO**2
        quad = (r2 * x**2 - 2 * RHO * x * y + r2 * y**2) / (2 * (1 - r2))
        return (-0.5 * math.log(1 - r2) - quad).sum(-1) + 0 * self.dummy

    def forward(self, x, y):
        return self._log_r(x[:, None, :], y[None, :, :])

    def pair(self, x, y):
        return self._log_r(x, y)


@pytest.fixture(scope="module")
def data():
    return make_gaussian(20000, rho=RHO, n_pairs=2, random_state=0)


def test_oracle_critic_plug_in_equals_true_mi(data):
    X, Y, mi = data
    est = InfoNCEAnchorMI(critic=OracleCritic, max_epochs=1, learning_rate_init=1e-9,
                          random_state=0).fit(X[:4000], Y[:4000])
    held = est.estimate(X[4000:], Y[4000:])
    assert abs(held.mi - mi) < 4 * held.se + 0.01


def test_scorer_prefers_the_true_ratio(data):
    X, Y, _ = data
    Xt, Yt = X[4000:8000], Y[4000:8000]
    oracle = InfoNCEAnchorMI(critic=OracleCritic, max_epochs=1, learning_rate_init=1e-9,
                             random_state=0).fit(X[:4000], Y[:4000])
    trained = InfoNCEAnchorMI(hidden_layer_sizes=(64, 64), max_epochs=15,
                              random_state=0).fit(X[:4000], Y[:4000])
    barely = InfoNCEAnchorMI(hidden_layer_sizes=(64, 64), max_epochs=1, early_stopping=False,
                             learning_rate_init=1e-6, random_state=0).fit(X[:4000], Y[:4000])
    s_oracle = density_ratio_scorer(oracle, Xt, Yt)
    s_trained = density_ratio_scorer(trained, Xt, Yt)
    s_barely = density_ratio_scorer(barely, Xt, Yt)
    assert s_oracle >= s_trained - 0.02 and s_trained > s_barely + 0.1
    assert s_barely == pytest.approx(-2 * math.log(2), abs=0.1)  # ~uninformative critic
    assert s_oracle < 0


def test_scorer_in_grid_search_and_rejects_bound_estimators(data):
    X, Y, _ = data
    grid = GridSearchCV(
        InfoNCEAnchorMI(hidden_layer_sizes=(32,), max_epochs=5, random_state=0),
        {"embed_dim": [1, 16]}, scoring=density_ratio_scorer, cv=2,
    ).fit(X[:3000], Y[:3000])
    assert grid.best_params_ == {"embed_dim": 16}  # rank-1 embedding cannot fit 2 pairs
    est = InfoNCEMI(hidden_layer_sizes=(8,), max_epochs=1, random_state=0).fit(X[:500], Y[:500])
    with pytest.raises(TypeError, match="plug-in"):
        density_ratio_scorer(est, X[:100], Y[:100])


def test_constant_y_scores_uninformative(data):
    X, _, _ = data
    est = InfoNCEAnchorMI(max_epochs=1, random_state=0).fit(X[:500], np.zeros(500))
    assert density_ratio_scorer(est, X[:100], np.zeros(100)) == pytest.approx(-2 * math.log(2))
