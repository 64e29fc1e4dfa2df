"""Objectives against slow, obviously-correct NumPy double loops, and against theory."""

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import logsumexp, softplus

from sklearn_mi.objectives import (
    OBJECTIVES,
    anchor_loss,
    dv_loss,
    dv_pointwise,
    get_objective,
    infonce_loss,
    infonce_pointwise,
    js_loss,
    mine_loss,
    nwj_loss,
    nwj_pointwise,
    plugin_pointwise,
    smile_pointwise,
)

BATCHES = [2, 3, 5, 8, 17]


# ----------------------------------------------------------------- slow references
def ref_infonce(S):
    B = len(S)
    return np.mean([logsumexp([S[i, j] for j in range(B)]) - S[i, i] for i in range(B)])


def ref_anchor(S, nu):
    B = len(S)
    K = B - 1
    a = math.log(nu)
    total = 0.0
    for i in range(B):
        left_out = (i + 1) % B
        pos = [a] + [S[i, j] for j in range(B) if j != left_out]
        anc = [a] + [S[i, j] for j in range(B) if j != i]
        assert len(pos) == len(anc) == K + 1
        lp = logsumexp(pos) - S[i, i]
        la = logsumexp(anc) - a
        total += K / (K + nu) * lp + nu / (K + nu) * la
    return total / B


def _off(S):
    B = len(S)
    return [S[i, j] for i in range(B) for j in range(B) if i != j]


def ref_nwj(S):
    B = len(S)
    return -(np.mean([S[i, i] for i in range(B)]) - math.exp(-1) * np.mean(np.exp(_off(S))))


def ref_dv(S):
    B = len(S)
    off = _off(S)
    return -(np.mean([S[i, i] for i in range(B)]) - (logsumexp(off) - math.log(len(off))))


def ref_js(S):
    B = len(S)
    return np.mean([softplus(-S[i, i]) for i in range(B)]) + np.mean(softplus(_off(S)))


def ref_smile(S, tau):
    B = len(S)
    off = np.clip(_off(S), -tau, tau)
    return np.mean([S[i, i] for i in range(B)]) - (logsumexp(off) - math.log(len(off)))


def _t(S):
    return torch.tensor(S, dtype=torch.float64)


@pytest.mark.parametrize("B", BATCHES)
@pytest.mark.parametrize("scale", [0.1, 3.0, 20.0])
def test_losses_match_double_loop(B, scale):
    rng = np.random.default_rng(B * 7 + int(scale))
    S = rng.normal(scale=scale, size=(B, B))
    S[np.diag_indices(B)] += scale  # joint pairs score higher on average
    assert infonce_loss(_t(S)).item() == pytest.approx(ref_infonce(S), rel=1e-10, abs=1e-10)
    for nu in [1e-3, 0.5, 1.0, B - 1.0, 100.0]:
        assert anchor_loss(_t(S), nu).item() == pytest.approx(ref_anchor(S, nu), rel=1e-10)
    assert dv_loss(_t(S)).item() == pytest.approx(ref_dv(S), rel=1e-10, abs=1e-10)
    assert js_loss(_t(S)).item() == pytest.approx(ref_js(S), rel=1e-10)
    if scale < 20:  # NWJ's exp is exact below the linear continuation
        assert nwj_loss(_t(S)).item() == pytest.approx(ref_nwj(S), rel=1e-9)
    for tau in [0.5, 5.0]:
        est = smile_pointwise(_t(S), tau).mean().item()
        assert est == pytest.approx(ref_smile(S, tau), rel=1e-10, abs=1e-10)


@pytest.mark.parametrize("B", BATCHES)
def test_pointwise_means_are_the_bounds(B):
    rng = np.random.default_rng(B)
    S = rng.normal(size=(B, B)) + 2 * np.eye(B)
    assert infonce_pointwise(_t(S)).mean().item() == pytest.approx(math.log(B) - ref_infonce(S))
    assert dv_pointwise(_t(S)).mean().item() == pytest.approx(-ref_dv(S))
    assert nwj_pointwise(_t(S)).mean().item() == pytest.approx(-ref_nwj(S))
    np.testing.assert_allclose(plugin_pointwise(_t(S)).numpy(), np.diag(S))


def test_smile_without_clipping_is_dv():
    S = _t(np.random.default_rng(0).normal(size=(6, 6)))
    assert smile_pointwise(S, math.inf).mean().item() == pytest.approx(-dv_loss(S).item())


square = st.integers(2, 12).flatmap(
    lambda b: arrays(np.float64, (b, b), elements=st.floats(-1e4, 1e4, allow_subnormal=False))
)


@settings(max_examples=60, deadline=None)
@given(square)
def test_infonce_never_exceeds_log_batch(S):
    B = len(S)
    assert infonce_pointwise(_t(S)).mean().item() <= math.log(B) + 1e-9


@settings(max_examples=60, deadline=None)
@given(square, st.floats(-1e3, 1e3))
def test_dv_is_shift_invariant(S, c):
    a = dv_loss(_t(S)).item()
    b = dv_loss(_t(S + c)).item()
    assert b == pytest.approx(a, abs=1e-6 * max(1.0, abs(a)))


@settings(max_examples=60, deadline=None)
@given(square)
def test_every_objective_finite_for_finite_input(S):
    for dtype in (torch.float32, torch.float64):
        T = torch.tensor(S, dtype=dtype)
        values = [
            infonce_loss(T), anchor_loss(T, 1.0), anchor_loss(T, 1e-6), nwj_loss(T),
            dv_loss(T), js_loss(T), mine_loss(T, None, 0.9)[0],
            infonce_pointwise(T), nwj_pointwise(T), dv_pointwise(T), smile_pointwise(T, 5.0),
        ]
        for v in values:
            assert torch.isfinite(v).all()


def test_gradients_finite_at_extreme_scores():
    S = torch.tensor([[1e4, -1e4, 50.0], [300.0, -2.0, 1e3], [0.0, 9e3, -7e3]], requires_grad=True)
    for loss in [infonce_loss(S), anchor_loss(S, 1.0), nwj_loss(S), dv_loss(S), js_loss(S)]:
        (g,) = torch.autograd.grad(loss, S)
        assert torch.isfinite(g).all()


@pytest.mark.parametrize("gap", [0.0, 60.0, 75.0, 500.0])
def test_anchor_exact_across_the_underflow_fallback(gap):
    # one exponential shifted by the row max serves both tuples; a tuple ~70 nats
    # under the row max falls back to masked logsumexp. Both sides must match the loop.
    rng = np.random.default_rng(int(gap))
    S = rng.normal(size=(6, 6))
    S[np.diag_indices(6)] += gap  # the anchor tuple (off-diagonal) lies `gap` under the diagonal
    S[2, 3] += gap  # and row 2's left-out candidate dominates its positive tuple
    for nu in [1e-3, 1.0, 5.0]:
        T = _t(S).requires_grad_()
        value = anchor_loss(T, nu)
        assert value.item() == pytest.approx(ref_anchor(S, nu), rel=1e-10)
        (g,) = torch.autograd.grad(value, T)
        assert torch.isfinite(g).all()


def test_plug_in_objectives_accept_a_stack_of_score_matrices():
    rng = np.random.default_rng(3)
    S = _t(rng.normal(scale=3.0, size=(4, 7, 7)))
    for loss in (lambda s: anchor_loss(s, 2.0), js_loss):
        stacked = loss(S)
        assert stacked.shape == (4,)
        for g in range(4):
            assert stacked[g].item() == pytest.approx(loss(S[g]).item(), rel=1e-12)
    assert torch.equal(plugin_pointwise(S)[1], plugin_pointwise(S[1]))
    with pytest.raises(ValueError, match="square"):
        infonce_loss(S)  # the bounds take one matrix


def test_rejects_non_square_and_tiny_batches():
    with pytest.raises(ValueError, match="square"):
        infonce_loss(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="at least 2"):
        anchor_loss(torch.zeros(1, 1), 1.0)
    with pytest.raises(ValueError, match="nu must be > 0"):
        anchor_loss(torch.zeros(3, 3), 0.0)


def test_mine_value_is_dv_and_gradient_uses_moving_average():
    torch.manual_seed(0)
    S = torch.randn(6, 6, dtype=torch.float64, requires_grad=True)
    loss0, lma = mine_loss(S, None, decay=0.9)
    assert loss0.item() == pytest.approx(dv_loss(S).item())
    # first step: the average is the batch itself, so the gradient is DV's
    (g_mine,) = torch.autograd.grad(loss0, S)
    (g_dv,) = torch.autograd.grad(dv_loss(S), S)
    torch.testing.assert_close(g_mine, g_dv)
    # later step with a stale average m: d/dS of mean exp / m_new
    old = torch.tensor(math.log(5.0), dtype=torch.float64)
    loss, new = mine_loss(S, old, decay=0.9)
    assert loss.item() == pytest.approx(dv_loss(S).item())
    off = ~torch.eye(6, dtype=torch.bool)
    mean_exp = S.detach()[off].exp().mean()
    expected_new = 0.9 * 5.0 + 0.1 * mean_exp
    assert new.exp().item() == pytest.approx(expected_new.item())
    (g,) = torch.autograd.grad(loss, S)
    expected = torch.where(off, S.detach().exp() / (30 * expected_new), torch.zeros_like(S))
    expected = expected - torch.eye(6, dtype=torch.float64) / 6
    torch.testing.assert_close(g, expected)
    assert not new.requires_grad


# ------------------------------------------------- population minimisers by enumeration
P_JOINT = np.array([[0.30, 0.05], [0.10, 0.15], [0.05, 0.35]])  # p(x, y), x in 3, y in 2
P_X, P_Y = P_JOINT.sum(1), P_JOINT.sum(0)
LOG_R = np.log(P_JOINT / np.outer(P_X, P_Y))


def population_anchor_loss(c, nu, K):
    """Exact expected anchor loss over tuples of K candidates, by enumeration."""
    a = math.log(nu)
    pos_total, anc_total = 0.0, 0.0
    ys = range(P_JOINT.shape[1])
    for x in range(P_JOINT.shape[0]):
        for y in ys:
            for negs in itertools.product(ys, repeat=K - 1):
                w = P_JOINT[x, y] * np.prod([P_Y[v] for v in negs])
                logits = torch.stack([c.new_tensor(a), c[x, y], *[c[x, v] for v in negs]])
                pos_total = pos_total + w * (torch.logsumexp(logits, 0) - c[x, y])
        for negs in itertools.product(ys, repeat=K):
            w = P_X[x] * np.prod([P_Y[v] for v in negs])
            logits = torch.stack([c.new_tensor(a), *[c[x, v] for v in negs]])
            anc_total = anc_total + w * (torch.logsumexp(logits, 0) - a)
    return (K * pos_total + nu * anc_total) / (K + nu)


def population_infonce_loss(c, K):
    total = 0.0
    ys = range(P_JOINT.shape[1])
    for x in range(P_JOINT.shape[0]):
        for y in ys:
            for negs in itertools.product(ys, repeat=K):
                w = P_JOINT[x, y] * np.prod([P_Y[v] for v in negs])
                logits = torch.stack([c[x, y], *[c[x, v] for v in negs]])
                total = total + w * (torch.logsumexp(logits, 0) - c[x, y])
    return total


def _minimise(loss_fn, init):
    c = torch.tensor(init, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([c], lr=1, max_iter=500, tolerance_grad=1e-12,
                            tolerance_change=1e-14, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = loss_fn(c)
        loss.backward()
        return loss

    opt.step(closure)
    return c.detach().numpy()


@pytest.mark.parametrize("nu", [0.5, 1.0, 2.0])
def test_anchor_population_minimiser_is_log_ratio(nu):
    c = _minimise(lambda c: population_anchor_loss(c, nu, K=2), np.zeros_like(LOG_R))
    np.testing.assert_allclose(c, LOG_R, atol=1e-5)


def test_infonce_minimiser_only_up_to_a_row_constant():
    shift = np.array([[1.3], [-0.7], [2.1]])  # any f(x)
    at_truth = population_infonce_loss(torch.tensor(LOG_R), K=2).item()
    shifted = population_infonce_loss(torch.tensor(LOG_R + shift), K=2).item()
    assert shifted == pytest.approx(at_truth, abs=1e-12)  # InfoNCE cannot tell them apart
    anchor_truth = population_anchor_loss(torch.tensor(LOG_R), 1.0, K=2).item()
    anchor_shifted = population_anchor_loss(torch.tensor(LOG_R + shift), 1.0, K=2).item()
    assert anchor_shifted > anchor_truth + 1e-3  # the anchor pins the constant
    c = _minimise(lambda c: population_infonce_loss(c, K=2), shift + 0.0 * LOG_R)
    residual = c - LOG_R
    np.testing.assert_allclose(residual, residual[:, :1] * np.ones((1, 2)), atol=1e-5)
    assert np.abs(residual).max() > 0.5  # and it need not be the log ratio itself


def test_batch_anchor_loss_is_unbiased_for_population_loss():
    """The vectorised batch loss averages to the enumerated population loss (B = 3)."""
    rng = np.random.default_rng(0)
    c = rng.normal(size=LOG_R.shape)
    flat = P_JOINT.ravel()
    n_batches = 20000
    draws = rng.choice(flat.size, size=(n_batches, 3), p=flat)
    xs, ys = np.unravel_index(draws, P_JOINT.shape)
    ct = torch.tensor(c)
    S = ct[torch.tensor(xs)[:, :, None], torch.tensor(ys)[:, None, :]]  # (n, 3, 3)
    values = torch.stack([anchor_loss(s, 1.0) for s in S]).numpy()
    expected = population_anchor_loss(ct, 1.0, K=2).item()
    assert abs(values.mean() - expected) < 4 * values.std() / math.sqrt(n_batches)


def test_objective_table():
    assert set(OBJECTIVES) == {"infonce", "anchor", "nwj", "dv", "mine", "js", "smile"}
    assert get_objective("anchor").plug_in and get_objective("js").plug_in
    assert get_objective("infonce").cap_at_log_batch
    with pytest.raises(ValueError, match="unknown objective"):
        get_objective("nope")
