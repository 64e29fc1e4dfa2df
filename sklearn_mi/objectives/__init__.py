"""Objectives: pure torch functions of a (B, B) critic score matrix.

:data:`OBJECTIVES` is the one table of them. Each :class:`Objective` names a
training loss and a pointwise evaluation estimate (nats), and says whether the
estimate is a *plug-in* mean of the critic on joint pairs (so it needs only the
diagonal) or a variational *bound* (which needs the whole batch of negatives).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from torch import Tensor

from ._functional import (
    anchor_loss,
    dv_loss,
    dv_pointwise,
    infonce_loss,
    infonce_pointwise,
    js_loss,
    mine_loss,
    nwj_loss,
    nwj_pointwise,
    off_diagonal_log_mean_exp,
    plugin_pointwise,
    smile_pointwise,
)

__all__ = [
    "Objective",
    "OBJECTIVES",
    "get_objective",
    "anchor_loss",
    "dv_loss",
    "dv_pointwise",
    "infonce_loss",
    "infonce_pointwise",
    "js_loss",
    "mine_loss",
    "nwj_loss",
    "nwj_pointwise",
    "off_diagonal_log_mean_exp",
    "plugin_pointwise",
    "smile_pointwise",
]


@dataclass(frozen=True)
class Objective:
    """One MI objective: a training loss and an evaluation estimate.

    Attributes
    ----------
    name : str
        Key in :data:`OBJECTIVES`.
    loss : callable
        ``loss(scores, **loss_params) -> scalar Tensor`` (minimised).
    pointwise : callable
        ``pointwise(scores, **estimate_params) -> Tensor (B,)``; its mean is the
        MI estimate (nats) on the batch.
    loss_params, estimate_params : tuple of str
        Names of the estimator parameters each callable takes.
    plug_in : bool
        True when the estimate is the mean critic value on joint pairs (the
        critic is a consistent log density ratio): it needs only the diagonal
        and gives pointwise log ratios.
    cap_at_log_batch : bool
        True when the estimate can never exceed ``log B`` (InfoNCE).
    """

    name: str
    loss: Callable[..., Tensor]
    pointwise: Callable[..., Tensor]
    loss_params: tuple[str, ...] = ()
    estimate_params: tuple[str, ...] = ()
    plug_in: bool = False
    cap_at_log_batch: bool = False


OBJECTIVES: dict[str, Objective] = {
    o.name: o
    for o in (
        Objective("infonce", infonce_loss, infonce_pointwise, cap_at_log_batch=True),
        Objective("anchor", anchor_loss, plugin_pointwise, loss_params=("nu",), plug_in=True),
        Objective("nwj", nwj_loss, nwj_pointwise),
        Objective("dv", dv_loss, dv_pointwise),
        # MINE's loss is stateful (moving average); the criterion module calls mine_loss.
        Objective("mine", dv_loss, dv_pointwise),
        Objective("js", js_loss, plugin_pointwise, plug_in=True),
        Objective("smile", js_loss, smile_pointwise, estimate_params=("clip",)),
    )
}


def get_objective(name: str) -> Objective:
    """Return the :class:`Objective` registered under ``name``."""
    try:
        return OBJECTIVES[name]
    except KeyError:
        raise ValueError(f"unknown objective {name!r}; choose from {sorted(OBJECTIVES)}") from None
