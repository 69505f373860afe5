"""Remedies for mode collapse, as small functions on batched tensors (seed index first, shape (K, ...)).

- PacGAN packing (Lin et al., NeurIPS 2018): D judges m samples concatenated, so a G that repeats itself
  is easier to spot. `pack` reshapes m consecutive samples into one input.
- Minibatch standard deviation (Karras et al., ICLR 2018): D gets one extra feature, the mean over features
  of the per-feature standard deviation over the batch, so a batch with too little variety looks fake.
- Instance noise: Gaussian noise on every D input (real and fake) with σ annealed linearly to 0.
- Spectral normalisation (Miyato et al., ICLR 2018): each D weight W is used as W/σ(W), σ estimated by
  one step of power iteration per forward pass, kept per seed.
- Unrolled D (Metz et al., ICLR 2017): G's loss is taken against D after k more (differentiable) D
  updates, so G is penalised for moves that D would punish next. `unroll` runs them functionally.
- Two time-scales (Heusel et al., NIPS 2017): simply lr_g ≠ lr_d in the config.
- EMA of G's weights: evaluate an exponential moving average of G, which smooths out G's oscillation.
"""
import torch


def pack(x: torch.Tensor, m: int) -> torch.Tensor:
    """(K, N·m, C, ...) -> (K, N, m·C, ...): samples m·i .. m·i+m−1 concatenated on the first feature axis."""
    if m == 1:
        return x
    k, nm, c, *rest = x.shape
    return x.reshape(k, nm // m, m * c, *rest)


def minibatch_std(h: torch.Tensor) -> torch.Tensor:
    """(K, N, ...) -> (K, 1): mean over features of the std over the batch (population std, +1e-8 under √)."""
    h = h.float().flatten(2)
    return (h.var(dim=1, unbiased=False) + 1e-8).sqrt().mean(dim=1, keepdim=True)


def instance_noise_sigma(sigma0: float, step: int, steps: int) -> float:
    """σ at G step `step` (0-based): σ0 · (1 − step/steps), reaching 0 at the end of training."""
    return sigma0 * max(0.0, 1.0 - step / steps)


def spectral_sigma(w: torch.Tensor, u: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """σ(W) per seed by one power-iteration step. w: (K, a, b) matrices; u: (K, b) current right vector.

    Returns (σ (K,), updated u). v = normalise(W u), u' = normalise(Wᵀ v), σ = vᵀ W u'. The vectors are
    computed without gradient (as in Miyato et al.), σ keeps its gradient through W.
    """
    with torch.no_grad():
        v = torch.nn.functional.normalize(torch.bmm(w, u.unsqueeze(2)).squeeze(2), dim=1, eps=1e-12)
        u = torch.nn.functional.normalize(torch.bmm(w.transpose(1, 2), v.unsqueeze(2)).squeeze(2), dim=1, eps=1e-12)
    sigma = torch.einsum("ka,kab,kb->k", v, w, u)
    return sigma, u


@torch.no_grad()
def ema_update(ema: list[torch.Tensor], params: list[torch.Tensor], decay: float, step: int) -> None:
    """ema ← d·ema + (1 − d)·params with d = min(decay, (1 + step)/(10 + step)).

    The warm-up d keeps early snapshots of the average from being dominated by G's random initial weights.
    """
    d = min(decay, (1 + step) / (10 + step))
    for e, p in zip(ema, params, strict=True):
        e.lerp_(p, 1 - d)


def unroll(params: dict, d_loss_fn, k: int, lr: float, adam_state: dict | None, betas=(0.5, 0.999),
           eps: float = 1e-8) -> dict:
    """k differentiable D updates from `params` (name -> tensor); returns the updated params dict.

    d_loss_fn(params) -> per-seed D loss (K,). The gradients are taken with create_graph=True, so G's loss
    on the result backpropagates through the updates into G (the fakes inside d_loss_fn depend on G).
    With `adam_state` (name -> dict with exp_avg, exp_avg_sq, step from torch.optim.Adam) the updates are
    Adam's, continuing from D's real optimiser state; without it, plain SGD with rate lr.
    √ is taken of v̂ + eps² rather than v̂ so its derivative stays finite where v̂ = 0.
    """
    b1, b2 = betas
    names = list(params)
    m = {n: adam_state[n]["exp_avg"] for n in names} if adam_state else None
    v = {n: adam_state[n]["exp_avg_sq"] for n in names} if adam_state else None
    t = int(next(iter(adam_state.values()))["step"]) if adam_state else 0
    for _ in range(k):
        loss = d_loss_fn(params).sum()
        grads = torch.autograd.grad(loss, [params[n] for n in names], create_graph=True)
        new = {}
        t += 1
        for n, g in zip(names, grads, strict=True):
            if m is None:
                new[n] = params[n] - lr * g
                continue
            m[n] = b1 * m[n] + (1 - b1) * g
            v[n] = b2 * v[n] + (1 - b2) * g * g
            m_hat, v_hat = m[n] / (1 - b1**t), v[n] / (1 - b2**t)
            new[n] = params[n] - lr * m_hat / ((v_hat + eps * eps).sqrt() + eps)
        params = new
    return params
