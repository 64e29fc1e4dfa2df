"""Critics: torch modules scoring (x, y) pairs.

Contract (every critic, built-in or user-supplied):

* ``__init__(x_dim, y_dim, **params)``;
* ``forward(x, y) -> (B, B)`` with ``out[i, j] = c(x_i, y_j)`` (a logit: the
  estimated log density ratio for the plug-in objectives);
* optionally ``pair(x, y) -> (B,)``, the diagonal ``c(x_i, y_i)`` alone, at
  O(B) cost. :func:`pair_scores` falls back to the diagonal of ``forward`` on
  small chunks when a critic has no ``pair``.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from ._grouped import GroupedSeparableCritic
from ._layers import ACTIVATIONS, mlp_layers

__all__ = [
    "MLP",
    "SeparableCritic",
    "JointCritic",
    "BilinearCritic",
    "CRITICS",
    "pair_scores",
    "GroupedSeparableCritic",
]



class MLP(nn.Sequential):
    """Plain multilayer perceptron ``in_dim -> hidden... -> out_dim`` (no batch norm).

    No batch-dependent layers, so a batch of one row behaves like any other.
    """

    def __init__(
        self,
        in_dim: int,
        hidden_layer_sizes: Sequence[int],
        out_dim: int,
        activation: str = "relu",
    ) -> None:
        super().__init__(*mlp_layers(in_dim, hidden_layer_sizes, out_dim, activation))


class SeparableCritic(nn.Module):
    """``c(x, y) = g(x) . h(y)``: two MLP encoders and one matmul per batch.

    Parameters
    ----------
    x_dim, y_dim : int
        Input widths.
    hidden_layer_sizes : sequence of int, default=(256, 256)
        Hidden widths of each encoder.
    embed_dim : int, default=32
        Width of the embeddings whose inner product is the score.
    activation : str, default="relu"
        One of "relu", "tanh", "elu", "gelu", "silu".
    """

    def __init__(
        self,
        x_dim: int,
        y_dim: int,
        hidden_layer_sizes: Sequence[int] = (256, 256),
        embed_dim: int = 32,
        activation: str = "relu",
    ) -> None:
        super().__init__()
        self.g = MLP(x_dim, hidden_layer_sizes, embed_dim, activation)
        self.h = MLP(y_dim, hidden_layer_sizes, embed_dim, activation)

    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        return self.g(x) @ self.h(y).T

    def pair(self, x: Tensor, y: Tensor) -> Tensor:
        return (self.g(x) * self.h(y)).sum(dim=-1)


class JointCritic(nn.Module):
    """``c(x, y) = MLP([x; y])`` evaluated on all B x B combinations.

    The first layer is split, ``W [x; y] = W_x x + W_y y``, so the B^2 pairs
    cost one broadcast add before the remaining layers (B^2 rows each).

    Parameters
    ----------
    x_dim, y_dim : int
        Input widths.
    hidden_layer_sizes : sequence of int, default=(256, 256)
        Hidden widths; at least one layer.
    activation : str, default="relu"
        Activation name.
    embed_dim : int, optional
        Ignored (accepted so all built-in critics share one signature).
    """

    def __init__(
        self,
        x_dim: int,
        y_dim: int,
        hidden_layer_sizes: Sequence[int] = (256, 256),
        activation: str = "relu",
        embed_dim: int | None = None,
    ) -> None:
        super().__init__()
        if len(hidden_layer_sizes) < 1:
            raise ValueError("JointCritic needs at least one hidden layer")
        first, *rest = (int(w) for w in hidden_layer_sizes)
        self.wx = nn.Linear(x_dim, first)
        self.wy = nn.Linear(y_dim, first, bias=False)
        self.act = ACTIVATIONS[activation]()
        self.head = MLP(first, rest, 1, activation)

    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        hidden = self.act(self.wx(x)[:, None, :] + self.wy(y)[None, :, :])  # (B, B, first)
        return self.head(hidden).squeeze(-1)

    def pair(self, x: Tensor, y: Tensor) -> Tensor:
        return self.head(self.act(self.wx(x) + self.wy(y))).squeeze(-1)


class BilinearCritic(nn.Module):
    """``c(x, y) = x^T W y + a^T x + b^T y + c``: the cheap linear-dependence critic.

    Exact for the log density ratio only up to its bilinear part; useful as a
    fast baseline and for linear-Gaussian dependence.

    Parameters
    ----------
    x_dim, y_dim : int
        Input widths.
    **ignored
        ``hidden_layer_sizes``, ``embed_dim`` and ``activation`` are accepted and
        ignored so all built-in critics share one signature.
    """

    def __init__(self, x_dim: int, y_dim: int, **ignored: object) -> None:
        super().__init__()
        self.bilinear = nn.Bilinear(x_dim, y_dim, 1)
        nn.init.zeros_(self.bilinear.weight)
        self.lin_x = nn.Linear(x_dim, 1, bias=False)
        self.lin_y = nn.Linear(y_dim, 1, bias=False)

    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        w = self.bilinear.weight[0]  # (x_dim, y_dim)
        return (
            x @ w @ y.T
            + self.lin_x(x)
            + self.lin_y(y).T
            + self.bilinear.bias
        )

    def pair(self, x: Tensor, y: Tensor) -> Tensor:
        return (self.bilinear(x, y) + self.lin_x(x) + self.lin_y(y)).squeeze(-1)


CRITICS: dict[str, type[nn.Module]] = {
    "separable": SeparableCritic,
    "joint": JointCritic,
    "bilinear": BilinearCritic,
}


def pair_scores(critic: nn.Module, x: Tensor, y: Tensor, chunk_size: int = 256) -> Tensor:
    """Return ``c(x_i, y_i)`` for every row, using ``critic.pair`` when it exists.

    Without ``pair`` the diagonal of ``forward`` is taken on chunks of
    ``chunk_size`` rows, so memory stays O(chunk_size^2).
    """
    if hasattr(critic, "pair"):
        return critic.pair(x, y)
    parts = [
        critic(x[i : i + chunk_size], y[i : i + chunk_size]).diagonal()
        for i in range(0, x.shape[0], chunk_size)
    ]
    return torch.cat(parts) if parts else x.new_zeros(0)
