"""Adversarial examples for the digits CNN: FGSM and a few-step PGD.

- FGSM (Goodfellow, Shlens & Szegedy, ICLR 2015): x_adv = clip(x + ε·sign(∇ₓ L(x, y))), one gradient step.
- PGD (Madry, Makelov, Schmidt, Tsipras & Vladu, ICLR 2018): `PGD_STEPS` steps of size α = 2.5·ε/steps, each
  followed by projection back onto the ε-box around x (and the pixel range).

ε is a fraction of the pixel range (the digits' pixels run 0..16, so ε = 0.1 moves each pixel by up to 1.6).
"""
import numpy as np
import torch
from torch.nn import functional as F

from explainer.deep_learning.cnn import _as_batch
from explainer.threads import one_thread

PIXEL_MAX = 16.0
PGD_STEPS = 5
EPSILONS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
ATTACKS = {"fgsm": "FGSM (one step)", "pgd": f"PGD ({PGD_STEPS} steps)"}


def _gradient_sign(model, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    x = x.clone().requires_grad_()
    loss = F.cross_entropy(model(x), y)
    (grad,) = torch.autograd.grad(loss, x)
    return grad.sign()


def attack(model, images, labels, epsilon: float, method: str = "fgsm") -> np.ndarray:
    """Adversarial versions (n, 8, 8) in 0..16 of `images` (n, 8, 8) for their true `labels`, within ε·16 per
    pixel (L∞)."""
    if method not in ATTACKS:
        raise ValueError(f"unknown attack {method!r}: choose one of {', '.join(ATTACKS)}")
    if not 0 <= epsilon <= 1:
        raise ValueError(f"ε must be between 0 and 1 (a fraction of the pixel range), got {epsilon}")
    x0 = _as_batch(images)
    y = torch.as_tensor(np.asarray(labels), dtype=torch.long).reshape(-1)
    eps = epsilon * PIXEL_MAX
    model.eval()
    with one_thread():
        if method == "fgsm":
            x = x0 + eps * _gradient_sign(model, x0, y)
        else:
            x, alpha = x0.clone(), 2.5 * eps / PGD_STEPS
            for _ in range(PGD_STEPS):
                x = x + alpha * _gradient_sign(model, x, y)
                x = torch.max(torch.min(x, x0 + eps), x0 - eps)
                x = x.clamp(0, PIXEL_MAX)
        x = x.clamp(0, PIXEL_MAX).detach()
    return x[:, 0].numpy()


def accuracy_curve(model, images, labels, epsilons=EPSILONS, methods=tuple(ATTACKS)) -> dict[str, np.ndarray]:
    """Test accuracy under each attack at each ε: {method: (len(epsilons),)}."""
    labels = np.asarray(labels)
    out = {}
    for method in methods:
        acc = []
        for eps in epsilons:
            adv = attack(model, images, labels, eps, method) if eps > 0 else np.asarray(images)
            with torch.no_grad(), one_thread():
                acc.append(float((model(_as_batch(adv)).argmax(1).numpy() == labels).mean()))
        out[method] = np.array(acc)
    return out


def confidence_curve(model, image, label: int, epsilons=EPSILONS, method: str = "fgsm") -> np.ndarray:
    """(len(epsilons), 10) the softmax of one image's adversarial versions, ε by ε (attacking `label`)."""
    advs = np.stack([attack(model, image[None], [label], eps, method)[0] if eps > 0 else image for eps in epsilons])
    with torch.no_grad(), one_thread():
        return torch.softmax(model(_as_batch(advs)), dim=1).numpy()


def success_rate(model, images, labels, epsilon: float, method: str) -> tuple[float, int]:
    """(the share of the test digits the network reads correctly that the attack at `epsilon` makes it misread,
    how many it reads correctly): how often the attack succeeds, counted only where there was something to flip."""
    labels = np.asarray(labels)
    with torch.no_grad(), one_thread():
        right = model(_as_batch(np.asarray(images))).argmax(1).numpy() == labels
    if not right.any() or epsilon == 0:
        return 0.0, int(right.sum())
    adv = attack(model, np.asarray(images)[right], labels[right], epsilon, method)
    with torch.no_grad(), one_thread():
        flipped = model(_as_batch(adv)).argmax(1).numpy() != labels[right]
    return float(flipped.mean()), int(right.sum())
