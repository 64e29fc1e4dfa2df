"""Feature selection with neural MI: per-feature scores and a joint-MI forward selector.

* :func:`neural_mutual_info_regression` / :func:`neural_mutual_info_classif`:
  ``I(x_j; y)`` for every column j (nats), usable as
  ``SelectKBest(score_func=...)``. All p per-feature critics are trained
  *together*: one :class:`~sklearn_mi.critics.GroupedSeparableCritic` (batched
  weights), one optimiser, one data pass, trained by skorch.
  :class:`NeuralMutualInfo` is the same computation as a callable object whose
  parameters ``GridSearchCV`` can tune.
* :class:`MutualInfoSelector`: greedy forward selection maximising the joint
  MI ``I(X_S; y)`` of the chosen set, estimated by a cloneable neural
  estimator on held-out rows; sees interactions that per-feature scores miss,
  and stops (``n_features_to_select="auto"``) when the gain's confidence
  interval covers 0.

All values are in nats.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import torch
from scipy.stats import norm
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.feature_selection import SelectorMixin
from sklearn.model_selection import ShuffleSplit
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions, validate_params
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_array, check_is_fitted, validate_data
from skorch.helper import predefined_split
from skorch.utils import to_tensor
from torch import Tensor

from ._base import MIN_SAMPLES, _resolve_device, make_column_scaler
from ._net import HeldOutEarlyStopping, HeldOutMI, MINet, ObjectiveLoss, PairDataset
from ._utils import derived_seed, root_rng
from .critics import GroupedSeparableCritic

__all__ = [
    "PerFeatureMI",
    "NeuralMutualInfo",
    "neural_mutual_info_regression",
    "neural_mutual_info_classif",
    "MutualInfoSelector",
]

_EVAL_CHUNK = 4096
_PLUG_IN_OBJECTIVES = ("anchor", "js")


# ============================================================================ per-feature
@dataclass(frozen=True)
class PerFeatureMI:
    """Per-feature MI estimates ``I(x_j; y)`` in nats with their standard errors.

    Attributes
    ----------
    mi : ndarray of shape (n_features,)
        Held-out plug-in estimates (nats); exactly 0 for constant features.
    se : ndarray of shape (n_features,)
        Their standard errors (nats).
    n_samples : int
        Number of held-out pairs each estimate is computed on.
    """

    mi: np.ndarray
    se: np.ndarray
    n_samples: int

    def confidence_interval(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Normal-approximation intervals ``mi ± z * se`` (arrays of lower, upper ends)."""
        if not 0 < level < 1:
            raise ValueError(f"level must be in (0, 1), got {level}")
        z = float(norm.ppf(0.5 + level / 2))
        return self.mi - z * self.se, self.mi + z * self.se


class GroupedObjectiveLoss(ObjectiveLoss):
    """:class:`~sklearn_mi._net.ObjectiveLoss` over a ``(G, B, B)`` stack of score matrices.

    The loss is the sum over groups of the objective on each ``(B, B)`` slice
    (the plug-in objectives accept a stack directly), so each group's critic
    receives exactly the gradient it would get alone. ``pointwise`` returns
    ``(G, B)`` contributions.
    """

    def forward(self, scores: Tensor, training: bool = False) -> Tensor:
        params = self._params(self.objective.loss_params, scores.shape[-1])
        return self.objective.loss(scores, **params).sum()

    def pointwise(self, scores: Tensor) -> Tensor:
        params = self._params(self.objective.estimate_params, scores.shape[-1])
        return self.objective.pointwise(scores, **params)


class GroupedMINet(MINet):
    """:class:`~sklearn_mi._net.MINet` for a grouped critic, contrasting within row blocks.

    ``infer`` returns :meth:`GroupedSeparableCritic.block_scores`: each group's
    critic is trained on score matrices of ``contrast_size`` rows (K =
    ``contrast_size - 1`` negatives per row) rather than the whole batch, so a
    step costs O(p B contrast_size) instead of O(p B^2). The criterion divides
    by the number of blocks, so the loss is each group's mean block loss,
    summed over groups.
    """

    def __init__(self, *args, contrast_size=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contrast_size = contrast_size

    def infer(self, x, **fit_params):
        x = to_tensor(x, device=self.device)
        return self.module_.block_scores(x["x"], x["y"], self.contrast_size)

    def get_loss(self, y_pred, y_true=None, X=None, training=False):
        blocks = y_pred.shape[0] // self.module_.n_groups
        return self.criterion_(y_pred, training=training) / blocks


def _root_seeds(random_state) -> dict[str, int]:
    rng = root_rng(random_state)
    split, init, shuffle = rng.integers(0, 2**31 - 1, size=3)
    return {"split": int(split), "init": int(init), "shuffle": int(shuffle)}


def _constant_columns(a: np.ndarray) -> np.ndarray:
    return np.all(a == a[:1], axis=0)


def _fit_block(
    xt: np.ndarray,
    yt: np.ndarray,
    train_idx: np.ndarray,
    valid_idx: np.ndarray,
    params: dict,
    init_seed: int,
    shuffle_seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Train one grouped critic on the columns of ``xt``; held-out plug-in mean and SE."""
    n_groups = xt.shape[1]
    train_ds = PairDataset({"x": xt[train_idx], "y": yt[train_idx]})
    valid_ds = PairDataset({"x": xt[valid_idx], "y": yt[valid_idx]})
    batch_size = min(int(params["batch_size"]), len(train_ds))
    callbacks = [("held_out_mi", HeldOutMI(plug_in=True))]
    patience = params["n_iter_no_change"] if params["early_stopping"] else params["max_epochs"] + 1
    callbacks.append(
        (
            "early_stopping",
            HeldOutEarlyStopping(
                monitor="valid_loss",
                patience=patience,
                threshold=params["tol"],
                threshold_mode="abs",
                lower_is_better=True,
                load_best=True,
            ),
        )
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(init_seed)
        module = GroupedSeparableCritic(
            n_groups,
            yt.shape[1],
            hidden_layer_sizes=params["hidden_layer_sizes"],
            embed_dim=params["embed_dim"],
            activation=params["activation"],
            shared_y_trunk=params["shared_y_trunk"],
        )
        net = GroupedMINet(
            module=module,
            contrast_size=params["contrast_size"],
            criterion=GroupedObjectiveLoss,
            criterion__objective=params["objective"],
            criterion__nu=params["nu"],
            optimizer=torch.optim.Adam,
            optimizer__weight_decay=params["weight_decay"],
            lr=params["learning_rate_init"],
            max_epochs=params["max_epochs"],
            batch_size=batch_size,
            train_split=predefined_split(valid_ds),
            callbacks=callbacks,
            dataset=PairDataset,
            device=params["device"],
            shuffle_seed=shuffle_seed,
            verbose=0,
        )
        net.initialize()
        net.partial_fit(train_ds, None)
    module = net.module_
    module.eval()
    with torch.no_grad():
        parts = [
            module.pair(
                valid_ds.x[i : i + _EVAL_CHUNK].to(net.device),
                valid_ds.y[i : i + _EVAL_CHUNK].to(net.device),
            )
            .double()
            .cpu()
            for i in range(0, len(valid_ds), _EVAL_CHUNK)
        ]
    values = torch.cat(parts, dim=1).numpy()  # (G, n_valid)
    n = values.shape[1]
    return values.mean(axis=1), values.std(axis=1, ddof=1) / math.sqrt(n)


_SCORER_PARAMS = """
    objective : {"anchor", "js"}, default="anchor"
        Plug-in objective each per-feature critic is trained on: InfoNCE-anchor
        (the package default) or Jensen-Shannon / binary NCE.
    nu : float > 0 or "auto", default="auto"
        InfoNCE-anchor weight; ``"auto"`` follows
        :class:`~sklearn_mi.InfoNCEAnchorMI` with ``K = contrast_size - 1``
        negatives per row.
    hidden_layer_sizes : tuple of int, default=(16, 16)
        Hidden widths of every per-feature encoder (x and y side). One input
        column needs little width: in ``benchmarks/per_feature_speed.py``
        (64 known-MI features, 3 seeds) (16, 16) had a mean absolute error of
        0.023 nats and a Spearman correlation with the truth of 0.983-0.987;
        one layer of 16 took 11-22% less time with 0.024 nats and 0.973-0.984.
    embed_dim : int, default=8
        Embedding width of the per-feature separable critics.
    activation : {"relu", "tanh", "elu", "gelu", "silu"}, default="relu"
        Hidden activation.
    batch_size : int, default=128
        Pairs per training batch (shared by all features).
    max_epochs : int, default=50
        Maximum passes over the training split.
    learning_rate_init : float, default=3e-3
        Adam learning rate.
    weight_decay : float, default=0.0
        Adam weight decay.
    early_stopping : bool, default=True
        Stop when the summed held-out loss of the block has not improved for
        ``n_iter_no_change`` epochs; the best weights are restored.
    validation_fraction : float in (0, 1), default=0.2
        Fraction of rows held out (random, never stratified) for early stopping
        and for the per-feature estimates.
    n_iter_no_change : int, default=5
        Early-stopping patience in epochs.
    tol : float, default=0.0
        Minimum decrease of the held-out loss counted as an improvement.
    scaling : {"auto", "quantile", "standard"} or None, default="auto"
        How every feature (and a numeric target) is mapped before its critic
        sees it, fitted on the training rows. ``"quantile"`` (also what
        ``"auto"`` means here): through the column's empirical CDF to a
        standard normal, a monotone map that keeps each feature's MI and
        removes heavy tails (a cubed or Cauchy feature); the same map as the
        estimators' ``scaling="auto"`` in ``fit``. ``"standard"``: zero mean,
        unit variance. ``None``: the values as they are.
    contrast_size : int or None, default=16
        Rows per contrastive block: during training each batch is cut into
        blocks of this many rows and every row's negatives are the other rows
        of its block (K = contrast_size - 1), which makes a step O(p B
        contrast_size) instead of O(p B^2). Any K is consistent for the
        plug-in objectives; per-feature MI is usually small, so few negatives
        suffice (16 and 32 gave the same accuracy in
        ``benchmarks/per_feature_speed.py``). ``None``: the whole batch.
    shared_y_trunk : bool, default=False
        Share the hidden layers of the per-feature y encoders (one MLP pass over
        y per batch, a separate last layer per feature), which cuts the y
        side's cost by about p; worth it for wide y encoders. The per-feature
        critics then share those weights and are trained together, which on
        small data can favour one of two redundant features (iris, 150 rows).
        ``False``: every feature has its own y encoder, trained exactly as if
        alone.
    features_per_model : int, default=64
        Features are split into ``ceil(p / features_per_model)`` near-equal
        blocks, each trained as one grouped model. The blocks depend only on p
        and this number, never on ``n_jobs``.
    n_jobs : int, default=None
        Blocks trained in parallel through joblib (any backend, e.g. dask).
        Results are identical to ``n_jobs=1``.
    device : {"auto", "cpu", "cuda"}, default="auto"
        Where the critics train.
    random_state : int, RandomState instance or None, default=None
        Seeds the split, the initialisation (per block) and the shuffling.
        The global torch RNG is left untouched."""

_SCORER_CONSTRAINTS = {
    "objective": [StrOptions(set(_PLUG_IN_OBJECTIVES))],
    "nu": [Interval(numbers.Real, 0, None, closed="neither"), StrOptions({"auto"})],
    "hidden_layer_sizes": ["array-like"],
    "embed_dim": [Interval(numbers.Integral, 1, None, closed="left")],
    "activation": [StrOptions({"relu", "tanh", "elu", "gelu", "silu"})],
    "batch_size": [Interval(numbers.Integral, 2, None, closed="left")],
    "max_epochs": [Interval(numbers.Integral, 1, None, closed="left")],
    "learning_rate_init": [Interval(numbers.Real, 0, None, closed="neither")],
    "weight_decay": [Interval(numbers.Real, 0, None, closed="left")],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither")],
    "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
    "tol": [Interval(numbers.Real, 0, None, closed="left")],
    "scaling": [StrOptions({"auto", "standard", "quantile"}), None],
    "contrast_size": [Interval(numbers.Integral, 2, None, closed="left"), None],
    "shared_y_trunk": ["boolean"],
    "features_per_model": [Interval(numbers.Integral, 1, None, closed="left")],
    "n_jobs": [numbers.Integral, None],
    "device": [StrOptions({"auto", "cpu", "cuda"})],
    "random_state": ["random_state"],
}

_SCORER_DEFAULTS = dict(
    objective="anchor",
    nu="auto",
    hidden_layer_sizes=(16, 16),
    embed_dim=8,
    activation="relu",
    batch_size=128,
    max_epochs=50,
    learning_rate_init=3e-3,
    weight_decay=0.0,
    early_stopping=True,
    validation_fraction=0.2,
    n_iter_no_change=5,
    tol=0.0,
    scaling="auto",
    contrast_size=16,
    shared_y_trunk=False,
    features_per_model=64,
    n_jobs=None,
    device="auto",
    random_state=None,
)


class NeuralMutualInfo(BaseEstimator):
    """Per-feature neural MI ``I(x_j; y)`` as a callable, tunable score function.

    ``NeuralMutualInfo(...)(X, y)`` returns the per-feature estimates, so an
    instance is a ``score_func`` for :class:`~sklearn.feature_selection.SelectKBest`
    whose parameters ``GridSearchCV`` reaches as ``selectkbest__score_func__<param>``.
    All p critics (one separable critic ``g_j(x_j) . h_j(y)`` per feature) are
    trained together as one :class:`~sklearn_mi.critics.GroupedSeparableCritic`
    by skorch; each estimate is the plug-in mean of its critic over the
    held-out pairs (nats), with a standard error.

    Parameters
    ----------
    discrete_target : bool, default=False
        One-hot encode y (classification). Otherwise y is standardised.
    {params}

    Attributes
    ----------
    scores_ : ndarray of shape (n_features,)
        Per-feature estimates (nats), set by :meth:`fit`.
    scores_se_ : ndarray of shape (n_features,)
        Their standard errors (nats).
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of str
        Column names, when X is a DataFrame.

    See Also
    --------
    neural_mutual_info_regression, neural_mutual_info_classif : function forms.
    MutualInfoSelector : joint-MI forward selection (sees interactions).

    Notes
    -----
    A constant feature, or a constant y, scores exactly 0 (no critic is
    trained for it). Estimates are plug-in means and are not clipped: an
    independent feature reads about 0 and may be slightly negative.

    References
    ----------
    .. [1] "Contrastive Predictive Coding Done Right for Mutual Information
       Estimation", arXiv:2510.25983 (2025).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.feature_selection import NeuralMutualInfo
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((2000, 3))
    >>> y = X[:, 0] + 0.5 * rng.standard_normal(2000)
    >>> mi = NeuralMutualInfo(max_epochs=20, random_state=0)(X, y)
    >>> int(np.argmax(mi)), bool(abs(mi[0] - 0.5 * np.log(5)) < 0.15)
    (0, True)
    """

    _parameter_constraints = {"discrete_target": ["boolean"], **_SCORER_CONSTRAINTS}

    def __init__(
        self,
        *,
        discrete_target=False,
        objective="anchor",
        nu="auto",
        hidden_layer_sizes=(16, 16),
        embed_dim=8,
        activation="relu",
        batch_size=128,
        max_epochs=50,
        learning_rate_init=3e-3,
        weight_decay=0.0,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=5,
        tol=0.0,
        scaling="auto",
        contrast_size=16,
        shared_y_trunk=False,
        features_per_model=64,
        n_jobs=None,
        device="auto",
        random_state=None,
    ):
        self.discrete_target = discrete_target
        self.objective = objective
        self.nu = nu
        self.hidden_layer_sizes = hidden_layer_sizes
        self.embed_dim = embed_dim
        self.activation = activation
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.learning_rate_init = learning_rate_init
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.scaling = scaling
        self.contrast_size = contrast_size
        self.shared_y_trunk = shared_y_trunk
        self.features_per_model = features_per_model
        self.n_jobs = n_jobs
        self.device = device
        self.random_state = random_state

    def _prepare(self, X, y):
        X = validate_data(self, X, dtype=[np.float64, np.float32])
        y = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y)
        if y.ndim == 0 or y.ndim > 2 or y.shape[0] != X.shape[0]:
            raise ValueError(f"y must have {X.shape[0]} rows and be 1-D or 2-D; got {y.shape}")
        y2 = y.reshape(len(y), -1)
        if self.discrete_target:
            y2 = check_array(y2, dtype=None, input_name="y")
        else:
            y2 = check_array(y2, dtype=np.float64, input_name="y")
        return X, y2

    def estimate(self, X, y) -> PerFeatureMI:
        """Per-feature MI estimates with standard errors.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features (each treated as a continuous variable).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target.

        Returns
        -------
        PerFeatureMI
            ``mi`` and ``se`` arrays (nats), ``confidence_interval(level)``.
        """
        self._validate_params()
        X, y = self._prepare_no_state(X, y)
        return self._estimate(X, y)

    def _prepare_no_state(self, X, y):
        # The callable form must not leave fitted state on the instance
        # (it is a constructor parameter of SelectKBest).
        X = check_array(X, dtype=[np.float64, np.float32])
        y = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y)
        if y.ndim == 0 or y.ndim > 2 or y.shape[0] != X.shape[0]:
            raise ValueError(f"y must have {X.shape[0]} rows and be 1-D or 2-D; got {y.shape}")
        y2 = y.reshape(len(y), -1)
        dtype = None if self.discrete_target else np.float64
        return X, check_array(y2, dtype=dtype, input_name="y")

    def _estimate(self, X: np.ndarray, y: np.ndarray) -> PerFeatureMI:
        n, p = X.shape
        if n < MIN_SAMPLES:
            raise ValueError(
                f"per-feature MI needs at least {MIN_SAMPLES} samples; got n_samples = {n}"
            )
        n_valid = math.ceil(n * self.validation_fraction)
        if n_valid < 2 or n - n_valid < 2:
            raise ValueError(
                f"validation_fraction={self.validation_fraction} leaves {n - n_valid} training "
                f"and {n_valid} validation rows of n_samples = {n}; both need at least 2"
            )
        mi, se = np.zeros(p), np.zeros(p)
        active = np.flatnonzero(~_constant_columns(X))
        if active.size == 0 or bool(np.all(y == y[:1])):
            return PerFeatureMI(mi, se, n_valid)  # MI with a constant is exactly 0 (F1)
        seeds = _root_seeds(self.random_state)
        split = ShuffleSplit(n_splits=1, test_size=n_valid, random_state=seeds["split"])
        train_idx, valid_idx = next(split.split(X))
        kind = "quantile" if self.scaling == "auto" else self.scaling
        xt = make_column_scaler(kind, train_idx.size).fit(X[train_idx][:, active])
        xt = xt.transform(X[:, active])
        if self.discrete_target:
            enc = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(y[train_idx])
        else:
            enc = make_column_scaler(kind, train_idx.size).fit(y[train_idx])
        yt = np.asarray(enc.transform(y), dtype=np.float32)
        xt = xt.astype(np.float32)
        params = {k: getattr(self, k) for k in _SCORER_DEFAULTS}
        sizes = np.atleast_1d(self.hidden_layer_sizes)
        params["hidden_layer_sizes"] = tuple(int(h) for h in sizes)
        params["device"] = _resolve_device(self.device)
        n_blocks = math.ceil(active.size / self.features_per_model)
        blocks = [b for b in np.array_split(np.arange(active.size), n_blocks) if b.size]
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_block)(
                xt[:, block],
                yt,
                train_idx,
                valid_idx,
                params,
                derived_seed(seeds["init"], b),
                seeds["shuffle"],
            )
            for b, block in enumerate(blocks)
        )
        for block, (m, s) in zip(blocks, results, strict=True):
            mi[active[block]], se[active[block]] = m, s
        return PerFeatureMI(mi, se, len(valid_idx))

    def __call__(self, X, y) -> np.ndarray:
        """Per-feature MI estimates (nats): the ``score_func`` interface."""
        return self.estimate(X, y).mi

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Estimate every feature's MI with y and store it in ``scores_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target.

        Returns
        -------
        self : object
            With ``scores_`` and ``scores_se_`` (nats).
        """
        X, y = self._prepare(X, y)
        result = self._estimate(X, y)
        self.scores_, self.scores_se_ = result.mi, result.se
        return self


NeuralMutualInfo.__doc__ = NeuralMutualInfo.__doc__.replace("{params}", _SCORER_PARAMS)


def _function_doc(kind: str, target: str, example: str) -> str:
    return f"""Per-feature neural mutual information ``I(x_j; y)`` for a {kind} target (nats).

    Trains one small separable critic per feature, all p together in one
    grouped model (one optimiser, one data pass), and returns each critic's
    plug-in estimate on held-out rows. Deterministic under ``random_state``;
    usable as ``SelectKBest(score_func=...)`` (fix the other parameters with
    :func:`functools.partial`, or use :class:`NeuralMutualInfo` to tune them).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Features, each treated as a continuous variable.
    y : array-like of shape (n_samples,)
        {target}
{_SCORER_PARAMS}
    return_se : bool, default=False
        Also return the standard errors.

    Returns
    -------
    mi : ndarray of shape (n_features,)
        Estimated MI of each feature with y (nats); exactly 0 for a constant
        feature or a constant y. Not clipped at 0.
    se : ndarray of shape (n_features,)
        Standard errors (nats), only if ``return_se``.

    See Also
    --------
    NeuralMutualInfo : the callable-object form (tunable with GridSearchCV).
    MutualInfoSelector : forward selection on the joint MI (sees interactions).
    sklearn.feature_selection.mutual_info_{kind.split()[0]} : kNN estimate.

    References
    ----------
    .. [1] "Contrastive Predictive Coding Done Right for Mutual Information
       Estimation", arXiv:2510.25983 (2025).

    Examples
    --------
{example}
    """


_FUNC_CONSTRAINTS = {
    "X": ["array-like"],
    "y": ["array-like"],
    **_SCORER_CONSTRAINTS,
    "return_se": ["boolean"],
}


def _per_feature(discrete: bool, X, y, return_se: bool, **params):
    result = NeuralMutualInfo(discrete_target=discrete, **params).estimate(X, y)
    return (result.mi, result.se) if return_se else result.mi


@validate_params(_FUNC_CONSTRAINTS, prefer_skip_nested_validation=True)
def neural_mutual_info_regression(
    X,
    y,
    *,
    objective="anchor",
    nu="auto",
    hidden_layer_sizes=(16, 16),
    embed_dim=8,
    activation="relu",
    batch_size=128,
    max_epochs=50,
    learning_rate_init=3e-3,
    weight_decay=0.0,
    early_stopping=True,
    validation_fraction=0.2,
    n_iter_no_change=5,
    tol=0.0,
    scaling="auto",
    contrast_size=16,
    shared_y_trunk=False,
    features_per_model=64,
    n_jobs=None,
    device="auto",
    random_state=None,
    return_se=False,
):
    params = {k: v for k, v in locals().items() if k in _SCORER_DEFAULTS}
    return _per_feature(False, X, y, return_se, **params)


@validate_params(_FUNC_CONSTRAINTS, prefer_skip_nested_validation=True)
def neural_mutual_info_classif(
    X,
    y,
    *,
    objective="anchor",
    nu="auto",
    hidden_layer_sizes=(16, 16),
    embed_dim=8,
    activation="relu",
    batch_size=128,
    max_epochs=50,
    learning_rate_init=3e-3,
    weight_decay=0.0,
    early_stopping=True,
    validation_fraction=0.2,
    n_iter_no_change=5,
    tol=0.0,
    scaling="auto",
    contrast_size=16,
    shared_y_trunk=False,
    features_per_model=64,
    n_jobs=None,
    device="auto",
    random_state=None,
    return_se=False,
):
    params = {k: v for k, v in locals().items() if k in _SCORER_DEFAULTS}
    return _per_feature(True, X, y, return_se, **params)


neural_mutual_info_regression.__doc__ = _function_doc(
    "regression",
    "Continuous target (scaled like the features, ``scaling``).",
    """    >>> import numpy as np
    >>> from sklearn_mi.feature_selection import neural_mutual_info_regression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((2000, 3))
    >>> y = X[:, 0] + 0.5 * rng.standard_normal(2000)
    >>> mi = neural_mutual_info_regression(X, y, max_epochs=20, random_state=0)
    >>> int(np.argmax(mi)), bool(abs(mi[0] - 0.5 * np.log(5)) < 0.15)
    (0, True)""",
)
neural_mutual_info_classif.__doc__ = _function_doc(
    "classification",
    "Class labels (one-hot encoded; any hashable labels).",
    """    >>> from sklearn.datasets import load_iris
    >>> from sklearn_mi.feature_selection import neural_mutual_info_classif
    >>> X, y = load_iris(return_X_y=True)
    >>> mi = neural_mutual_info_classif(X, y, max_epochs=30, random_state=0)
    >>> bool(mi[2] > mi[1] and mi[3] > mi[1])  # petal dimensions beat sepal width
    True""",
)


# ============================================================================ selector
def _default_selector_estimator():
    from .estimators import InfoNCEAnchorMI

    # nu = K, the conservative end: for selection an over-read on a noise
    # candidate costs more than an under-read. With these small, fast fits
    # (1200 training rows, lr 3e-3) nu="auto" = sqrt(K) read I(x1; y) = 0.73
    # nats as 0.91 / 1.01 / 0.57 over 3 seeds and let noise candidates outscore
    # an interacting feature; nu = K read 0.73 / 0.67 / 0.55.
    return InfoNCEAnchorMI(
        nu=63.0,
        hidden_layer_sizes=(32, 32),
        embed_dim=8,
        batch_size=64,
        max_epochs=50,
        learning_rate_init=3e-3,
        n_iter_no_change=5,
        device="cpu",
    )


def _score_subset(estimator, X_train, y_train, X_test, y_test, seed):
    """Fit a clone on the training rows; held-out estimate, SE and pointwise values."""
    est = clone(estimator)
    if "random_state" in est.get_params():
        est.set_params(random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per-candidate diagnostics are not actionable here
        est.fit(X_train, y_train)
        result = est.estimate(X_test, y_test)
    return float(result.mi), float(result.se)


def _permute_column(X: np.ndarray, selected: list[int], j: int, seed: int) -> np.ndarray:
    """``X[:, selected + [j]]`` with the rows of column j shuffled (its link to y cut)."""
    out = X[:, selected + [j]].copy()
    out[:, -1] = np.random.default_rng(seed).permutation(out[:, -1])
    return out


def _standardized_columns(X: np.ndarray) -> np.ndarray:
    centred = X - X.mean(axis=0)
    scale = np.sqrt((centred**2).mean(axis=0))
    scale[scale == 0] = 1.0
    return centred / scale


class MutualInfoSelector(SelectorMixin, BaseEstimator):
    """Greedy forward selection maximising the joint MI ``I(X_S; y)`` (nats).

    Step by step, every remaining candidate j is scored by a held-out
    estimate of ``I(X_{S ∪ j}; y)`` from a fresh clone of ``estimator``, and
    the best is added. Because the score is the *joint* MI of the set, a
    feature that is informative only together with a chosen one (an
    interaction) gains, and a copy of a chosen feature gains nothing.

    Parameters
    ----------
    estimator : estimator with ``fit`` and ``estimate``, default=None
        Joint-MI estimator cloned for every candidate set (``random_state`` is
        set per candidate). ``None``: a small, fast
        :class:`~sklearn_mi.InfoNCEAnchorMI` (hidden (32, 32), embedding 8,
        batch 64, learning rate 3e-3, at most 50 epochs, patience 5, and
        ``nu = 63 = K``: a strong anchor reads conservatively, which is what a
        selector wants; ``nu="auto"`` over-read noise candidates in these
        small fits).
    n_features_to_select : "auto", int or float, default="auto"
        ``int``: that many features; ``float`` in (0, 1]: that fraction of the
        features; ``"auto"``: add features while the lower end of the gain's
        confidence interval (at ``level``) is above 0 (at least one feature is
        always selected). The gain is measured by a confirmation fit against
        a permutation null (see ``gains_``): two extra fits per step.
    level : float in (0, 1), default=0.95
        Confidence level of the ``"auto"`` rule.
    test_size : float in (0, 1), default=0.25
        Fraction of rows held out once (random, never stratified) to score
        every candidate set; the estimator trains (and early-stops on its own
        internal split) on the rest.
    n_candidates : int, default=None
        If set, only the ``n_candidates`` best features of the first step
        (single-feature MI) are candidates in later steps: cheaper, but an
        interaction partner with no marginal MI may be pruned.
    discrete_y : bool or None, default=None
        If not None, passed to the estimator as its ``discrete_y`` parameter
        (``True`` for class labels).
    n_jobs : int, default=None
        Candidates fitted in parallel through joblib (any backend, including
        ``joblib.parallel_backend("dask")``). Each candidate's seed derives
        from ``random_state``, the step and the candidate's index, so results
        are identical to ``n_jobs=1``.
    random_state : int, RandomState instance or None, default=None
        Seeds the held-out split and every candidate fit.
    verbose : int, default=0
        Print each step's choice when > 0.

    Attributes
    ----------
    support_ : ndarray of bool of shape (n_features_in_,)
        Selected features.
    selected_ : ndarray of int
        Selected feature indices, in selection order.
    ranking_ : ndarray of int of shape (n_features_in_,)
        Step at which each feature was selected (1 = first); unselected
        features get ``n_features_selected + 1``.
    scores_ : ndarray of float
        Held-out joint MI ``I(X_S; y)`` after each step (nats), from the
        step's confirmation fit (a fresh seed), not from the candidate fit
        that won the step.
    scores_se_ : ndarray of float
        Their standard errors.
    gains_ : ndarray of float
        Gain of each selected feature j over a null of the same size (nats):
        ``I(X_S ∪ x_j; y) - I(X_S ∪ π(x_j); y)``, where ``π`` permutes the
        rows of ``x_j`` (so the null's truth is ``I(X_S; y)``); both terms
        are fresh fits sharing one seed. Not ``scores_`` increments: with a
        few thousand rows an independent extra column alone raised the
        plug-in by 0.1-0.2 nats, and the winner of several noisy candidate
        fits reads high.
    gains_se_ : ndarray of float
        Standard errors of the gains, ``sqrt(se(S ∪ j)^2 + se(null)^2)``.
    null_scores_ : ndarray of float
        The null's held-out estimate at every step, including the final,
        rejected step of the ``"auto"`` rule.
    candidate_scores_ : ndarray of shape (n_steps, n_features_in_)
        Joint MI of ``S ∪ j`` for every candidate j evaluated at each step
        (NaN where j was not a candidate); includes the final, rejected step
        of the ``"auto"`` rule.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of str
        Column names when X is a DataFrame.

    See Also
    --------
    NeuralMutualInfo : per-feature scores (one grouped model, no interactions).
    sklearn.feature_selection.SequentialFeatureSelector : forward selection on
        a predictive score.

    Notes
    -----
    A candidate whose standardised column equals (up to sign) that of a
    selected feature is an exact copy: ``I(X_S, copy; y) = I(X_S; y)``, so its
    gain is exactly 0; it is never fitted and never selected (field case F19;
    selection stops early if only such copies remain). Candidates that
    are copies of each other share one fit, so ties are broken by the lowest
    index. Greedy selection sees an interaction once one partner is chosen;
    when *every* partner has zero marginal MI (pure XOR), the first step has
    nothing to go on.

    References
    ----------
    .. [1] R. Battiti, "Using mutual information for selecting features in
       supervised neural net learning", IEEE Trans. Neural Networks 5(4), 1994.
    .. [2] "Contrastive Predictive Coding Done Right for Mutual Information
       Estimation", arXiv:2510.25983 (2025).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_mi.feature_selection import MutualInfoSelector
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((1000, 4))
    >>> y = X[:, 1] + 0.3 * rng.standard_normal(1000)
    >>> sel = MutualInfoSelector(n_features_to_select=1, random_state=0).fit(X, y)
    >>> sel.get_support(indices=True)
    array([1])
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "estimate"]), None],
        "n_features_to_select": [
            StrOptions({"auto"}),
            Interval(numbers.Integral, 1, None, closed="left"),
            Interval(numbers.Real, 0, 1, closed="right"),
        ],
        "level": [Interval(numbers.Real, 0, 1, closed="neither")],
        "test_size": [Interval(numbers.Real, 0, 1, closed="neither")],
        "n_candidates": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "discrete_y": ["boolean", None],
        "n_jobs": [numbers.Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        n_features_to_select="auto",
        level=0.95,
        test_size=0.25,
        n_candidates=None,
        discrete_y=None,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.n_features_to_select = n_features_to_select
        self.level = level
        self.test_size = test_size
        self.n_candidates = n_candidates
        self.discrete_y = discrete_y
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags

    def _n_to_select(self, p: int) -> int | None:
        k = self.n_features_to_select
        if k == "auto":
            return None
        if isinstance(k, numbers.Integral):
            if k > p:
                raise ValueError(f"n_features_to_select={k} exceeds the {p} features")
            return int(k)
        return max(1, int(round(k * p)))

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Select features by greedy forward maximisation of the held-out joint MI.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Candidate features (a DataFrame keeps its column names).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target.

        Returns
        -------
        self : object
            Fitted selector.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_samples=MIN_SAMPLES)
        y = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]}")
        n, p = X.shape
        k_max = self._n_to_select(p)
        estimator = _default_selector_estimator() if self.estimator is None else self.estimator
        if self.discrete_y is not None and "discrete_y" in estimator.get_params():
            estimator = clone(estimator).set_params(discrete_y=self.discrete_y)
        base_seed = int(root_rng(self.random_state).integers(np.iinfo(np.int32).max))
        split = ShuffleSplit(n_splits=1, test_size=self.test_size, random_state=base_seed)
        train, test = next(split.split(X))
        X_tr, X_te, y_tr, y_te = X[train], X[test], y[train], y[test]
        z = float(norm.ppf(0.5 + self.level / 2))
        std_cols = _standardized_columns(X)

        def same(i: int, j: int) -> bool:
            a, b = std_cols[:, i], std_cols[:, j]
            return bool(np.allclose(a, b, atol=1e-9) or np.allclose(a, -b, atol=1e-9))

        selected: list[int] = []
        scores, scores_se, gains, gains_se, candidate_rows = [], [], [], [], []
        null_scores: list[float] = []
        current_mi, current_se = 0.0, 0.0
        candidates = list(range(p))
        parallel = Parallel(n_jobs=self.n_jobs)
        step = 0
        while len(selected) < (p if k_max is None else k_max):
            step += 1
            pool = [j for j in candidates if j not in selected]
            if not pool:
                break
            # copies of a selected feature add exactly nothing; copies of each other share a fit
            copy_of_selected = {j for j in pool if any(same(j, s) for s in selected)}
            representative = {}
            for j in pool:
                if j in copy_of_selected:
                    continue
                representative[j] = next(
                    (i for i in representative if representative[i] == i and same(i, j)), j
                )
            to_fit = [j for j in pool if representative.get(j) == j]
            fits = parallel(
                delayed(_score_subset)(
                    estimator,
                    X_tr[:, selected + [j]],
                    y_tr,
                    X_te[:, selected + [j]],
                    y_te,
                    derived_seed(base_seed, step, j),
                )
                for j in to_fit
            )
            fitted = dict(zip(to_fit, fits, strict=True))
            row = np.full(p, np.nan)
            results = {}
            for j in pool:
                if j in copy_of_selected:
                    results[j] = (current_mi, current_se)
                else:
                    results[j] = fitted[representative[j]]
                row[j] = results[j][0]
            candidate_rows.append(row)
            eligible = [j for j in pool if j not in copy_of_selected]
            if not eligible:
                break  # only copies of chosen features are left: they add exactly nothing
            best = eligible[int(np.argmax([results[j][0] for j in eligible]))]  # ties: lowest
            # The gain is judged by two fresh fits with one new seed: the winner's set again
            # (the best of several noisy fits reads high: a confirmation fit does not) and a
            # null of the same size, S plus the winner's column with its rows permuted
            # (train and test separately). An extra independent column alone raises a small
            # fit's plug-in; the null carries that bias too.
            pair_seed = derived_seed(base_seed, step, best, 3)
            perm_tr, perm_te = (derived_seed(base_seed, step, best, i) for i in (1, 2))
            (mi, se), (null_mi, null_se) = parallel(
                delayed(_score_subset)(estimator, a, y_tr, b, y_te, pair_seed)
                for a, b in (
                    (X_tr[:, selected + [best]], X_te[:, selected + [best]]),
                    (
                        _permute_column(X_tr, selected, best, perm_tr),
                        _permute_column(X_te, selected, best, perm_te),
                    ),
                )
            )
            null_scores.append(null_mi)
            gain, gain_se = mi - null_mi, math.hypot(se, null_se)
            if self.verbose:
                print(
                    f"step {step}: feature {best} I(S; y) = {mi:.4f} ± {se:.4f}, "
                    f"gain {gain:.4f} ± {gain_se:.4f}"
                )
            if k_max is None and selected and gain - z * gain_se <= 0:
                break
            selected.append(best)
            scores.append(mi)
            scores_se.append(se)
            gains.append(gain)
            gains_se.append(gain_se)
            current_mi, current_se = mi, se
            if step == 1 and self.n_candidates is not None:
                order = np.argsort(-row, kind="stable")
                candidates = sorted(int(j) for j in order[: self.n_candidates])
                if best not in candidates:
                    candidates.append(best)
        self.selected_ = np.asarray(selected, dtype=int)
        self.support_ = np.zeros(p, dtype=bool)
        self.support_[self.selected_] = True
        self.ranking_ = np.full(p, len(selected) + 1, dtype=int)
        self.ranking_[self.selected_] = np.arange(1, len(selected) + 1)
        self.scores_ = np.asarray(scores)
        self.scores_se_ = np.asarray(scores_se)
        self.gains_ = np.asarray(gains)
        self.gains_se_ = np.asarray(gains_se)
        self.null_scores_ = np.asarray(null_scores)
        self.candidate_scores_ = np.vstack(candidate_rows)
        self.n_features_to_select_ = len(selected)
        return self

    def _get_support_mask(self):
        check_is_fitted(self, "support_")
        return self.support_
