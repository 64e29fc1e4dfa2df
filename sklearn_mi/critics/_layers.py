"""Building blocks shared by the plain and the grouped critics."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from torch import nn

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
}


def mlp_layers(
    in_dim: int,
    hidden_layer_sizes: Sequence[int],
    out_dim: int | None,
    activation: str = "relu",
    linear: Callable[[int, int], nn.Module] = nn.Linear,
) -> list[nn.Module]:
    """``linear -> activation`` for each hidden width, then ``linear -> out_dim``.

    ``out_dim=None`` leaves out the output layer (a trunk). ``linear(in, out)``
    builds each affine layer, so grouped critics reuse the same stack.
    """
    act = ACTIVATIONS[activation]
    layers: list[nn.Module] = []
    prev = in_dim
    for width in hidden_layer_sizes:
        layers += [linear(prev, int(width)), act()]
        prev = int(width)
    if out_dim is not None:
        layers.append(linear(prev, out_dim))
    return layers
