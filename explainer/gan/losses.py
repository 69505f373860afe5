"""GAN losses on D's raw outputs (logits / critic scores), per seed.

Every function takes D's outputs on real and generated inputs, shaped (K, N, 1) for K seeds, and returns
per-seed losses of shape (K,) (the mean over the N inputs). The trainer minimises their sum over seeds,
which is exact because seeds share no parameters. With D(x) = σ(f(x)) and the identities
log σ(f) = −softplus(−f) and log(1 − σ(f)) = −softplus(f), the BCE losses never take log of 0.

minimax (Goodfellow et al., "Generative Adversarial Nets", NIPS 2014):
    min_G max_D V = E_x[log D(x)] + E_z[log(1 − D(G(z)))]
    L_D = E[softplus(−f(x))] + E[softplus(f(G(z)))]        (= −V)
    L_G = E[log(1 − D(G(z)))] = −E[softplus(f(G(z)))]       (saturates when D rejects fakes confidently)
nonsaturating (same paper: "train G to maximize log D(G(z))"):
    L_D as minimax;  L_G = −E[log D(G(z))] = E[softplus(−f(G(z)))]
wgan-gp (Gulrajani et al., "Improved Training of Wasserstein GANs", NIPS 2017), critic f, λ = 10:
    L_D = E[f(G(z))] − E[f(x)] + λ E[(‖∇_x̂ f(x̂)‖₂ − 1)²],  x̂ = εx + (1 − ε)G(z), ε ~ U[0, 1]
    L_G = −E[f(G(z))]
hinge (Lim & Ye, "Geometric GAN", arXiv:1705.02894, 2017):
    L_D = E[max(0, 1 − f(x))] + E[max(0, 1 + f(G(z)))];  L_G = −E[f(G(z))]
lsgan (Mao et al., "Least Squares Generative Adversarial Networks", arXiv:1611.04076), 0-1 coding a=0, b=c=1:
    L_D = ½E[(f(x) − 1)²] + ½E[f(G(z))²];  L_G = ½E[(f(G(z)) − 1)²]
"""
import torch
import torch.nn.functional as F

GP_WEIGHT = 10.0  # λ of WGAN-GP, the value Gulrajani et al. use throughout


def _mean(t: torch.Tensor) -> torch.Tensor:
    return t.float().flatten(1).mean(1)  # (K, N, 1) -> (K,); losses in fp32 even under autocast


def d_loss(loss: str, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """D's loss per seed (K,), without WGAN-GP's penalty (see gradient_penalty)."""
    if loss in ("minimax", "nonsaturating"):
        return _mean(F.softplus(-real)) + _mean(F.softplus(fake))
    if loss == "wgan-gp":
        return _mean(fake) - _mean(real)
    if loss == "hinge":
        return _mean(F.relu(1 - real)) + _mean(F.relu(1 + fake))
    if loss == "lsgan":
        return 0.5 * _mean((real - 1) ** 2) + 0.5 * _mean(fake**2)
    raise ValueError(f"loss: unknown {loss!r}")


def g_loss(loss: str, fake: torch.Tensor) -> torch.Tensor:
    """G's loss per seed (K,), from D's outputs on generated inputs."""
    if loss == "minimax":
        return -_mean(F.softplus(fake))
    if loss == "nonsaturating":
        return _mean(F.softplus(-fake))
    if loss in ("wgan-gp", "hinge"):
        return -_mean(fake)
    if loss == "lsgan":
        return 0.5 * _mean((fake - 1) ** 2)
    raise ValueError(f"loss: unknown {loss!r}")


def gradient_penalty(critic, real: torch.Tensor, fake: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """λ E[(‖∇_x̂ f(x̂)‖₂ − 1)²] per seed (K,), x̂ = eps·real + (1 − eps)·fake.

    real, fake: D's inputs (K, N, ...); eps: (K, N, 1, ...) uniform in [0, 1], broadcastable to them.
    The graph is kept (create_graph) so the penalty trains D.
    """
    x_hat = (eps * real + (1 - eps) * fake.detach()).requires_grad_(True)
    out = critic(x_hat)
    (grad,) = torch.autograd.grad(out.float().sum(), x_hat, create_graph=True)
    norm = grad.flatten(2).norm(dim=2)  # (K, N): one gradient per D input (a whole pack, when packing)
    return GP_WEIGHT * ((norm - 1) ** 2).mean(1)
