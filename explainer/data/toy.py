"""Toy 2D distributions, drawn with torch from an explicit generator (so a seed fixes the data stream).

The two Gaussian mixtures are the PacGAN benchmarks (Lin et al., "PacGAN: The power of two samples in
generative adversarial networks", NeurIPS 2018):

    ring8:  8 equal-weight Gaussians, means (cos 2πk/8, sin 2πk/8), k = 0..7, σ = 0.01
    grid25: 25 equal-weight Gaussians, means {-4,-2,0,2,4}², σ = 0.05

Mixtures expose `modes` (M, 2) and `sigma` for the mode-collapse metrics (explainer.gan.metrics).
"""
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

MIN_POINTS, MAX_POINTS = 10, 100_000  # accepted size of a user-given point set


@dataclass(frozen=True, eq=False)
class Toy2D:
    """A 2D distribution: `sample(n, gen)` -> float32 tensor (n, 2), plus what plots and metrics need."""
    name: str
    sample: Callable[[int, torch.Generator], torch.Tensor]
    view: tuple[float, float, float, float]  # square box (xmin, xmax, ymin, ymax): the data plus a margin
    modes: np.ndarray | None = None  # (M, 2) means, for mixtures only
    sigma: float | None = None  # per-axis standard deviation of every mixture component

    shape = (2,)
    is_image = False


def square_view(lo: np.ndarray, hi: np.ndarray, margin: float = 0.15) -> tuple[float, float, float, float]:
    """A square box around [lo, hi] with `margin` × the larger side added on every side (at least 0.25)."""
    centre = (np.asarray(lo, float) + np.asarray(hi, float)) / 2
    half = float(np.max(np.asarray(hi, float) - np.asarray(lo, float))) / 2
    half += max(margin * 2 * half, 0.25)
    return (float(centre[0] - half), float(centre[0] + half), float(centre[1] - half), float(centre[1] + half))


def mixture(name: str, modes: np.ndarray, sigma: float) -> Toy2D:
    """Equal-weight isotropic Gaussian mixture: pick a mean uniformly, add N(0, σ² I)."""
    means = torch.as_tensor(modes, dtype=torch.float32)

    def sample(n: int, gen: torch.Generator) -> torch.Tensor:
        k = torch.randint(len(means), (n,), generator=gen)
        return means[k] + sigma * torch.randn(n, 2, generator=gen)

    view = square_view(modes.min(0) - 3 * sigma, modes.max(0) + 3 * sigma)
    return Toy2D(name, sample, view, modes=np.asarray(modes, dtype=np.float64), sigma=sigma)


def ring8() -> Toy2D:
    k = np.arange(8)
    modes = np.stack([np.cos(2 * np.pi * k / 8), np.sin(2 * np.pi * k / 8)], axis=1)
    return mixture("ring8", modes, 0.01)


def grid25() -> Toy2D:
    axis = np.array([-4.0, -2.0, 0.0, 2.0, 4.0])
    modes = np.array([(x, y) for x in axis for y in axis])
    return mixture("grid25", modes, 0.05)


def spiral(noise: float = 0.03) -> Toy2D:
    """Two turns of an Archimedean spiral out to radius 2: θ = 4π√u, r = θ/2π, plus N(0, noise²)."""
    def sample(n: int, gen: torch.Generator) -> torch.Tensor:
        theta = 4 * math.pi * torch.rand(n, generator=gen).sqrt()  # √u spreads points evenly along the arc
        r = theta / (2 * math.pi)
        xy = torch.stack([r * torch.cos(theta), r * torch.sin(theta)], dim=1)
        return xy + noise * torch.randn(n, 2, generator=gen)

    return Toy2D("spiral", sample, square_view(np.array([-2.0, -2.0]), np.array([2.0, 2.0])))


def two_moons_xy(t, upper, xp=np):
    """Points of scikit-learn's two interleaving half circles, shifted to be centred on the origin: at angle
    t ∈ [0, π] on the upper moon where `upper` is true, else on the lower one. `xp` is numpy or torch (the GAN's
    data and the playground's labelled points both draw their moons here)."""
    x = xp.where(upper, xp.cos(t), 1 - xp.cos(t)) - 0.5
    y = xp.where(upper, xp.sin(t), 0.5 - xp.sin(t)) - 0.25
    return xp.stack([x, y], 1)


def moons(noise: float = 0.05) -> Toy2D:
    """Two interleaved half circles (as scikit-learn's make_moons), shifted to be centred on the origin."""
    def sample(n: int, gen: torch.Generator) -> torch.Tensor:
        t = math.pi * torch.rand(n, generator=gen)
        upper = torch.rand(n, generator=gen) < 0.5
        return two_moons_xy(t, upper, torch) + noise * torch.randn(n, 2, generator=gen)

    return Toy2D("moons", sample, square_view(np.array([-1.5, -0.75]), np.array([1.5, 1.25])))


def circles(noise: float = 0.03) -> Toy2D:
    """Two concentric circles, radii 1 and 0.5, equal weight, plus N(0, noise²)."""
    def sample(n: int, gen: torch.Generator) -> torch.Tensor:
        t = 2 * math.pi * torch.rand(n, generator=gen)
        r = torch.where(torch.rand(n, generator=gen) < 0.5, 1.0, 0.5)
        xy = torch.stack([r * torch.cos(t), r * torch.sin(t)], dim=1)
        return xy + noise * torch.randn(n, 2, generator=gen)

    return Toy2D("circles", sample, square_view(np.array([-1.0, -1.0]), np.array([1.0, 1.0])))


def validate_points(points) -> np.ndarray:
    """User-given points as a float64 array (n, 2); ValueError unless finite, 2 columns, 10..100,000 rows."""
    try:
        arr = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"points: expected an array of numbers with 2 columns ({e})") from None
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"points: expected shape (n, 2), got {arr.shape}")
    if not MIN_POINTS <= len(arr) <= MAX_POINTS:
        raise ValueError(f"points: expected {MIN_POINTS:,}..{MAX_POINTS:,} rows, got {len(arr):,}")
    if not np.isfinite(arr).all():
        raise ValueError("points: every coordinate must be finite (no NaN or inf)")
    return arr


def points(data) -> Toy2D:
    """The empirical distribution of user-given points: each sample is one of them, drawn uniformly."""
    arr = validate_points(data)
    table = torch.as_tensor(arr, dtype=torch.float32)

    def sample(n: int, gen: torch.Generator) -> torch.Tensor:
        return table[torch.randint(len(table), (n,), generator=gen)]

    return Toy2D("points", sample, square_view(arr.min(0), arr.max(0)))


TOY_2D = {"ring8": ring8, "grid25": grid25, "spiral": spiral, "moons": moons, "circles": circles}
