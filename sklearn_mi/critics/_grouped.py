"""Grouped critics: many small critics trained as one module (batched weights).

:class:`GroupedSeparableCritic` holds ``n_groups`` separable critics
``c_k(x, y) = g_k(x_k) . h_k(y)``, one per column group ``x_k`` of ``X``, with
their weights stacked along a leading group axis. One forward pass evaluates
all of them with batched matrix products (``torch.baddbmm`` / ``torch.bmm``),
so p per-feature critics cost one module, one optimiser and one data pass
instead of p sequential fits.

Contract (the grouped analogue of :mod:`sklearn_mi.critics`):

* ``forward(x, y) -> (G, B, B)`` with ``out[k, i, j] = c_k(x_ik, y_j)``;
* ``pair(x, y) -> (G, B)``, the diagonals ``c_k(x_ik, y_i)`` at O(G B) cost.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

import torch
from torch import Tensor, nn

from ._layers import mlp_layers

__all__ = ["GroupedLinear", "GroupedMLP", "GroupedSeparableCritic"]



class GroupedLinear(nn.Module):
    """``G`` independent linear maps applied to a ``(G, B, in_dim)`` input at once.

    Initialised like :class:`torch.nn.Linear` (uniform in ``±1/sqrt(in_dim)``),
    independently per group.

    Parameters
    ----------
    n_groups : int
        Number of groups G.
    in_dim, out_dim : int
        Widths of each group's map.
    """

    def __init__(self, n_groups: int, in_dim: int, out_dim: int) -> None:
        super().__init__()
        bound = 1.0 / math.sqrt(in_dim)
        self.weight = nn.Parameter(torch.empty(n_groups, in_dim, out_dim).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(n_groups, 1, out_dim).uniform_(-bound, bound))

    def forward(self, x: Tensor) -> Tensor:
        """Map ``(G, B, in_dim)`` to ``(G, B, out_dim)``."""
        if x.shape[-1] == 1:  # one input column per group: an outer product, no bmm needed
            return torch.addcmul(self.bias, x, self.weight)
        return torch.baddbmm(self.bias, x, self.weight)


class GroupedMLP(nn.Sequential):
    """``G`` independent MLPs ``in_dim -> hidden... -> out_dim`` on a ``(G, B, in_dim)`` input."""

    def __init__(
        self,
        n_groups: int,
        in_dim: int,
        hidden_layer_sizes: Sequence[int],
        out_dim: int,
        activation: str = "relu",
    ) -> None:
        linear = partial(GroupedLinear, n_groups)
        super().__init__(*mlp_layers(in_dim, hidden_layer_sizes, out_dim, activation, linear))


class GroupedSeparableCritic(nn.Module):
    """``G`` separable critics ``c_k(x, y) = g_k(x_k) . h_k(y)`` with stacked weights.

    Column group ``k`` of ``x`` is ``x[:, k * group_dim:(k + 1) * group_dim]``
    (``group_dim=1``: one critic per feature). Each group has its own x encoder
    ``g_k`` and its own y encoder ``h_k``; the groups share nothing but the
    batch, so training them together with the summed loss is the same
    optimisation problem as training each alone (Adam's updates are per
    parameter).

    Parameters
    ----------
    n_groups : int
        Number of critics G.
    y_dim : int
        Width of y (after encoding).
    group_dim : int, default=1
        Columns of x per group; x has ``n_groups * group_dim`` columns.
    hidden_layer_sizes : sequence of int, default=(64, 64)
        Hidden widths of every encoder.
    embed_dim : int, default=16
        Width of the embeddings whose inner product is the score.
    activation : str, default="relu"
        One of "relu", "tanh", "elu", "gelu", "silu".
    shared_y_trunk : bool, default=False
        Share the hidden layers of the y encoders between groups (one MLP
        pass over y per batch) and keep a separate last layer per group. Cuts
        the y side's cost by about G; the groups then share those weights.

    Examples
    --------
    >>> import torch
    >>> critic = GroupedSeparableCritic(5, 1, hidden_layer_sizes=(8,), embed_dim=4)
    >>> critic(torch.randn(16, 5), torch.randn(16, 1)).shape
    torch.Size([5, 16, 16])
    """

    def __init__(
        self,
        n_groups: int,
        y_dim: int,
        group_dim: int = 1,
        hidden_layer_sizes: Sequence[int] = (64, 64),
        embed_dim: int = 16,
        activation: str = "relu",
        shared_y_trunk: bool = False,
    ) -> None:
        super().__init__()
        self.n_groups, self.group_dim = int(n_groups), int(group_dim)
        self.shared_y_trunk = bool(shared_y_trunk) and len(hidden_layer_sizes) > 0
        self.g = GroupedMLP(n_groups, group_dim, hidden_layer_sizes, embed_dim, activation)
        if self.shared_y_trunk:
            self.h_trunk = nn.Sequential(*mlp_layers(y_dim, hidden_layer_sizes, None, activation))
            self.h = GroupedLinear(n_groups, int(hidden_layer_sizes[-1]), embed_dim)
        else:
            self.h = GroupedMLP(n_groups, y_dim, hidden_layer_sizes, embed_dim, activation)

    def _embed(self, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
        batch = x.shape[0]
        xg = x.reshape(batch, self.n_groups, self.group_dim).transpose(0, 1)  # (G, B, group_dim)
        if self.shared_y_trunk:
            hidden = self.h_trunk(y)  # (B, last hidden width): one pass for all groups
            return self.g(xg), self.h(hidden.unsqueeze(0).expand(self.n_groups, -1, -1))
        yg = y.unsqueeze(0).expand(self.n_groups, -1, -1)  # (G, B, y_dim)
        return self.g(xg), self.h(yg)

    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        """Scores ``(G, B, B)``: ``out[k, i, j] = c_k(x_i, y_j)``."""
        gx, hy = self._embed(x, y)
        return torch.bmm(gx, hy.transpose(1, 2))

    def block_scores(self, x: Tensor, y: Tensor, block_size: int | None) -> Tensor:
        """Scores within blocks of ``block_size`` rows: ``(G * m, block_size, block_size)``.

        The batch is cut into ``m = B // block_size`` consecutive blocks (left
        over rows are not used); slice ``k * m + b`` is group k's score matrix
        on block b. ``None`` (or a block as large as the batch) gives
        ``forward(x, y)``. Costs ``G B block_size`` scores instead of ``G B^2``.
        """
        batch = x.shape[0]
        if block_size is None or block_size >= batch:
            return self.forward(x, y)
        m = batch // block_size
        gx, hy = self._embed(x[: m * block_size], y[: m * block_size])
        shape = (self.n_groups * m, block_size, gx.shape[-1])
        return torch.bmm(gx.reshape(shape), hy.reshape(shape).transpose(1, 2))

    def pair(self, x: Tensor, y: Tensor) -> Tensor:
        """Joint-pair scores ``(G, B)``: ``out[k, i] = c_k(x_i, y_i)``."""
        gx, hy = self._embed(x, y)
        return (gx * hy).sum(dim=-1)
