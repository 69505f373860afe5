"""Losses against hand-computed values from the papers' formulas."""
import math

import pytest
import torch

from explainer.gan import losses

R = [1.0, -2.0]  # D's logits on two real inputs
F = [0.5, 3.0]  # ... on two generated inputs


def t(values):
    """One seed, N inputs: shape (1, N, 1)."""
    return torch.tensor(values, dtype=torch.float64).view(1, -1, 1)


def sig(x):
    return 1 / (1 + math.exp(-x))


def mean(xs):
    return sum(xs) / len(xs)


def test_minimax_is_goodfellows_value_function():
    # L_D = −(E log D(x) + E log(1 − D(G(z)))), L_G = E log(1 − D(G(z)))
    ld = -(mean([math.log(sig(r)) for r in R]) + mean([math.log(1 - sig(f)) for f in F]))
    lg = mean([math.log(1 - sig(f)) for f in F])
    assert losses.d_loss("minimax", t(R), t(F)).item() == pytest.approx(ld, rel=1e-6)
    assert losses.g_loss("minimax", t(F)).item() == pytest.approx(lg, rel=1e-6)


def test_nonsaturating_generator_maximises_log_d():
    assert torch.equal(losses.d_loss("nonsaturating", t(R), t(F)), losses.d_loss("minimax", t(R), t(F)))
    hand = -mean([math.log(sig(f)) for f in F])
    assert losses.g_loss("nonsaturating", t(F)).item() == pytest.approx(hand, rel=1e-6)


def test_nonsaturating_gradient_does_not_vanish_where_minimax_does():
    f = torch.tensor([[[-8.0]]], requires_grad=True)  # D confidently rejects the fake
    (g_mm,) = torch.autograd.grad(losses.g_loss("minimax", f), f)
    (g_ns,) = torch.autograd.grad(losses.g_loss("nonsaturating", f), f)
    assert abs(g_mm.item()) < 1e-3 < 0.99 < abs(g_ns.item())


def test_hinge_lsgan_wgan_by_hand():
    r, f = t([2.0, 0.5]), t([-2.0, 0.0])
    assert losses.d_loss("hinge", r, f).item() == pytest.approx(mean([0, 0.5]) + mean([0, 1]))
    assert losses.g_loss("hinge", f).item() == pytest.approx(1.0)
    r, f = t([1.0, 0.0]), t([0.0, 2.0])
    assert losses.d_loss("lsgan", r, f).item() == pytest.approx(0.5 * mean([0, 1]) + 0.5 * mean([0, 4]))
    assert losses.g_loss("lsgan", f).item() == pytest.approx(0.5 * mean([1, 1]))
    assert losses.d_loss("wgan-gp", r, f).item() == pytest.approx(mean([0, 2]) - mean([1, 0]))
    assert losses.g_loss("wgan-gp", f).item() == pytest.approx(-1.0)


@pytest.mark.parametrize("loss", ["minimax", "nonsaturating", "hinge", "lsgan", "wgan-gp"])
def test_per_seed_and_stable_for_huge_logits(loss):
    real = torch.tensor([[[1e4], [-1e4]], [[0.0], [1.0]]])  # K=2 seeds
    fake = torch.tensor([[[-1e4], [1e4]], [[0.0], [0.0]]])
    ld, lg = losses.d_loss(loss, real, fake), losses.g_loss(loss, fake)
    assert ld.shape == lg.shape == (2,)
    assert torch.isfinite(ld).all() and torch.isfinite(lg).all()
    # seed 1 alone gives seed 1's value
    assert losses.d_loss(loss, real[1:], fake[1:]).item() == pytest.approx(ld[1].item())


def test_gradient_penalty_of_a_linear_critic():
    # f_k(x) = a_k · x has ‖∇f‖ = ‖a_k‖ everywhere: penalty λ(‖a_k‖ − 1)²
    a = torch.tensor([[2.0, 0.0], [0.3, 0.4]])  # norms 2 and 0.5

    def critic(x):
        return (x * a[:, None, :]).sum(-1, keepdim=True)

    x = torch.randn(2, 16, 2)
    eps = torch.rand(2, 16, 1)
    gp = losses.gradient_penalty(critic, x, torch.randn(2, 16, 2), eps)
    assert gp.tolist() == pytest.approx([10 * 1.0, 10 * 0.25])
    assert losses.GP_WEIGHT == 10


def test_unknown_loss():
    with pytest.raises(ValueError):
        losses.d_loss("nope", t(R), t(F))
