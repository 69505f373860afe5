"""Batched models: seed s in a batch of K is exactly seed s alone; shapes; remedies' building blocks."""
import pytest
import torch

from explainer.gan.config import GANConfig
from explainer.gan.models import build_models
from explainer.gan.remedies import minibatch_std, pack, spectral_sigma, unroll

pytestmark = pytest.mark.usefixtures("torch_one_thread")


CASES = {
    "mlp-2d": GANConfig(n_seeds=3, seed=4),
    "mlp-2d-remedies": GANConfig(n_seeds=3, seed=4, pack=2, minibatch_std=True, spectral_norm=True, d_depth=3),
    "mlp-digits": GANConfig(dataset="digits", n_seeds=3, seed=4, z_dim=8, g_width=32, d_width=32),
    "dcgan-digits": GANConfig(dataset="digits", arch="dcgan", n_seeds=3, seed=4, z_dim=8, g_width=8, d_width=8,
                              pack=2, minibatch_std=True, spectral_norm=True),
}


def shape_of(config):
    return (1, 8, 8) if config.is_image else (2,)


@pytest.mark.parametrize("name", CASES)
def test_batched_model_equals_single_seed_model(name):
    config = CASES[name]
    shape = shape_of(config)
    g, d = build_models(config, shape)
    g1, d1 = build_models(config.replace(seed=5, n_seeds=1), shape)  # seed 5 = index 1 of (4, 5, 6)
    for big, small in [(g, g1), (d, d1)]:
        for (name_b, b), (name_s, s) in zip(big.state_dict().items(), small.state_dict().items(), strict=True):
            assert name_b == name_s and torch.equal(b[1], s[0]), name_b
    g.eval(), d.eval(), g1.eval(), d1.eval()
    z = torch.randn(3, 12, config.z_dim)
    x = g(z)
    assert x.shape == (3, 12, *shape)
    torch.testing.assert_close(g1(z[1:2]), x[1:2], rtol=1e-5, atol=1e-6)
    xd = pack(x, config.pack)
    out = d(xd)
    assert out.shape == (3, 12 // config.pack, 1)
    torch.testing.assert_close(d1(xd[1:2]), out[1:2], rtol=1e-5, atol=1e-5)


def test_dcgan_for_mnist_shapes():
    config = GANConfig(dataset="mnist", arch="dcgan", n_seeds=2, z_dim=8, g_width=8, d_width=8)
    g, d = build_models(config, (1, 28, 28))
    x = g(torch.randn(2, 5, 8))
    assert x.shape == (2, 5, 1, 28, 28) and x.abs().max() <= 1
    assert d(x).shape == (2, 5, 1)


def test_pack_concatenates_consecutive_samples():
    x = torch.arange(2 * 6 * 2, dtype=torch.float32).view(2, 6, 2)
    p = pack(x, 3)
    assert p.shape == (2, 2, 6)
    assert torch.equal(p[1, 1], torch.cat([x[1, 3], x[1, 4], x[1, 5]]))
    assert pack(x, 1) is x


def test_minibatch_std_by_hand():
    h = torch.tensor([[[0.0, 1.0], [2.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]]])  # K=2, N=2, F=2
    s = minibatch_std(h)
    assert s.shape == (2, 1)
    assert s[0, 0].item() == pytest.approx((1.0 + 1e-4) / 2, abs=1e-3)  # stds 1 and 0 (+√1e-8)
    assert s[1, 0].item() == pytest.approx(1e-4, abs=1e-6)


def test_spectral_sigma_converges_to_the_top_singular_value():
    w = torch.randn(3, 5, 4, generator=torch.Generator().manual_seed(0))
    u = torch.nn.functional.normalize(torch.ones(3, 4), dim=1)
    for _ in range(50):
        sigma, u = spectral_sigma(w, u)
    torch.testing.assert_close(sigma, torch.linalg.matrix_norm(w, ord=2), rtol=1e-4, atol=1e-5)


def test_spectral_norm_layers_have_unit_norm_after_warmup():
    config = GANConfig(n_seeds=2, spectral_norm=True)
    _, d = build_models(config, (2,))
    d(torch.randn(2, 64, 2))  # a forward pass works with spectral norm on
    layer = d.net.layers[1]
    for _ in range(300):
        w = layer.sn(layer.weight)  # training mode: each call refines u by one power-iteration step
    assert torch.linalg.matrix_norm(w, ord=2).tolist() == pytest.approx([1.0, 1.0], abs=1e-2)


def test_unroll_sgd_is_plain_gradient_descent():
    p = {"w": torch.tensor([1.0, -2.0], requires_grad=True)}

    def loss_fn(ps):
        return (ps["w"] ** 2).sum().view(1)

    out = unroll(p, loss_fn, 2, 0.1, None)
    torch.testing.assert_close(out["w"], torch.tensor([1.0, -2.0]) * 0.8 * 0.8)
    assert unroll(p, loss_fn, 0, 0.1, None) is p
    # differentiable: d(w_2)/d(w_0) = 0.64
    (g,) = torch.autograd.grad(out["w"].sum(), p["w"])
    torch.testing.assert_close(g, torch.full((2,), 0.64))


def test_unroll_adam_matches_torch_adam():
    w0 = torch.tensor([[1.0, -2.0, 0.5]])
    ref = w0.clone().requires_grad_(True)
    opt = torch.optim.Adam([ref], lr=0.1, betas=(0.5, 0.999))
    for _ in range(3):
        opt.zero_grad()
        (ref**2).sum().backward()
        opt.step()
    p = {"w": w0.clone().requires_grad_(True)}
    state = {"w": {"exp_avg": torch.zeros(1, 3), "exp_avg_sq": torch.zeros(1, 3), "step": 0}}
    out = unroll(p, lambda ps: (ps["w"] ** 2).sum().view(1), 3, 0.1, state, betas=(0.5, 0.999))
    torch.testing.assert_close(out["w"], ref.detach(), rtol=1e-5, atol=1e-6)
