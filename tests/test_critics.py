"""Critics: the (B, B) contract, the cheap diagonal, and the joint critic's split first layer."""

import pytest
import torch
from torch import nn

from sklearn_mi.critics import (
    CRITICS,
    BilinearCritic,
    JointCritic,
    SeparableCritic,
    pair_scores,
)


@pytest.mark.parametrize("name", sorted(CRITICS))
@pytest.mark.parametrize("B", [1, 2, 7])
def test_forward_shape_and_pair_is_diagonal(name, B):
    torch.manual_seed(0)
    critic = CRITICS[name](3, 2, hidden_layer_sizes=(16, 8), embed_dim=4)
    if name == "bilinear":  # zero-initialised bilinear weight: make it non-trivial
        nn.init.normal_(critic.bilinear.weight)
    x, y = torch.randn(B, 3), torch.randn(B, 2)
    S = critic(x, y)
    assert S.shape == (B, B)
    torch.testing.assert_close(critic.pair(x, y), S.diagonal())
    if B > 1:  # entry (i, j) depends on x_i and y_j only
        torch.testing.assert_close(critic(x[1:], y), S[1:, :])


def test_joint_critic_equals_mlp_on_concatenation():
    torch.manual_seed(1)
    critic = JointCritic(3, 2, hidden_layer_sizes=(8, 8))
    x, y = torch.randn(4, 3), torch.randn(5, 2)
    S = critic(x, y)
    W = torch.cat([critic.wx.weight, critic.wy.weight], dim=1)
    for i in range(4):
        for j in range(5):
            h = torch.relu(W @ torch.cat([x[i], y[j]]) + critic.wx.bias)
            assert critic.head(h).item() == pytest.approx(S[i, j].item(), abs=1e-5)


def test_separable_critic_is_inner_product():
    torch.manual_seed(2)
    critic = SeparableCritic(3, 3, hidden_layer_sizes=(8,), embed_dim=5)
    x, y = torch.randn(6, 3), torch.randn(6, 3)
    torch.testing.assert_close(critic(x, y), critic.g(x) @ critic.h(y).T)


def test_bilinear_critic_formula():
    torch.manual_seed(3)
    critic = BilinearCritic(2, 3)
    nn.init.normal_(critic.bilinear.weight)
    x, y = torch.randn(4, 2), torch.randn(4, 3)
    W = critic.bilinear.weight[0]
    expected = x @ W @ y.T + critic.lin_x(x) + critic.lin_y(y).T + critic.bilinear.bias
    torch.testing.assert_close(critic(x, y), expected)


class NoPair(nn.Module):
    def __init__(self, x_dim, y_dim):
        super().__init__()
        self.w = nn.Linear(x_dim, y_dim)

    def forward(self, x, y):
        return self.w(x) @ y.T


def test_pair_scores_falls_back_to_chunked_diagonal():
    torch.manual_seed(4)
    critic = NoPair(3, 2)
    x, y = torch.randn(10, 3), torch.randn(10, 2)
    expected = critic(x, y).diagonal()
    torch.testing.assert_close(pair_scores(critic, x, y, chunk_size=3), expected)
