"""The bad-input battery: every case gets a clear error before training, or a defined result.

Each case also checks that the caller's arrays are byte-identical afterwards and that
no error's traceback ends inside torch or skorch.
"""

import copy
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import sparse
from sklearn.exceptions import NotFittedError

from sklearn_mi import DVMI, JSMI, MINEMI, NWJMI, SMILEMI, InfoNCEAnchorMI, InfoNCEMI
from sklearn_mi.exceptions import SmallSampleWarning, UnboundedMIWarning

ALL = [InfoNCEAnchorMI, InfoNCEMI, NWJMI, DVMI, MINEMI, JSMI, SMILEMI]
TINY = dict(hidden_layer_sizes=(16,), embed_dim=8, max_epochs=3, batch_size=32, random_state=0)

RNG = np.random.default_rng(0)
N = 200
X0 = RNG.standard_normal((N, 3))
Y0 = X0[:, :1] + 0.5 * RNG.standard_normal((N, 1))


def _with(a, index, value):
    a = np.array(a, dtype=np.result_type(a, type(value)))
    a[index] = value
    return a


def _snapshot(obj):
    if isinstance(obj, np.ndarray):
        return ("np", obj.dtype.str, obj.shape, obj.tobytes() if obj.dtype != object else
                copy.deepcopy(obj.tolist()))
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return ("pd", obj.copy(deep=True))
    if sparse.issparse(obj):
        return ("sp", obj.copy())
    return ("other", copy.deepcopy(obj))


def _unchanged(obj, snap):
    kind = snap[0]
    if kind == "np":
        now = _snapshot(obj)
        return now == snap
    if kind == "pd":
        return obj.equals(snap[1]) and all(obj.dtypes == snap[1].dtypes) if hasattr(
            obj, "columns") else (obj.equals(snap[1]) and obj.dtype == snap[1].dtype)
    if kind == "sp":
        return (obj != snap[1]).nnz == 0
    return obj == snap[1]


# (id, X, y, error type, message pattern) — raised before any training
ERROR_CASES = [
    ("nan-in-X", _with(X0, (3, 1), np.nan), Y0, ValueError, "NaN"),
    ("nan-in-y", X0, _with(Y0, (5, 0), np.nan), ValueError, "NaN"),
    ("inf-in-X", _with(X0, (0, 0), np.inf), Y0, ValueError, "infinity"),
    ("neg-inf-in-y", X0, _with(Y0, (1, 0), -np.inf), ValueError, "infinity"),
    ("empty", np.empty((0, 3)), np.empty((0, 1)), ValueError, "0 sample"),
    ("one-row", X0[:1], Y0[:1], ValueError, "n_samples = 1"),
    ("two-rows", X0[:2], Y0[:2], ValueError, "at least 5 samples"),
    ("length-mismatch", X0, Y0[:-3], ValueError, "different numbers of rows"),
    ("X-3d", X0.reshape(N, 3, 1), Y0, ValueError, "dim 3"),
    ("y-3d", X0, Y0.reshape(N, 1, 1), ValueError, "1-D or 2-D"),
    ("X-1d", X0[:, 0], Y0, ValueError, "2D array"),
    ("strings-in-X", np.array([["a", "b", "c"]] * N), Y0, ValueError, "could not convert"),
    ("mixed-object-X", np.array([[1.0, "x", 2]] * N, dtype=object), Y0, ValueError,
     "could not convert"),
    ("complex-X", X0 + 1j, Y0, ValueError, "[Cc]omplex"),
    ("complex-y", X0, Y0 + 1j, ValueError, "[Cc]omplex"),
    ("sparse-X", sparse.csr_matrix(X0), Y0, TypeError, "[Ss]parse"),
    ("sparse-y", X0, sparse.csr_matrix(Y0), TypeError, "sparse"),
    ("pandas-categorical-X", pd.DataFrame({"a": pd.Categorical(["u", "v"] * (N // 2)),
                                           "b": X0[:, 1]}), Y0, ValueError, "convert"),
    ("pandas-nullable-X-with-NA", pd.DataFrame({"a": pd.array([1, None] + [3] * (N - 2),
                                                              dtype="Int64")}), Y0,
     ValueError, "NaN"),
    ("pandas-nullable-y-with-NA", X0, pd.Series(pd.array([1.0, None] + [2.0] * (N - 2),
                                                         dtype="Float64")),
     ValueError, "missing"),
    ("object-y-with-None", X0, np.array(["a", None] * (N // 2), dtype=object), ValueError,
     "missing"),
    ("y-none", X0, None, ValueError, "requires y"),
]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
@pytest.mark.parametrize("case", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_bad_input_raises_clear_error_before_training(cls, case):
    _, X, y, exc, pattern = case
    snaps = _snapshot(X), _snapshot(y)
    est = cls(**TINY)
    with pytest.raises(exc, match=pattern) as info:
        est.fit(X, y)
    last = str(info.traceback[-1].path)
    assert "torch" not in last and "skorch" not in last, last
    assert not hasattr(est, "net_")  # nothing was trained
    assert _unchanged(X, snaps[0]) and _unchanged(y, snaps[1])


# invalid parameter values (every estimator rejects them at fit, naming the parameter)
PARAM_CASES = [
    ({"critic": "resnet"}, "critic"),
    ({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes"),
    ({"hidden_layer_sizes": (16, -2)}, "hidden_layer_sizes"),
    ({"hidden_layer_sizes": (2.5,)}, "hidden_layer_sizes"),
    ({"embed_dim": 0}, "embed_dim"),
    ({"activation": "swish"}, "activation"),
    ({"batch_size": 1}, "batch_size"),
    ({"max_epochs": 0}, "max_epochs"),
    ({"learning_rate_init": 0.0}, "learning_rate_init"),
    ({"learning_rate_init": -1e-3}, "learning_rate_init"),
    ({"weight_decay": -1.0}, "weight_decay"),
    ({"validation_fraction": 0.0}, "validation_fraction"),
    ({"validation_fraction": 1.0}, "validation_fraction"),
    ({"validation_fraction": 1.5}, "validation_fraction"),
    ({"n_iter_no_change": 0}, "n_iter_no_change"),
    ({"tol": -1.0}, "tol"),
    ({"device": "tpu"}, "device"),
    ({"discrete_y": "maybe"}, "discrete_y"),
    ({"scaling": "minmax"}, "scaling"),
    ({"critic_params": {"no_such_argument": 3}}, "critic_params"),
    ({"early_stopping": True, "validation_fraction": None}, "validation_fraction"),
]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
@pytest.mark.parametrize("params,name", PARAM_CASES, ids=[str(p) for p, _ in PARAM_CASES])
def test_invalid_parameter_values(cls, params, name):
    est = cls(**{**TINY, **params})
    with pytest.raises((ValueError, TypeError), match=name):
        est.fit(X0, Y0)


@pytest.mark.parametrize(
    "cls,params,name",
    [
        (InfoNCEAnchorMI, {"nu": -1.0}, "nu"),
        (InfoNCEAnchorMI, {"nu": 0.0}, "nu"),
        (InfoNCEAnchorMI, {"nu": "big"}, "nu"),
        (SMILEMI, {"clip": 0.0}, "clip"),
        (SMILEMI, {"clip": -2.0}, "clip"),
        (MINEMI, {"ema_decay": 1.0}, "ema_decay"),
        (MINEMI, {"ema_decay": -0.1}, "ema_decay"),
    ],
)
def test_estimator_specific_invalid_parameters(cls, params, name):
    with pytest.raises(ValueError, match=name):
        cls(**{**TINY, **params}).fit(X0, Y0)


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_requested_without_cuda():
    with pytest.raises(ValueError, match="CUDA"):
        InfoNCEAnchorMI(**{**TINY, "device": "cuda"}).fit(X0, Y0)


class WrongShape(torch.nn.Module):
    def __init__(self, x_dim, y_dim):
        super().__init__()
        self.lin = torch.nn.Linear(x_dim, 1)

    def forward(self, x, y):
        return self.lin(x).squeeze(-1)  # (B,), not (B, B)


def test_user_critic_breaking_the_contract():
    with pytest.raises(ValueError, match=r"\(B, B\)"):
        InfoNCEAnchorMI(**{**TINY, "critic": WrongShape}).fit(X0, Y0)


def test_scoring_errors():
    est = InfoNCEAnchorMI(**TINY)
    with pytest.raises(NotFittedError):
        est.score(X0, Y0)
    est.fit(X0, Y0)
    with pytest.raises(ValueError, match="features"):
        est.score(X0[:, :2], Y0)
    with pytest.raises(ValueError, match="columns"):
        est.score(X0, np.column_stack([Y0, Y0]))
    with pytest.raises(ValueError, match="at least 2"):
        est.score(X0[:1], Y0[:1])


# ------------------------------------------------------------- defined results
def _fit(cls, X, y, **params):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est = cls(**{**TINY, **params}).fit(X, y)
    return est, {w.category for w in caught}


VALUE_ESTIMATORS = [InfoNCEAnchorMI, InfoNCEMI, NWJMI]


@pytest.mark.parametrize("cls", VALUE_ESTIMATORS, ids=lambda c: c.__name__)
def test_dtype_variants_give_identical_estimates(cls):
    Xi = np.round(X0 * 30).astype(np.int64)
    Xi[::7, 0] = 1000  # F4: integers with an outlier
    ref, _ = _fit(cls, Xi.astype(np.float64), Y0)
    for variant in (Xi, Xi.astype(np.int32), pd.DataFrame(Xi).astype("Int64")):
        snap = _snapshot(variant)
        est, _ = _fit(cls, variant, Y0)
        assert est.mutual_info_ == ref.mutual_info_
        assert _unchanged(variant, snap)
    Xb = X0 > 0
    assert _fit(cls, Xb, Y0)[0].mutual_info_ == _fit(cls, Xb.astype(float), Y0)[0].mutual_info_
    X16 = X0.astype(np.float16)
    assert (_fit(cls, X16, Y0)[0].mutual_info_
            == _fit(cls, X16.astype(np.float64), Y0)[0].mutual_info_)
    yn = pd.Series(np.round(Y0[:, 0] * 10).astype(int)).astype("Int64")
    assert (_fit(cls, X0, yn)[0].mutual_info_
            == _fit(cls, X0, yn.to_numpy(dtype=float))[0].mutual_info_)


@pytest.mark.parametrize("cls", VALUE_ESTIMATORS, ids=lambda c: c.__name__)
def test_categorical_y_encodings_agree(cls):
    z = (X0[:, 0] > 0).astype(int)
    strings = np.array(["neg", "pos"])[z]
    a = _fit(cls, X0, strings)[0]
    b = _fit(cls, X0, z.astype(bool))[0]
    c = _fit(cls, X0, pd.Series(pd.Categorical(strings)))[0]
    d = _fit(cls, X0, z, discrete_y=True)[0]
    assert a.mutual_info_ == b.mutual_info_ == c.mutual_info_ == d.mutual_info_
    assert a._y_categorical and math.isfinite(a.mutual_info_)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_constant_inputs_give_exact_zero(cls):
    for X, y in [
        (X0, np.full(N, 7.0)),
        (np.ones((N, 2)), Y0),
        (X0, np.array(["only"] * N)),  # a single class
    ]:
        est, _ = _fit(cls, X, y)
        assert est.mutual_info_ == 0.0 and est.score(X, y) == 0.0


@pytest.mark.parametrize("cls", [InfoNCEAnchorMI, InfoNCEMI], ids=lambda c: c.__name__)
def test_deterministic_relations_warn_and_stay_finite(cls):
    """F2: y = x or y = x^2 (true MI infinite): finite numbers and a warning."""
    x = np.random.default_rng(1).standard_normal((600, 1))
    grid = np.linspace(-2, 2, 600)[:, None]
    for xx, y in ((x, x.copy()), (x, x**2), (grid, grid**2)):
        est, cats = _fit(cls, xx, y, max_epochs=4)
        assert math.isfinite(est.mutual_info_) and math.isfinite(est.score(xx, y))
        assert UnboundedMIWarning in cats


@pytest.mark.parametrize("cls", VALUE_ESTIMATORS, ids=lambda c: c.__name__)
def test_extreme_scales_match_unit_scale(cls):
    ref = _fit(cls, X0, Y0)[0].mutual_info_
    for s in (1e-6, 1e6):
        assert abs(_fit(cls, X0 * s, Y0 * s)[0].mutual_info_ - ref) < 0.05


def test_constant_column_duplicated_rows_wide_data_and_batches():
    est, cats = _fit(InfoNCEAnchorMI, np.column_stack([X0, np.full(N, 5.0)]), Y0)
    assert math.isfinite(est.mutual_info_)
    est, cats = _fit(InfoNCEAnchorMI, np.vstack([X0, X0]), np.vstack([Y0, Y0]))
    assert math.isfinite(est.mutual_info_) and UnboundedMIWarning not in cats
    wide = np.random.default_rng(2).standard_normal((30, 50))
    est, cats = _fit(InfoNCEAnchorMI, wide, wide[:, :1] + 1.0)
    assert math.isfinite(est.mutual_info_) and SmallSampleWarning in cats
    with pytest.warns(UserWarning, match="batch_size"):
        est = InfoNCEAnchorMI(**{**TINY, "batch_size": 1000}).fit(X0, Y0)
    assert est.net_.batch_size == 160 and math.isfinite(est.mutual_info_)
    est, _ = _fit(InfoNCEMI, X0[:42], Y0[:42], batch_size=32)  # 33 training rows: 32 + 1
    sizes = [b["train_batch_size"] for b in est.history_[-1, "batches"]
             if "train_batch_size" in b]
    assert sorted(sizes) == [16, 17]


def test_validation_fraction_too_small_for_n():
    with pytest.raises(ValueError, match="validation_fraction"):
        InfoNCEAnchorMI(**{**TINY, "validation_fraction": 0.01}).fit(X0[:20], Y0[:20])


def test_discrete_function_of_x_is_not_flagged_unbounded():
    """A discrete y = f(x) has finite MI (H(y)): no 'infinite MI' warning."""
    x = np.random.default_rng(4).standard_normal((600, 1))
    y = (x[:, 0] > 0).astype(float) + (x[:, 0] > 1)  # three levels, a step function of x
    _, cats = _fit(InfoNCEAnchorMI, x, y, max_epochs=4)
    assert UnboundedMIWarning not in cats


def _constant_critic(value):
    """An overconfident critic: log r = ``value`` nats for every pair."""

    class Constant(torch.nn.Module):
        def __init__(self, x_dim, y_dim):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(()))

        def forward(self, x, y):
            return torch.full((len(x), len(y)), float(value)) + 0 * self.w

    return Constant


ConstantThree = _constant_critic(3.0)


def test_categorical_estimate_above_label_entropy_warns():
    """I(X; y) <= H(y): a plug-in above it (an overconfident critic) is flagged."""
    y = np.array(["a", "a", "a", "b"] * 50)
    est, cats = _fit(InfoNCEAnchorMI, X0, y, critic=ConstantThree, learning_rate_init=1e-12,
                     max_epochs=1)
    assert est.y_entropy_ == pytest.approx(-(0.75 * math.log(0.75) + 0.25 * math.log(0.25)))
    assert est.mutual_info_ == pytest.approx(3.0) and UnboundedMIWarning in cats


def test_ln_n_check_flags_only_a_clear_excess():
    """A plug-in may exceed ln(n) a little when the truth is near it; 1 nat above is flagged."""
    n_valid = math.ceil(N * 0.2)  # the internal validation rows the check uses
    for excess, flagged in ((0.5, False), (1.5, True)):
        value = math.log(n_valid) + excess
        est, cats = _fit(InfoNCEAnchorMI, X0, Y0, critic=_constant_critic(value),
                         learning_rate_init=1e-12, max_epochs=1)
        assert est.mutual_info_ == pytest.approx(value, abs=1e-5)
        assert (UnboundedMIWarning in cats) is flagged
