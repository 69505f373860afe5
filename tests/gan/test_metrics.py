"""Mode-collapse metrics (PacGAN/VEEGAN protocol)."""
import math

import numpy as np
import pytest
import torch

from explainer.data import grid25, ring8
from explainer.gan.metrics import N_EVAL, mixture_score, mixture_scores, reverse_kl


def true_samples(data, n=N_EVAL, seed=0):
    return data.sample(n, torch.Generator().manual_seed(seed)).numpy()


def test_true_ring_samples_score_8_of_8_and_98_9_percent():
    ring = ring8()
    hq = []
    for seed in range(4):
        s = mixture_score(true_samples(ring, seed=seed), ring.modes, ring.sigma)
        assert s["modes_covered"] == 8
        assert s["reverse_kl"] < 0.01
        hq.append(s["high_quality"])
    # P(‖x − μ‖ < 3σ) for a 2D Gaussian = 1 − exp(−9/2)
    assert np.mean(hq) == pytest.approx(1 - math.exp(-4.5), abs=0.004)


def test_true_grid_samples_cover_25():
    grid = grid25()
    assert mixture_score(true_samples(grid), grid.modes, grid.sigma)["modes_covered"] == 25


def test_three_modes_score_three():
    ring = ring8()
    x = true_samples(ring)
    nearest = np.linalg.norm(x[:, None] - ring.modes[None], axis=2).argmin(1)
    s = mixture_score(x[np.isin(nearest, [0, 3, 5])], ring.modes, ring.sigma)
    assert s["modes_covered"] == 3
    assert s["reverse_kl"] == pytest.approx(math.log(8 / 3), abs=0.02)  # ≈ uniform over 3 of 8


def test_reverse_kl_by_hand():
    ring = ring8()
    # 2 samples on mode 0, 1 on mode 1, 1 on mode 2, and 1 far away (low quality)
    x = np.array([ring.modes[0], ring.modes[0], ring.modes[1], ring.modes[2], [5.0, 5.0]])
    s = mixture_score(x, ring.modes, ring.sigma)
    p = np.array([0.5, 0.25, 0.25])
    hand = float(np.sum(p * np.log(p / (1 / 8))))  # = ln 8 + Σ p ln p ≈ 1.0397
    assert s["reverse_kl"] == pytest.approx(hand, rel=1e-12)
    assert hand == pytest.approx(1.0397, abs=1e-4)
    assert s["modes_covered"] == 3 and s["high_quality"] == pytest.approx(0.8)


def test_reverse_kl_edge_cases():
    assert reverse_kl(np.full(8, 7)) == pytest.approx(0.0)
    assert reverse_kl(np.array([5, 0, 0, 0, 0, 0, 0, 0])) == pytest.approx(math.log(8))
    assert math.isnan(reverse_kl(np.zeros(8)))


def test_boundary_and_non_finite_samples():
    ring = ring8()
    mu = ring.modes[2]
    x = np.array([mu + [0.0299, 0], mu + [0.0301, 0], [np.nan, 0.0], [np.inf, np.inf]])
    s = mixture_score(x, ring.modes, ring.sigma)
    assert s["high_quality"] == pytest.approx(0.25) and s["modes_covered"] == 1


def test_scores_table_has_one_row_per_seed():
    ring = ring8()
    x = np.stack([true_samples(ring, 500, seed) for seed in range(3)])
    table = mixture_scores(x, ring.modes, ring.sigma)
    assert list(table.columns) == ["modes_covered", "high_quality", "reverse_kl"] and len(table) == 3
