"""Scorers for choosing hyperparameters of the plug-in estimators honestly.

``score`` is the MI estimate, which is what ``cross_val_score`` users want. But
for plug-in estimators (InfoNCEAnchorMI, JSMI) a *larger* held-out estimate can
simply mean an inflated critic, so "higher score is better" is the wrong rule
for ``GridSearchCV``. :func:`density_ratio_scorer` instead scores the critic as
a log density ratio with a proper scoring rule that does not depend on the
hyperparameters being compared.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn.functional import softplus

__all__ = ["density_ratio_scorer"]


def density_ratio_scorer(estimator, X, y) -> float:
    """Negative held-out logistic (NCE) loss of the critic read as ``log r(x, y)``.

    Joint pairs ``(x_i, y_i)`` are classified against shuffled pairs
    ``(x_i, y_pi(i))`` (a seeded permutation) by ``sigmoid(c(x, y))``; the loss
    ``mean softplus(-c(x_i, y_i)) + mean softplus(c(x_i, y_pi(i)))`` is a proper
    score, minimised by the true log density ratio, and does not depend on the
    estimator's batch size or anchor weight. Higher (less negative) is better,
    so it plugs into ``GridSearchCV(scoring=density_ratio_scorer)``.

    Parameters
    ----------
    estimator : InfoNCEAnchorMI or JSMI
        A fitted plug-in estimator.
    X : array-like of shape (n_samples, n_features)
        First variable (held-out pairs).
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Second variable.

    Returns
    -------
    float
        Minus the logistic loss, in nats per pair (at most 0; an uninformative
        critic scores ``-2 ln 2``).

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_mi import InfoNCEAnchorMI
    >>> from sklearn_mi.datasets import make_gaussian
    >>> from sklearn_mi.scoring import density_ratio_scorer
    >>> X, Y, _ = make_gaussian(1500, mi=1.0, n_pairs=2, random_state=0)
    >>> search = GridSearchCV(InfoNCEAnchorMI(max_epochs=5, random_state=0),
    ...                       {"batch_size": [32, 128]}, scoring=density_ratio_scorer, cv=2)
    >>> search.fit(X, Y).best_params_["batch_size"] in (32, 128)
    True
    """
    if not getattr(estimator, "_is_plug_in", lambda: False)():
        raise TypeError(
            "density_ratio_scorer needs a plug-in estimator (InfoNCEAnchorMI, JSMI), whose "
            f"critic is a log density ratio; got {type(estimator).__name__}"
        )
    X, y = estimator._prepare_eval(X, y)
    if estimator.degenerate_:
        return float(-2 * np.log(2))
    xt, yt = estimator._transform(X, y)
    perm = np.random.default_rng(estimator._eval_seed).permutation(len(xt))
    estimator.net_.module_.eval()
    with torch.no_grad():
        x, yy = torch.from_numpy(xt), torch.from_numpy(yt)
        joint = torch.from_numpy(estimator._pair_values(x, yy))
        indep = torch.from_numpy(estimator._pair_values(x, yy[torch.from_numpy(perm)]))
    return float(-(softplus(-joint).mean() + softplus(indep).mean()))
