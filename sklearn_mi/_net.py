"""The skorch layer: a NeuralNet whose loss is an MI objective on a (B, B) score matrix.

Nothing here validates user input or scales data (that is the estimator's job,
``_base.py``); nothing here writes a training loop (skorch runs it). This module
adds, through skorch's hooks only:

* :class:`PairDataset` / :class:`EvenBatchLoader`: batches of joint pairs as
  ``{"x": ..., "y": ...}`` dicts, shuffled every epoch, with sizes that differ by
  at most one row (no 1 x 1 score matrix when ``n mod batch_size == 1``);
* :class:`ObjectiveLoss`: the criterion module, holding objective state (MINE's
  moving average) and separating the training surrogate from the evaluation
  estimate via ``training``;
* :class:`MINet`: ``get_loss`` calls the criterion; each train/validation step
  also records the batch's MI contributions, which :class:`HeldOutMI` turns
  into ``train_mi`` / ``valid_mi`` / ``valid_mi_se`` history columns;
* :class:`NonFiniteGuard`: a non-finite loss or gradient stops training before
  the optimiser step (skorch's interrupt path, so ``EarlyStopping(load_best=True)``
  still restores the best weights);
* :class:`WeightAveraging`: an exponential moving average of the critic's
  weights, swapped in for every validation pass (so early stopping, the
  restored "best" weights and the estimate all use the averaged critic).
"""

from __future__ import annotations

import copy
import math

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import Callback, EarlyStopping
from skorch.dataset import unpack_data
from torch import Tensor, nn

from .objectives import get_objective, mine_loss

__all__ = [
    "PairDataset",
    "EvenBatchLoader",
    "auto_nu",
    "ObjectiveLoss",
    "MINet",
    "HeldOutMI",
    "WeightAveraging",
    "HeldOutEarlyStopping",
]


class PairDataset(torch.utils.data.Dataset):
    """Joint pairs ``(x_i, y_i)`` as float32 tensors; skorch passes ``X`` as a dict."""

    def __init__(self, X, y=None):
        if isinstance(X, PairDataset):
            X = {"x": X.x, "y": X.y}
        self.x = torch.as_tensor(X["x"], dtype=torch.float32)
        self.y = torch.as_tensor(X["y"], dtype=torch.float32)
        if self.x.shape[0] != self.y.shape[0]:
            raise ValueError("x and y must have the same number of rows")

    def __len__(self) -> int:
        return self.x.shape[0]

    def __getitem__(self, i):
        return {"x": self.x[i], "y": self.y[i]}, 0


def even_batches(n: int, batch_size: int) -> list[int]:
    """Sizes of ``ceil(n / batch_size)`` batches that differ by at most one row."""
    n_batches = max(1, math.ceil(n / batch_size))
    base, extra = divmod(n, n_batches)
    return [base + 1] * extra + [base] * (n_batches - extra)


class EvenBatchLoader:
    """Iterate over a :class:`PairDataset` in near-equal batches, by slicing (no collate).

    Parameters
    ----------
    dataset : PairDataset or torch Subset of one
        The pairs.
    batch_size : int
        Largest batch size; batch sizes differ by at most one row.
    shuffle : bool, default=False
        Draw a fresh permutation each time the loader is iterated.
    rng : numpy.random.Generator, optional
        Source of the permutations (the net keeps one, so epochs differ but
        runs with the same seed are identical).
    """

    def __init__(self, dataset, batch_size=128, shuffle=False, rng=None):
        if isinstance(dataset, torch.utils.data.Subset):
            index = torch.as_tensor(dataset.indices)
            dataset = dataset.dataset
            self.x, self.y = dataset.x[index], dataset.y[index]
        else:
            self.x, self.y = dataset.x, dataset.y
        self.sizes = even_batches(len(self.x), batch_size)
        self.shuffle = shuffle
        self.rng = rng if rng is not None else np.random.default_rng()

    def __len__(self) -> int:
        return len(self.sizes)

    def __iter__(self):
        n = len(self.x)
        if self.shuffle:
            order = torch.from_numpy(self.rng.permutation(n))
        else:
            order = torch.arange(n)
        for index in torch.split(order, self.sizes):
            yield {"x": self.x[index], "y": self.y[index]}, None


def auto_nu(k: int) -> float:
    """The anchor weight of ``nu="auto"`` for ``k`` negatives per row: ``sqrt(k)``.

    Measured in ``doc/defaults.md``: over 15 known-MI tasks x 3 seeds (with
    weight averaging 0.99), ``sqrt(K)`` (11.3 at the default batch of 128) had
    a mean absolute error of 0.061 nats against 0.099 for ``nu = 32`` and
    0.128 for ``nu = K`` (0.141 / 0.174 without averaging); in the streaming
    staircase ``nu = 8 ~ sqrt(63)`` stayed within 0.25 bit up to 10 bits.
    """
    return math.sqrt(max(int(k), 1))


class ObjectiveLoss(nn.Module):
    """Criterion wrapping one objective from :data:`sklearn_mi.objectives.OBJECTIVES`.

    Parameters
    ----------
    objective : str
        Objective name.
    nu : float or "auto", default=1.0
        InfoNCE-anchor weight; ``"auto"`` uses ``nu = sqrt(K)`` with ``K = B - 1``
        for each (B, B) score matrix (:func:`auto_nu`).
    clip : float, default=5.0
        SMILE's clipping threshold tau.
    ema_decay : float, default=0.99
        MINE's moving-average decay.
    """

    def __init__(self, objective="anchor", nu=1.0, clip=5.0, ema_decay=0.99):
        super().__init__()
        self.objective = get_objective(objective)
        self.nu, self.clip, self.ema_decay = nu, clip, ema_decay
        self.register_buffer("log_moving_average", torch.tensor(float("nan")))

    def _params(self, names, batch):
        """Objective parameters; ``batch`` is B, the size of the (..., B, B) score matrix."""
        values = {"nu": self.nu, "clip": self.clip, "ema_decay": self.ema_decay}
        if values["nu"] == "auto":
            values["nu"] = auto_nu(batch - 1)
        return {k: values[k] for k in names}

    def forward(self, scores: Tensor, training: bool = False) -> Tensor:
        if self.objective.name == "mine" and training:
            previous = self.log_moving_average
            loss, lma = mine_loss(
                scores, None if torch.isnan(previous) else previous, float(self.ema_decay)
            )
            self.log_moving_average = lma.detach()
            return loss
        params = self._params(self.objective.loss_params, scores.shape[-1])
        return self.objective.loss(scores, **params)

    def pointwise(self, scores: Tensor) -> Tensor:
        """Per-row MI contributions (nats) of the objective's evaluation estimate."""
        params = self._params(self.objective.estimate_params, scores.shape[-1])
        return self.objective.pointwise(scores, **params)


#: A critic score (a log density ratio, nats) beyond this means training diverged.
MAX_ABS_SCORE = 1e6


class _NonFiniteLoss(KeyboardInterrupt):
    """Raised inside the training loop to stop it through skorch's interrupt path."""


class MINet(NeuralNet):
    """skorch ``NeuralNet`` training a critic on an MI objective.

    ``X`` is a :class:`PairDataset` (or a dict ``{"x", "y"}``); there is no
    target: the module returns the (B, B) score matrix and the criterion
    turns it into a loss.
    """

    def __init__(self, *args, shuffle_seed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shuffle_seed = shuffle_seed

    def get_iterator(self, dataset, training=False):
        kwargs = {"batch_size": self.batch_size}
        if training:
            if getattr(self, "shuffle_rng_", None) is None:
                self.shuffle_rng_ = np.random.default_rng(self.shuffle_seed)
            kwargs.update(shuffle=True, rng=self.shuffle_rng_)
        kwargs.update(self.get_params_for("iterator_train" if training else "iterator_valid"))
        return EvenBatchLoader(dataset, **kwargs)

    def get_loss(self, y_pred, y_true=None, X=None, training=False):
        return self.criterion_(y_pred, training=training)

    def _record_mi(self, prefix, scores):
        with torch.no_grad():
            values = self.criterion_.pointwise(scores).double()
        self.history.record_batch(prefix + "_mi_sum", values.sum().item())
        self.history.record_batch(prefix + "_mi_sumsq", values.square().sum().item())

    def on_train_begin(self, net, **kwargs):
        super().on_train_begin(net, **kwargs)
        self.nonfinite_ = None
        self.start_weights_ = copy.deepcopy(self.module_.state_dict())

    def train_step_single(self, batch, **fit_params):
        self._set_training(True)
        Xi, _ = unpack_data(batch)
        scores = self.infer(Xi, **fit_params)
        loss = self.get_loss(scores, X=Xi, training=True)
        if not torch.isfinite(loss):
            self.nonfinite_ = "loss became non-finite"
            raise _NonFiniteLoss()
        if scores.detach().abs().max() > MAX_ABS_SCORE:
            self.nonfinite_ = "critic diverged (|score| > 1e6 nats)"
            raise _NonFiniteLoss()
        loss.backward()
        grads = [p.grad for p in self.module_.parameters() if p.grad is not None]
        if grads and not torch.isfinite(torch.stack([g.norm() for g in grads]).sum()):
            self.nonfinite_ = "gradient became non-finite"
            raise _NonFiniteLoss()
        return {"loss": loss, "y_pred": scores}

    def train_step(self, batch, **fit_params):
        step = super().train_step(batch, **fit_params)
        self._record_mi("train", step["y_pred"].detach())
        return step

    def validation_step(self, batch, **fit_params):
        step = super().validation_step(batch, **fit_params)
        self._record_mi("valid", step["y_pred"])
        return step


class WeightAveraging(Callback):
    """Exponential moving average (EMA) of the critic's weights for held-out use.

    After every training step the average moves towards the live weights,
    ``ema <- d_t * ema + (1 - d_t) * w`` with ``d_t = min(decay, (1 + t) / (10 + t))``
    (t = steps so far, a short warm-up). Before an epoch's validation pass the
    averaged weights replace the live ones, so ``valid_loss``, ``valid_mi``,
    early stopping and the weights it restores are those of the averaged
    critic; the live weights come back before the next epoch trains. A fit
    without a validation split (``partial_fit``, a stream) is not averaged.

    The average damps the epoch-to-epoch jitter of the critic, which a plug-in
    estimate passes on one to one (doc/defaults.md measures it).

    Parameters
    ----------
    decay : float in [0, 1)
        Largest weight of the old average per step; 0 disables averaging.
    """

    def __init__(self, decay: float = 0.99):
        self.decay = decay

    def initialize(self):
        self.average_, self.live_, self.n_steps_, self.active_ = None, None, 0, False
        self._pairs, self._others = None, []  # (averaged, live) tensors, floats fused
        return self

    def on_train_begin(self, net, **kwargs):
        self.initialize()
        self.active_ = self.decay > 0 and net.train_split is not None

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        if not (self.active_ and training):
            return
        with torch.no_grad():
            if self.average_ is None:
                # state_dict() tensors share storage with the module and load_state_dict
                # copies in place, so the live references stay valid for the whole fit
                state = net.module_.state_dict()
                self.average_ = {k: v.detach().clone() for k, v in state.items()}
                floats = [k for k, v in state.items() if v.dtype.is_floating_point]
                self._pairs = ([self.average_[k] for k in floats], [state[k] for k in floats])
                self._others = [(self.average_[k], v) for k, v in state.items() if k not in floats]
            else:
                d = min(self.decay, (1 + self.n_steps_) / (10 + self.n_steps_))
                torch._foreach_lerp_(self._pairs[0], self._pairs[1], 1.0 - d)
                for average, value in self._others:
                    average.copy_(value)
        self.n_steps_ += 1

    def on_batch_begin(self, net, batch=None, training=None, **kwargs):
        if self.active_ and not training and self.live_ is None and self.average_ is not None:
            self.live_ = copy.deepcopy(net.module_.state_dict())
            net.module_.load_state_dict(self.average_)

    def on_epoch_begin(self, net, **kwargs):
        if self.live_ is not None:
            net.module_.load_state_dict(self.live_)
            self.live_ = None

    def on_train_end(self, net, **kwargs):
        # the module keeps the averaged weights of the last validation pass (or the
        # best epoch's, which EarlyStopping restores); drop the copies
        self.average_, self.live_, self._pairs, self._others = None, None, None, []


def summarize_contributions(sums, sumsq, sizes, plug_in):
    """Mean and standard error of MI contributions given per-batch sums.

    Parameters
    ----------
    sums, sumsq, sizes : array-like of shape (n_batches,)
        Per batch: the sum of the pointwise contributions, the sum of their
        squares, and the number of rows.
    plug_in : bool
        For plug-in objectives the rows are i.i.d. held-out pairs, so the
        standard error is the row standard deviation over sqrt(n). Bound
        estimates share batch-level terms (the negatives), so their standard
        error is taken across batch means when there are at least two batches.

    Returns
    -------
    mean, se : float
        In nats; NaN when there are no batches.
    """
    sums, sumsq = np.asarray(sums, dtype=float), np.asarray(sumsq, dtype=float)
    sizes = np.asarray(sizes, dtype=float)
    if sizes.size == 0:
        return math.nan, math.nan
    n = sizes.sum()
    mean = sums.sum() / n
    if plug_in or sizes.size < 2:
        var = max(sumsq.sum() / n - mean**2, 0.0) * n / max(n - 1, 1)
        return float(mean), float(math.sqrt(var / n))
    batch_means = sums / sizes
    k = sizes.size
    var = np.average((batch_means - mean) ** 2, weights=sizes) * k / (k - 1)
    return float(mean), float(math.sqrt(var / k))


def _summarize_history(batches, prefix, plug_in):
    rows = [b for b in batches if prefix + "_mi_sum" in b]
    return summarize_contributions(
        [b[prefix + "_mi_sum"] for b in rows],
        [b[prefix + "_mi_sumsq"] for b in rows],
        [b[prefix + "_batch_size"] for b in rows],
        plug_in,
    )


class HeldOutMI(Callback):
    """Record ``train_mi`` and ``valid_mi`` (+ ``valid_mi_se``) in nats every epoch.

    The values come from the score matrices of the epoch's own training and
    validation passes (no extra forward pass). ``train_mi`` is a running
    average over an epoch in which the critic changes; ``valid_mi`` is the
    held-out estimate with the epoch's final weights.
    """

    def __init__(self, plug_in):
        self.plug_in = plug_in

    def on_epoch_end(self, net, **kwargs):
        batches = net.history[-1, "batches"]
        train_mi, _ = _summarize_history(batches, "train", self.plug_in)
        net.history.record("train_mi", train_mi)
        valid_mi, valid_se = _summarize_history(batches, "valid", self.plug_in)
        if not math.isnan(valid_mi):
            net.history.record("valid_mi", valid_mi)
            net.history.record("valid_mi_se", valid_se)


class HeldOutEarlyStopping(EarlyStopping):
    """skorch's ``EarlyStopping`` that sits out epochs without a validation pass.

    ``partial_fit`` trains without a held-out split; the same net can later be
    refit with one (``warm_start``), so the callback stays and simply skips.
    """

    def on_epoch_end(self, net, **kwargs):
        if self.monitor in net.history[-1]:
            super().on_epoch_end(net, **kwargs)
