"""Contrastive MI objectives as pure functions of a (B, B) score matrix.

Every function here takes ``scores`` with ``scores[i, j] = c(x_i, y_j)``: the
diagonal holds the B joint pairs, the off-diagonal entries stand in for pairs
drawn from p(x)p(y). Nothing here knows about skorch or scikit-learn.

Two kinds of function per objective:

* ``*_loss(scores, ...) -> Tensor`` (scalar): the training loss (minimised).
* ``*_pointwise(scores, ...) -> Tensor`` of shape (B,): per-row contributions
  whose mean is the evaluation estimate of the MI in nats on that batch.

All exponentials go through ``logsumexp``/``softplus``; no ``exp(scores)`` is
ever formed, so every value is finite for finite scores (NWJ's exponential term
continues linearly beyond ``exp(_EXP_LINEAR_FROM)`` to stay finite).

See ``doc/objectives.md`` for the formulas and references.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor
from torch.nn.functional import softplus

__all__ = [
    "infonce_loss",
    "infonce_pointwise",
    "anchor_loss",
    "plugin_pointwise",
    "nwj_loss",
    "nwj_pointwise",
    "dv_loss",
    "dv_pointwise",
    "mine_loss",
    "js_loss",
    "smile_pointwise",
    "off_diagonal_log_mean_exp",
]

# exp(x) is used as is below this exponent and continued linearly above it, so
# NWJ stays finite in float32 for any |score| < 1e20 (exp(40) ~ 2.4e17).
_EXP_LINEAR_FROM = 40.0


def _check_scores(scores: Tensor, stack: bool = False) -> int:
    """Validate a (B, B) score matrix (or, with ``stack``, a (..., B, B) stack); return B."""
    square = scores.ndim >= 2 and scores.shape[-1] == scores.shape[-2]
    if not square or (scores.ndim != 2 and not stack):
        expected = "a square (..., B, B) stack" if stack else "a square (B, B) matrix"
        raise ValueError(f"scores must be {expected}, got shape {tuple(scores.shape)}")
    batch = scores.shape[-1]
    if batch < 2:
        raise ValueError(
            "contrastive objectives need a batch of at least 2 pairs (one joint pair "
            f"and one off-diagonal negative); got B={batch}"
        )
    return batch


def _off_diagonal_mask(batch: int, device: torch.device) -> Tensor:
    return ~torch.eye(batch, dtype=torch.bool, device=device)


def off_diagonal_log_mean_exp(scores: Tensor) -> Tensor:
    """Return ``log mean_{i != j} exp(scores[i, j])`` computed stably (a scalar)."""
    batch = _check_scores(scores)
    off = scores.masked_fill(~_off_diagonal_mask(batch, scores.device), -math.inf)
    return torch.logsumexp(off.reshape(-1), dim=0) - math.log(batch * (batch - 1))


def _off_diagonal_row_log_mean_exp(scores: Tensor) -> Tensor:
    batch = scores.shape[0]
    off = scores.masked_fill(~_off_diagonal_mask(batch, scores.device), -math.inf)
    return torch.logsumexp(off, dim=1) - math.log(batch - 1)


def _safe_exp(x: Tensor) -> Tensor:
    """``exp(x)``, continued linearly (value and slope matched) above a threshold."""
    t = _EXP_LINEAR_FROM
    return torch.where(x <= t, torch.exp(x.clamp(max=t)), math.exp(t) * (1.0 + (x - t)))


# --------------------------------------------------------------------------- InfoNCE
def infonce_loss(scores: Tensor) -> Tensor:
    """InfoNCE loss: ``mean_i [LSE_j S[i, j] - S[i, i]]`` (nats).

    Parameters
    ----------
    scores : Tensor of shape (B, B)
        Critic scores ``S[i, j] = c(x_i, y_j)``.

    Returns
    -------
    Tensor
        Scalar loss. ``log B - loss`` is the InfoNCE lower bound on the MI.
    """
    _check_scores(scores)
    return (torch.logsumexp(scores, dim=1) - scores.diagonal()).mean()


def infonce_pointwise(scores: Tensor) -> Tensor:
    """Per-row InfoNCE bound ``log B - (LSE_j S[i, j] - S[i, i])``; mean <= log B."""
    batch = _check_scores(scores)
    return math.log(batch) - (torch.logsumexp(scores, dim=1) - scores.diagonal())


# ---------------------------------------------------------------- InfoNCE-anchor
#: In the one-exponential anchor loss, a tuple whose scaled sum falls below
#: this (its largest logit ~69 nats under the row maximum) is recomputed with
#: the masked ``logsumexp`` path, which never underflows.
_FUSED_UNDERFLOW = 1e-30


def anchor_loss(scores: Tensor, nu: float) -> Tensor:
    """InfoNCE-anchor loss with ``K = B - 1`` candidates and anchor weight ``nu``.

    Row ``i`` is a (K+1)-way classification: class 0 ("all K candidates are
    independent", prior ``nu / (K + nu)``, logit pinned at ``log nu``) against
    class z ("candidate z is the joint pair", prior ``1 / (K + nu)``). The
    positive tuple holds ``S[i, i]`` and K-1 off-diagonal logits (column
    ``(i + 1) mod B`` left out); the anchor tuple holds the K off-diagonal
    logits. Both tuples hold exactly K candidates, so the minimiser is
    ``c = log r`` exactly.

    Both log-sum-exps come from one exponential of the scores shifted by the
    row maximum (two masked sums of the same ``exp``), about half the cost of
    two masked ``logsumexp`` calls; rows where a tuple sum would underflow are
    recomputed the direct way, so the value is exact to float rounding for any
    finite scores.

    Parameters
    ----------
    scores : Tensor of shape (B, B) or (..., B, B)
        Critic scores; leading dimensions hold independent score matrices
        (a stack, e.g. one per feature).
    nu : float
        Anchor weight, ``nu > 0``.

    Returns
    -------
    Tensor
        The loss in nats: a scalar for one matrix, shape ``scores.shape[:-2]``
        for a stack (the mean over the rows of each matrix).
    """
    batch = _check_scores(scores, stack=True)
    if not nu > 0:
        raise ValueError(f"nu must be > 0, got {nu}")
    k = batch - 1
    log_nu = math.log(nu)
    eye = torch.eye(batch, dtype=torch.bool, device=scores.device)
    left_out = eye.roll(shifts=1, dims=1)  # column (i + 1) mod B in row i
    # masks[i, j, t]: candidate j belongs to tuple t of row i (t=0 positive, t=1 anchor)
    masks = torch.stack([~left_out, ~eye], dim=-1).to(scores.dtype)
    shift = scores.detach().amax(dim=-1, keepdim=True).clamp_min(log_nu)  # (..., B, 1)
    sums = torch.einsum("...ij,ijt->...it", torch.exp(scores - shift), masks)  # (..., B, 2)
    if bool((sums < _FUSED_UNDERFLOW).any()):
        # a tuple lies ~70 nats under its row maximum: exact masked logsumexp instead
        lse = torch.stack(
            [
                torch.logsumexp(scores.masked_fill(left_out, -math.inf), -1),
                torch.logsumexp(scores.masked_fill(eye, -math.inf), -1),
            ],
            dim=-1,
        )
        lse = torch.logaddexp(scores.new_tensor(log_nu), lse)
    else:
        lse = torch.log(sums + torch.exp(log_nu - shift)) + shift  # the anchor joins both tuples
    loss_pos = lse[..., 0] - scores.diagonal(dim1=-2, dim2=-1)
    loss_anc = lse[..., 1] - log_nu
    return ((k * loss_pos + nu * loss_anc) / (k + nu)).mean(dim=-1)


def plugin_pointwise(scores: Tensor) -> Tensor:
    """Plug-in pointwise MI: the critic on the joint pairs, ``S[i, i]`` (nats).

    Valid for objectives whose minimiser is the log density ratio itself
    (InfoNCE-anchor, JS); the mean over held-out pairs estimates the MI.
    A (..., B, B) stack gives (..., B).
    """
    _check_scores(scores, stack=True)
    return scores.diagonal(dim1=-2, dim2=-1)


# ----------------------------------------------------------------------------- NWJ
def nwj_pointwise(scores: Tensor) -> Tensor:
    """Per-row NWJ bound ``S[i, i] - e^{-1} mean_{j != i} exp(S[i, j])`` (nats)."""
    _check_scores(scores)
    return scores.diagonal() - _safe_exp(_off_diagonal_row_log_mean_exp(scores) - 1.0)


def nwj_loss(scores: Tensor) -> Tensor:
    """NWJ loss: ``-(mean_i S[i, i] - e^{-1} mean_{i != j} exp(S[i, j]))``.

    The optimal critic is ``1 + log r``.
    """
    _check_scores(scores)
    return -(scores.diagonal().mean() - _safe_exp(off_diagonal_log_mean_exp(scores) - 1.0))


# ------------------------------------------------------------------------------ DV
def dv_loss(scores: Tensor) -> Tensor:
    """Donsker-Varadhan loss: ``-(mean_i S[i, i] - log mean_{i != j} exp(S[i, j]))``."""
    _check_scores(scores)
    return -(scores.diagonal().mean() - off_diagonal_log_mean_exp(scores))


def dv_pointwise(scores: Tensor) -> Tensor:
    """Per-row DV bound ``S[i, i] - log mean_{i != j} exp(S[i, j])`` (batch-shared term)."""
    return scores.diagonal() - off_diagonal_log_mean_exp(scores)


# ----------------------------------------------------------------------------- MINE
def mine_loss(
    scores: Tensor, log_moving_average: Tensor | None, decay: float
) -> tuple[Tensor, Tensor]:
    """MINE surrogate loss: the DV value with a moving-average-corrected gradient.

    The gradient of ``log mean exp`` is ``grad(mean exp) / mean exp``; MINE
    replaces the denominator with an exponential moving average of the batch
    ``mean exp`` to reduce the gradient's bias. The returned loss has *the value
    of the DV loss* (so nothing reported can contain the moving average) and
    the corrected gradient.

    Parameters
    ----------
    scores : Tensor of shape (B, B)
        Critic scores.
    log_moving_average : Tensor or None
        Log of the running average of ``mean_{i != j} exp(S[i, j])``; ``None``
        on the first step (initialised with the current batch).
    decay : float
        Weight of the old average, in [0, 1).

    Returns
    -------
    loss : Tensor
        Scalar surrogate whose value equals :func:`dv_loss`.
    new_log_moving_average : Tensor
        Updated (detached) log moving average.
    """
    _check_scores(scores)
    lme = off_diagonal_log_mean_exp(scores)
    current = lme.detach()
    if log_moving_average is None or decay == 0:
        new_lma = current
    else:
        new_lma = torch.logaddexp(
            math.log(decay) + log_moving_average, math.log1p(-decay) + current
        )
    ratio = torch.exp(lme - new_lma)  # value ~1; gradient = grad(mean exp) / moving average
    surrogate = current + (ratio - ratio.detach())
    return -(scores.diagonal().mean() - surrogate), new_lma


# ------------------------------------------------------------------------- JS / NCE
def js_loss(scores: Tensor) -> Tensor:
    """Jensen-Shannon (binary NCE) loss: ``mean_i softplus(-S[i,i]) + mean_D softplus(S)``.

    The minimiser is ``c = log r``, so :func:`plugin_pointwise` is consistent.
    ``scores`` may be a (..., B, B) stack; the loss then has shape ``scores.shape[:-2]``.
    """
    batch = _check_scores(scores, stack=True)
    off = _off_diagonal_mask(batch, scores.device)
    negatives = softplus(scores).masked_fill(~off, 0.0).sum(dim=(-2, -1)) / (batch * (batch - 1))
    return softplus(-scores.diagonal(dim1=-2, dim2=-1)).mean(dim=-1) + negatives


def smile_pointwise(scores: Tensor, clip: float) -> Tensor:
    """Per-row SMILE estimate ``S[i, i] - log mean_D exp(clip(S, -tau, tau))`` (nats)."""
    _check_scores(scores)
    clipped = scores.clamp(-clip, clip)
    return scores.diagonal() - off_diagonal_log_mean_exp(clipped)
