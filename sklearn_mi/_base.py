"""The scikit-learn layer: validation, scaling, building the skorch net in ``fit``, reporting.

:class:`NeuralMIEstimator` never trains by hand: it prepares the two variables,
builds a :class:`~sklearn_mi._net.MINet` and lets skorch run the loop.
"""

from __future__ import annotations

import copy
import inspect
import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import torch
from scipy import sparse
from scipy.special import ndtri
from scipy.stats import norm
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import ShuffleSplit
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    QuantileTransformer,
    StandardScaler,
)
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data
from skorch.helper import predefined_split
from torch import nn

from ._net import (
    EvenBatchLoader,
    HeldOutEarlyStopping,
    HeldOutMI,
    MINet,
    ObjectiveLoss,
    PairDataset,
    WeightAveraging,
    summarize_contributions,
)
from ._utils import root_rng
from .critics import CRITICS, pair_scores
from .exceptions import (
    CappedEstimateWarning,
    HeavyTailWarning,
    NonFiniteTrainingWarning,
    OverfittingWarning,
    SmallSampleWarning,
    UnboundedMIWarning,
)
from .objectives import get_objective

__all__ = ["NeuralMIEstimator", "MIEstimate"]

#: Fewest rows ``fit`` accepts: 2 validation pairs and 2 training pairs at least.
MIN_SAMPLES = 5
#: Below this many rows a :class:`SmallSampleWarning` is raised.
SMALL_SAMPLE = 200
_EVAL_CHUNK = 4096


@dataclass(frozen=True)
class MIEstimate:
    """An MI estimate in nats with its standard error.

    Attributes
    ----------
    mi : float
        Estimate (nats).
    se : float
        Standard error of the estimate (nats).
    n_samples : int
        Number of pairs it was computed on.
    """

    mi: float
    se: float
    n_samples: int

    def confidence_interval(self, level: float = 0.95) -> tuple[float, float]:
        """Normal-approximation interval ``mi ± z * se`` at the given level."""
        if not 0 < level < 1:
            raise ValueError(f"level must be in (0, 1), got {level}")
        z = float(norm.ppf(0.5 + level / 2))
        return (self.mi - z * self.se, self.mi + z * self.se)

    @property
    def bits(self) -> float:
        """The estimate in bits."""
        return self.mi / math.log(2)


def _is_module_class(obj) -> bool:
    return inspect.isclass(obj) and issubclass(obj, nn.Module)


def _resolve_device(device: str) -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' was requested but torch finds no CUDA device")
    return device


def _check_finite(values: np.ndarray) -> None:
    if not np.all(np.isfinite(values)):
        raise FloatingPointError(
            "the critic returned non-finite scores on these pairs, so no finite MI estimate "
            "exists; check the inputs for extreme values or refit with a lower "
            "learning_rate_init"
        )


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN; pandas.NA raises TypeError
    except TypeError:
        return True


def _y_to_array(y) -> np.ndarray:
    """y as a NumPy array: numeric pandas columns (nullable too) as float64 with NaN for
    missing values, other pandas columns (categorical, string, boolean) as objects."""
    if sparse.issparse(y):
        raise TypeError("y is a sparse matrix; pass y as a dense array")
    if hasattr(y, "to_numpy") and hasattr(y, "isna"):  # pandas Series / DataFrame
        dtypes = list(y.dtypes) if hasattr(y, "columns") else [y.dtype]
        if bool(np.asarray(y.isna()).any()):
            raise ValueError("Input y contains missing values (NaN or NA)")
        if all(getattr(d, "kind", "O") in "iuf" for d in dtypes):
            return y.to_numpy(dtype=np.float64)
        if all(getattr(d, "kind", "O") == "b" for d in dtypes):
            return y.to_numpy(dtype=bool)
        return y.to_numpy(dtype=object)
    return np.asarray(y)


def _looks_deterministic(X: np.ndarray, y: np.ndarray, max_rows: int = 2000) -> bool:
    """True when y is numerically a smooth function of X (then the true MI is infinite).

    Each row's y is predicted by a local linear fit on its ``d_x + 2`` nearest
    distinct neighbours in X: for y = f(x) the error shrinks like the squared
    neighbour distance, for noisy y it stays at the noise level. We flag when the
    median squared error of every y column is below 1e-4 of its variance. Only tried
    for d_x <= 5, where nearest neighbours are close, and for continuous y (at least
    half the rows distinct): a discrete y = f(x) has finite MI, H(y).
    """
    d = X.shape[1]
    if len(np.unique(y, axis=0)) < 0.5 * len(y):
        return False
    rows = np.unique(np.column_stack([X, y]), axis=0)
    if d > 5 or len(rows) < 4 * (d + 2):
        return False
    if len(rows) > max_rows:
        rows = rows[np.random.default_rng(0).choice(len(rows), max_rows, replace=False)]
    xs = StandardScaler().fit_transform(rows[:, :d])
    ys = rows[:, d:]
    var = ys.var(axis=0)
    if np.any(var == 0):
        return False
    k = d + 2
    _, idx = NearestNeighbors(n_neighbors=k + 1).fit(xs).kneighbors(xs)
    nb = idx[:, 1:]
    design = np.concatenate([np.ones((len(xs), k, 1)), xs[nb] - xs[:, None, :]], axis=2)
    gram = design.transpose(0, 2, 1) @ design + 1e-10 * np.eye(d + 1)
    coef = np.linalg.solve(gram, design.transpose(0, 2, 1) @ ys[nb])  # (n, d+1, d_y)
    rel = np.median((ys - coef[:, 0, :]) ** 2, axis=0) / var
    return bool(np.all(rel < 1e-4))


def _label_entropy(y: np.ndarray) -> float:
    """Plug-in entropy (nats) of categorical rows: the upper bound on I(X; y)."""
    _, counts = np.unique(y.astype(str), axis=0, return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


def _normal_scores(u: np.ndarray, n_quantiles: int) -> np.ndarray:
    """Empirical-CDF values in [0, 1] to standard-normal scores.

    ``u`` is shrunk affinely to ``[0.5 / m, 1 - 0.5 / m]`` (m = ``n_quantiles``)
    before the normal quantile function, so the smallest and largest training
    values land at about +-3.3 for m = 1000 rather than at the +-5.2 clip of
    ``QuantileTransformer(output_distribution="normal")``, which would turn the
    two extreme rows of every column into outliers.
    """
    half = 0.5 / n_quantiles
    return ndtri(half + (1.0 - 2.0 * half) * np.asarray(u, dtype=np.float64))


def make_column_scaler(kind: str | None, n_rows: int):
    """An unfitted per-column scaler: ``"standard"``, ``"quantile"`` or ``None``.

    ``"quantile"`` maps each column through its empirical CDF (at most 1000
    quantiles of the ``n_rows`` training rows) to standard-normal scores
    (:func:`_normal_scores`); a monotone map per column, so continuous columns
    keep their MI. ``None`` passes the values through.
    """
    if kind == "standard":
        return StandardScaler()
    if kind == "quantile":
        n_quantiles = max(2, min(1000, n_rows))
        return make_pipeline(
            QuantileTransformer(
                output_distribution="uniform",
                n_quantiles=n_quantiles,
                subsample=100_000,
                random_state=0,
            ),
            FunctionTransformer(_normal_scores, kw_args={"n_quantiles": n_quantiles}),
        )
    if kind is None:
        return FunctionTransformer()
    raise ValueError(f"unknown scaling {kind!r}; expected 'standard', 'quantile' or None")


#: A column is heavy-tailed when a value lies this many interquartile ranges
#: from its median (a Gaussian sample of 10^6 rows reaches about 3.6).
HEAVY_TAIL_IQRS = 20.0


def _heavy_tailed_columns(a: np.ndarray) -> int:
    """Number of columns with a value beyond ``HEAVY_TAIL_IQRS`` IQRs of the median.

    Columns with a zero IQR (binary or mostly constant, e.g. sparse pixels) are
    not counted: rescaling cannot change their shape.
    """
    q1, median, q3 = np.percentile(a, [25, 50, 75], axis=0)
    iqr = q3 - q1
    spread = np.max(np.abs(a - median), axis=0)
    return int(np.sum((iqr > 0) & (spread > HEAVY_TAIL_IQRS * np.where(iqr > 0, iqr, 1.0))))


def _is_constant(a: np.ndarray) -> bool:
    return a.shape[0] > 0 and bool(np.all(a == a[:1]))


class NeuralMIEstimator(BaseEstimator):
    """Base class of the neural MI estimators (not used directly).

    Subclasses set ``_objective`` (a key of :data:`sklearn_mi.objectives.OBJECTIVES`)
    and add their own parameters. Shared parameters are documented on each
    public estimator, e.g. :class:`sklearn_mi.InfoNCEAnchorMI`.
    """

    _objective: str = ""

    _parameter_constraints: dict = {
        "critic": [StrOptions(set(CRITICS)), callable, nn.Module],
        "hidden_layer_sizes": ["array-like"],
        "embed_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "activation": [StrOptions({"relu", "tanh", "elu", "gelu", "silu"})],
        "critic_params": [dict, None],
        "batch_size": [Interval(numbers.Integral, 2, None, closed="left")],
        "max_epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate_init": [Interval(numbers.Real, 0, None, closed="neither")],
        "weight_decay": [Interval(numbers.Real, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither"), None],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "weight_averaging": [Interval(numbers.Real, 0, 1, closed="left")],
        "discrete_y": ["boolean", StrOptions({"auto"})],
        "scaling": [StrOptions({"auto", "standard", "quantile"}), None],
        "warm_start": ["boolean"],
        "device": [StrOptions({"auto", "cpu", "cuda"})],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        critic="separable",
        hidden_layer_sizes=(256, 256),
        embed_dim=32,
        activation="relu",
        critic_params=None,
        batch_size=128,
        max_epochs=100,
        learning_rate_init=1e-3,
        weight_decay=0.0,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=10,
        tol=0.0,
        weight_averaging=0.9,
        discrete_y="auto",
        scaling="auto",
        warm_start=False,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.critic = critic
        self.hidden_layer_sizes = hidden_layer_sizes
        self.embed_dim = embed_dim
        self.activation = activation
        self.critic_params = critic_params
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.learning_rate_init = learning_rate_init
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.weight_averaging = weight_averaging
        self.discrete_y = discrete_y
        self.scaling = scaling
        self.warm_start = warm_start
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ helpers
    @property
    def _objective_spec(self):
        return get_objective(self._objective)

    def _criterion_params(self) -> dict:
        """Objective parameters of this estimator (``nu``, ``clip``, ``ema_decay``)."""
        return {k: getattr(self, k) for k in ("nu", "clip", "ema_decay") if k in self.get_params()}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.target_tags.single_output = False
        tags.target_tags.multi_output = True
        return tags

    def _check_hidden_layer_sizes(self):
        sizes = np.atleast_1d(np.asarray(self.hidden_layer_sizes))
        if sizes.ndim != 1 or not np.issubdtype(sizes.dtype, np.integer) or np.any(sizes < 1):
            raise ValueError(
                "hidden_layer_sizes must be a sequence of positive integers, got "
                f"{self.hidden_layer_sizes!r}"
            )
        if self.critic == "joint" and sizes.size == 0:
            raise ValueError("the joint critic needs at least one hidden layer")
        return tuple(int(s) for s in sizes)

    def _validate_xy(self, X, y, *, reset: bool):
        """Return X, y as 2-D arrays (y possibly object for categorical data)."""
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None. "
                "y is the second variable whose mutual information with X is estimated."
            )
        X = validate_data(self, X, reset=reset, dtype=[np.float64, np.float32], copy=False)
        y_arr = _y_to_array(y)
        if y_arr.ndim == 0 or y_arr.ndim > 2:
            raise ValueError(f"y must be 1-D or 2-D, got an array of shape {y_arr.shape}")
        if y_arr.shape[0] != X.shape[0]:
            raise ValueError(
                f"X and y have different numbers of rows: X has {X.shape[0]}, y has "
                f"{y_arr.shape[0]}"
            )
        if reset:
            categorical = self.discrete_y is True or (
                self.discrete_y == "auto" and y_arr.dtype.kind in "OUSb"
            )
            self._y_categorical = categorical
        if self._y_categorical:
            y_arr = check_array(
                y_arr, ensure_2d=False, dtype=None, input_name="y", ensure_all_finite=True
            )
            if y_arr.dtype.kind == "O" and any(_is_missing(v) for v in y_arr.ravel()):
                raise ValueError("Input y contains missing values (None or NaN)")
            y2 = y_arr.reshape(len(y_arr), -1)
            if reset and len(y2) > 1:
                _, counts = np.unique(y2.astype(str), axis=0, return_counts=True)
                if counts.max() < 2:
                    raise ValueError(
                        f"categorical y has one row per class ({len(counts)} classes in "
                        f"{len(y2)} rows): there is nothing to estimate MI from; pass numeric "
                        "y with discrete_y=False to treat it as continuous"
                    )
        else:
            if y_arr.dtype.kind in "OUS":
                raise TypeError(
                    "y has non-numeric values; pass discrete_y=True (or leave 'auto') to "
                    "treat y as categorical"
                )
            y_arr = check_array(
                y_arr, ensure_2d=False, dtype=[np.float64, np.float32], input_name="y"
            )
            y2 = y_arr.reshape(len(y_arr), -1)
            if not reset and y2.shape[1] != self.n_y_features_:
                raise ValueError(
                    f"y has {y2.shape[1]} columns, but {type(self).__name__} was fitted "
                    f"with {self.n_y_features_}"
                )
        return X, y2

    def _resolved_scaling(self, streaming: bool):
        """``scaling="auto"``: a quantile map for ``fit``, running standardisation for streams."""
        if self.scaling == "auto":
            return "standard" if streaming else "quantile"
        return self.scaling

    def _make_scaler(self, n_rows: int):
        """A fresh column scaler for ``self.scaling_`` (fitted on ``n_rows`` rows)."""
        return make_column_scaler(self.scaling_, n_rows)

    def _fit_transformers(self, X, y):
        self.x_scaler_ = self._make_scaler(X.shape[0]).fit(X)
        if self._y_categorical:
            self.y_encoder_ = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(y)
        else:
            self.y_encoder_ = self._make_scaler(y.shape[0]).fit(y)
        self.n_y_features_ = y.shape[1]

    def _update_transformers(self, X, y):
        """``partial_fit``: standard scalers follow the running mean and variance."""
        if self.scaling_ == "standard":
            self.x_scaler_.partial_fit(X)
            if not self._y_categorical:
                self.y_encoder_.partial_fit(y)

    def _transform(self, X, y):
        xt = self.x_scaler_.transform(X).astype(np.float32)
        yt = np.asarray(self.y_encoder_.transform(y), dtype=np.float32)
        return xt, yt

    def _seeds(self):
        rng = root_rng(self.random_state)
        split, init, shuffle, evaluation = rng.integers(0, 2**31 - 1, size=4)
        return {
            "split": int(split),
            "init": int(init),
            "shuffle": int(shuffle),
            "eval": int(evaluation),
        }

    def _build_module(self, x_dim, y_dim):
        params = dict(self.critic_params or {})
        if isinstance(self.critic, nn.Module):
            return copy.deepcopy(self.critic)
        if isinstance(self.critic, str):
            cls = CRITICS[self.critic]
            params = {
                "hidden_layer_sizes": self._check_hidden_layer_sizes(),
                "embed_dim": self.embed_dim,
                "activation": self.activation,
                **params,
            }
        elif _is_module_class(self.critic):
            cls = self.critic
        else:
            raise TypeError(
                "critic must be 'separable', 'joint', 'bilinear', a torch.nn.Module subclass "
                f"or instance; got {self.critic!r}"
            )
        try:
            return cls(x_dim, y_dim, **params)
        except TypeError as err:
            raise TypeError(
                f"could not build the critic {getattr(cls, '__name__', cls)} with "
                f"critic_params={self.critic_params!r}: {err}"
            ) from err

    def _make_net(self, module, batch_size, seeds, valid_ds):
        callbacks = [
            ("weight_averaging", WeightAveraging(float(self.weight_averaging))),
            ("held_out_mi", HeldOutMI(self._objective_spec.plug_in)),
        ]
        if valid_ds is not None:
            patience = self.n_iter_no_change if self.early_stopping else self.max_epochs + 1
            callbacks.append(
                (
                    "early_stopping",
                    HeldOutEarlyStopping(
                        monitor="valid_loss",
                        patience=patience,
                        threshold=self.tol,
                        threshold_mode="abs",
                        lower_is_better=True,
                        load_best=True,
                    ),
                )
            )
        return MINet(
            module=module,
            criterion=ObjectiveLoss,
            criterion__objective=self._objective,
            **{f"criterion__{k}": v for k, v in self._criterion_params().items()},
            optimizer=torch.optim.Adam,
            optimizer__weight_decay=self.weight_decay,
            lr=self.learning_rate_init,
            max_epochs=self.max_epochs,
            batch_size=batch_size,
            train_split=predefined_split(valid_ds) if valid_ds is not None else None,
            callbacks=callbacks,
            dataset=PairDataset,
            device=self._device_,
            shuffle_seed=seeds["shuffle"],
            verbose=int(self.verbose),
        )

    # ---------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train the critic on the pairs ``(X[i], y[i])`` and estimate I(X; y).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            First variable (continuous; int/bool columns are treated as numbers).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Second variable. Data, not a label: never used to stratify. Numeric
            y is scaled like X (``scaling``); string, boolean or categorical y (or
            ``discrete_y=True``) is one-hot encoded.

        Returns
        -------
        self : object
            Fitted estimator; ``mutual_info_`` holds the held-out estimate (nats).
        """
        X, y = self._validate_xy(X, y, reset=True)
        n = X.shape[0]
        if n < MIN_SAMPLES:
            raise ValueError(
                f"{type(self).__name__} needs at least {MIN_SAMPLES} samples (2 held-out and "
                f"2 training pairs at least); got n_samples = {n}"
            )
        if n < SMALL_SAMPLE:
            warnings.warn(
                f"only {n} samples: neural MI estimates from fewer than {SMALL_SAMPLE} rows are "
                "unreliable; read mutual_info_se_",
                SmallSampleWarning,
                stacklevel=2,
            )
        self._check_hidden_layer_sizes()
        seeds = self._seed_map = self._seeds()
        self._eval_seed = seeds["eval"]
        self._device_ = _resolve_device(self.device)

        if self.validation_fraction is None:
            if self.early_stopping:
                raise ValueError("early_stopping=True needs a validation_fraction in (0, 1)")
            train_idx, valid_idx = np.arange(n), None
        else:
            n_valid = math.ceil(n * self.validation_fraction)
            if n_valid < 2 or n - n_valid < 2:
                raise ValueError(
                    f"validation_fraction={self.validation_fraction} leaves {n - n_valid} "
                    f"training and {n_valid} validation pairs out of n_samples = {n}; both "
                    "need at least 2"
                )
            splitter = ShuffleSplit(n_splits=1, test_size=n_valid, random_state=seeds["split"])
            train_idx, valid_idx = next(splitter.split(X))

        self.degenerate_ = _is_constant(X) or _is_constant(y)
        self.y_entropy_ = _label_entropy(y) if self._y_categorical else math.inf
        self.deterministic_ = (
            not self.degenerate_
            and not self._y_categorical
            and (_looks_deterministic(X, y) or _looks_deterministic(y, X))
        )
        if self.degenerate_:
            # MI with a constant is exactly zero; nothing to learn.
            self.scaling_ = self._resolved_scaling(streaming=False)
            self._fit_transformers(X, y)
            self.mutual_info_, self.mutual_info_se_ = 0.0, 0.0
            self.n_iter_, self.history_, self.net_ = 0, [], None
            self.best_epoch_ = 0
            return self

        if not (self.warm_start and hasattr(self, "net_") and self.net_ is not None):
            self.scaling_ = self._resolved_scaling(streaming=False)
            self._fit_transformers(X[train_idx], y[train_idx])
            self.net_ = None
        if self.scaling_ == "standard":
            heavy = _heavy_tailed_columns(X[train_idx])
            if not self._y_categorical:
                heavy += _heavy_tailed_columns(y[train_idx])
            if heavy:
                warnings.warn(
                    f"{heavy} column(s) of X and y are heavy-tailed (a value more than "
                    f"{HEAVY_TAIL_IQRS:g} interquartile ranges from the median): after standard "
                    "scaling the critic sees a few extreme inputs and tends to read low; "
                    "scaling='quantile' keeps the MI and removes the tails",
                    HeavyTailWarning,
                    stacklevel=2,
                )
        xt, yt = self._transform(X, y)
        train_ds = PairDataset({"x": xt[train_idx], "y": yt[train_idx]})
        valid_ds = None
        if valid_idx is not None:
            valid_ds = PairDataset({"x": xt[valid_idx], "y": yt[valid_idx]})

        batch_size = int(self.batch_size)
        if batch_size > len(train_ds):
            warnings.warn(
                f"batch_size={batch_size} is larger than the {len(train_ds)} training pairs; "
                f"using batch_size={len(train_ds)}",
                UserWarning,
                stacklevel=2,
            )
            batch_size = len(train_ds)
        self._train(train_ds, valid_ds, batch_size, seeds, epochs=None)
        eval_ds = valid_ds if valid_ds is not None else train_ds
        estimate = self._estimate_transformed(eval_ds)
        self.mutual_info_, self.mutual_info_se_ = estimate.mi, estimate.se
        self._diagnose(estimate, n_valid=len(eval_ds))
        return self

    def _train(self, train_ds, valid_ds, batch_size, seeds, epochs):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seeds["init"])
            if self.net_ is None:
                module = self._build_module(train_ds.x.shape[1], train_ds.y.shape[1])
                self.net_ = self._make_net(module, batch_size, seeds, valid_ds)
                self.net_.initialize()
                self._check_critic_output(train_ds)
            else:
                self.net_.set_params(
                    train_split=predefined_split(valid_ds) if valid_ds is not None else None
                )
            start = len(self.net_.history)
            if epochs is None:
                self.net_.partial_fit(train_ds, None)
            else:
                self.net_.partial_fit(train_ds, None, epochs=epochs)
        if self.net_.nonfinite_:
            stopper = dict(self.net_.callbacks_).get("early_stopping")
            if getattr(stopper, "best_model_weights_", None) is None:
                # no finished epoch to fall back on: undo this call's training
                self.net_.module_.load_state_dict(self.net_.start_weights_)
        self.net_.start_weights_ = None  # not worth pickling
        self.history_ = self.net_.history
        self.n_iter_ = len(self.net_.history)
        ran = self._ran_epochs = len(self.net_.history) - start
        if self.net_.nonfinite_:
            warnings.warn(
                f"training stopped after {ran} epoch(s): the {self.net_.nonfinite_}. The best "
                "finite weights were restored (the initial ones if no epoch finished). Lower "
                "learning_rate_init or check the inputs.",
                NonFiniteTrainingWarning,
                stacklevel=3,
            )
        params = [p for p in self.net_.module_.parameters()]
        if params and not all(bool(torch.isfinite(p).all()) for p in params):
            raise RuntimeError(
                "the critic's weights are not finite after training; lower learning_rate_init"
            )
        self.best_epoch_ = self._best_epoch()

    def _check_critic_output(self, dataset):
        """Fail before training if the critic breaks the (B, B) contract."""
        device = self.net_.device
        try:
            with torch.no_grad():
                out = self.net_.module_(dataset.x[:2].to(device), dataset.y[:2].to(device))
        except Exception as err:
            raise ValueError(
                f"the critic failed on a batch of 2 pairs (x: {dataset.x.shape[1]} columns, "
                f"y: {dataset.y.shape[1]} columns): {err}"
            ) from err
        if not isinstance(out, torch.Tensor) or tuple(out.shape) != (2, 2):
            shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
            raise ValueError(
                "the critic's forward(x, y) must return a (B, B) score matrix; for B = 2 it "
                f"returned {shape}"
            )

    def _best_epoch(self):
        history = self.net_.history
        if "valid_loss" not in history[-1]:
            return len(history)
        losses = [h.get("valid_loss", math.inf) for h in history]
        return int(np.nanargmin(losses)) + 1

    def _diagnose(self, estimate, n_valid):
        spec = self._objective_spec
        cap = math.log(self.net_.batch_size)
        margin = max(0.1, 0.05 * cap)
        if spec.cap_at_log_batch and estimate.mi > cap - margin:
            warnings.warn(
                f"the InfoNCE estimate {estimate.mi:.3f} nats is within {margin:.2f} of its "
                f"ceiling ln(batch_size) = {cap:.3f}: the true MI may be much larger. Use "
                "InfoNCEAnchorMI, or a larger batch_size.",
                CappedEstimateWarning,
                stacklevel=3,
            )
        elif self._y_categorical and estimate.mi > self.y_entropy_ + 2 * estimate.se:
            warnings.warn(
                f"the estimate {estimate.mi:.3f} ± {estimate.se:.3f} nats exceeds H(y) = "
                f"{self.y_entropy_:.3f} nats, the largest MI a categorical y with these class "
                "frequencies allows: the critic is overconfident (train longer, i.e. a larger "
                "max_epochs, or use more data)",
                UnboundedMIWarning,
                stacklevel=3,
            )
        elif self.deterministic_:
            warnings.warn(
                "y looks like a deterministic function of X (or X of y): the true MI is "
                f"infinite, and the finite estimate {estimate.mi:.3f} nats only reflects the "
                "sample size and the critic",
                UnboundedMIWarning,
                stacklevel=3,
            )
        elif estimate.mi - 2 * estimate.se > math.log(max(n_valid, 2)) + 1.0:
            # A plug-in is a point estimate, not a bound: near ln(n) it may exceed it (a true
            # 8 nats read 8.40 on 4000 validation rows, ln n = 8.29), so only a clear excess
            # is flagged.
            warnings.warn(
                f"the estimate {estimate.mi:.3f} ± {estimate.se:.3f} nats is more than 1 nat "
                f"above ln(n) = {math.log(n_valid):.3f} for the {n_valid} held-out pairs, more "
                "than that many pairs can confirm: the data may be deterministic (infinite "
                "MI) or the critic overconfident",
                UnboundedMIWarning,
                stacklevel=3,
            )
        history = self.net_.history
        if self.validation_fraction is None:
            return
        if self._ran_epochs >= self.max_epochs and self.best_epoch_ == len(history):
            warnings.warn(
                f"training stopped at max_epochs={self.max_epochs} while the held-out loss was "
                "still improving (the last epoch was the best); increase max_epochs",
                ConvergenceWarning,
                stacklevel=3,
            )
        last = history[-1]
        train_mi, valid_mi = last.get("train_mi"), last.get("valid_mi")
        if (
            train_mi is not None
            and valid_mi is not None
            and train_mi - valid_mi > max(1.0, 0.5 * abs(train_mi))
        ):
            warnings.warn(
                f"at the last epoch ({len(history)}) the MI on training batches "
                f"({train_mi:.3f} nats) is far above that epoch's held-out MI ({valid_mi:.3f}): "
                f"the critic overfits. The reported estimate ({estimate.mi:.3f}) uses the "
                f"weights of the best epoch, {self.best_epoch_}; more data, a smaller critic "
                "or weight_decay may help",
                OverfittingWarning,
                stacklevel=3,
            )

    # ---------------------------------------------------------------- partial_fit
    def partial_fit(self, X, y):
        """Continue training for one pass over ``(X, y)`` (one epoch, no validation).

        The paper's protocol draws a fresh batch every step: call ``partial_fit``
        with ``batch_size`` new pairs each time. The first call fits the scalers
        on its data and builds the critic. With ``scaling="auto"`` (a stream
        started by ``partial_fit``) or ``"standard"``, later calls update the
        scalers' running mean and variance with their rows, so the first batch
        does not fix the scale for good; a ``"quantile"`` map is fitted on the
        first call only, so give that call a larger sample (1000+ rows).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            First variable.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Second variable.

        Returns
        -------
        self : object
            The estimator, trained further. ``mutual_info_`` is not updated
            (there is no held-out split): call :meth:`score` on fresh data.
        """
        first = not (hasattr(self, "net_") and self.net_ is not None)
        if first:
            self._validate_params()
        X, y = self._validate_xy(X, y, reset=first)
        if X.shape[0] < 2:
            raise ValueError(f"partial_fit needs at least 2 pairs; got n_samples = {X.shape[0]}")
        if first:
            self._seed_map = self._seeds()
            self._eval_seed = self._seed_map["eval"]
            self._device_ = _resolve_device(self.device)
            self.scaling_ = self._resolved_scaling(streaming=True)
            self._fit_transformers(X, y)
            self.degenerate_ = False
            self.y_entropy_ = _label_entropy(y) if self._y_categorical else math.inf
            self.net_ = None
        else:
            self._update_transformers(X, y)
        xt, yt = self._transform(X, y)
        train_ds = PairDataset({"x": xt, "y": yt})
        batch_size = min(int(self.batch_size), len(train_ds))
        self._train(train_ds, None, batch_size, self._seed_map, epochs=1)
        if not hasattr(self, "mutual_info_"):
            self.mutual_info_, self.mutual_info_se_ = math.nan, math.nan
        return self

    # ------------------------------------------------------------------ scoring
    def _pair_values(self, x, y) -> np.ndarray:
        """Critic on the joint pairs, ``c(x_i, y_i)``, chunked (O(chunk) memory)."""
        net = self.net_
        parts = [
            pair_scores(
                net.module_,
                x[i : i + _EVAL_CHUNK].to(net.device),
                y[i : i + _EVAL_CHUNK].to(net.device),
            )
            .double()
            .cpu()
            for i in range(0, len(x), _EVAL_CHUNK)
        ]
        return torch.cat(parts).numpy()

    def _estimate_transformed(self, dataset) -> MIEstimate:
        net = self.net_
        spec = self._objective_spec
        net.module_.eval()
        device = net.device
        with torch.no_grad():
            if spec.plug_in:
                values = self._pair_values(dataset.x, dataset.y)
                n = len(values)
                _check_finite(values)
                se = float(values.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
                return MIEstimate(float(values.mean()), se, n)
            # Bounds need in-batch negatives: batches of the training size over a
            # fixed, seeded permutation (the user's row order may not be random).
            loader = EvenBatchLoader(
                dataset,
                batch_size=net.batch_size,
                shuffle=True,
                rng=np.random.default_rng(self._eval_seed),
            )
            sums, sizes, sumsq = [], [], []
            for batch, _ in loader:
                scores = net.module_(batch["x"].to(device), batch["y"].to(device))
                values = net.criterion_.pointwise(scores).double().cpu()
                sums.append(values.sum().item())
                sumsq.append(values.square().sum().item())
                sizes.append(len(values))
        _check_finite(np.array(sums))
        mean, se = summarize_contributions(sums, sumsq, sizes, plug_in=False)
        return MIEstimate(mean, se, int(sum(sizes)))

    def _prepare_eval(self, X, y):
        check_is_fitted(self, "mutual_info_")
        X, y = self._validate_xy(X, y, reset=False)
        if X.shape[0] < 2:
            raise ValueError(f"scoring needs at least 2 pairs; got n_samples = {X.shape[0]}")
        return X, y

    def estimate(self, X, y) -> MIEstimate:
        """Estimate I(X; y) on the given pairs, with its standard error.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            First variable, held-out pairs.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Second variable.

        Returns
        -------
        MIEstimate
            ``mi`` and ``se`` in nats; ``confidence_interval(level)`` gives a
            normal-approximation interval.
        """
        X, y = self._prepare_eval(X, y)
        if self.degenerate_ or _is_constant(X) or _is_constant(y):
            return MIEstimate(0.0, 0.0, X.shape[0])
        xt, yt = self._transform(X, y)
        return self._estimate_transformed(PairDataset({"x": xt, "y": yt}))

    def score(self, X, y):
        """Held-out MI estimate in nats (higher is more dependence).

        ``cross_val_score`` and ``GridSearchCV`` use it when no ``scoring`` is
        given. For the lower-bound estimators a higher value is a tighter bound;
        for the plug-in estimators prefer
        :func:`sklearn_mi.scoring.density_ratio_scorer` to select hyperparameters.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            First variable.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Second variable.

        Returns
        -------
        float
            The MI estimate in nats (never clipped).
        """
        return self.estimate(X, y).mi

    def _is_plug_in(self):
        return self._objective_spec.plug_in

    @available_if(_is_plug_in)
    def pointwise_mi(self, X, y):
        """Pointwise MI: the critic's log density ratio ``log r(x_n, y_n)`` per pair (nats).

        Available for the plug-in estimators (InfoNCE-anchor, JS), whose critic
        is a consistent log density ratio; its mean is :meth:`score`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            First variable.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Second variable.

        Returns
        -------
        ndarray of shape (n_samples,)
            ``log p(x_n, y_n) / (p(x_n) p(y_n))`` as estimated by the critic.
        """
        X, y = self._prepare_eval(X, y)
        if self.degenerate_:
            return np.zeros(X.shape[0])
        xt, yt = self._transform(X, y)
        self.net_.module_.eval()
        with torch.no_grad():
            return self._pair_values(torch.from_numpy(xt), torch.from_numpy(yt))
