"""Mode-collapse metrics (PacGAN/VEEGAN protocol) and the digits classifier."""
import math

import numpy as np
import pytest
import torch

from explainer.data import grid25, ring8, split_digits
from explainer.gan import classifier
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


def test_digits_classifier_is_accurate_and_kept_once_per_process(monkeypatch):
    monkeypatch.setattr(classifier, "_loaded", None)
    clf = classifier.load_classifier()  # the shipped run
    assert clf.test_accuracy >= 0.97
    assert classifier.load_classifier() is clf
    _, _, x_te, y_te = split_digits()
    probs = clf.predict_proba(x_te)
    assert (probs.argmax(1) == y_te).mean() == pytest.approx(clf.test_accuracy)
    table = classifier.digit_scores(x_te[None])
    assert table.classes_covered[0] == 10 and table.min_class_share[0] > 0.05
    assert table.confident_share[0] > 0.8


def test_digit_score_by_hand():
    probs = np.zeros((4, 10))
    probs[0, 3] = 1.0
    probs[1, 3] = 0.95
    probs[1, 2] = 0.05
    probs[2, 7] = 0.6
    probs[2, 1] = 0.4
    probs[3, 7] = 0.91
    probs[3, 0] = 0.09
    s = classifier.digit_score(probs)
    assert s["classes_covered"] == 2 and s["min_class_share"] == 0 and s["confident_share"] == 0.75
    assert s["class_3"] == 0.5 and s["class_7"] == 0.5


def test_a_missing_classifier_run_is_trained_and_stored(tmp_path, monkeypatch):
    from explainer.runs import store as run_store

    store = run_store.RunStore(tmp_path, readonly=[])  # no shipped presets
    monkeypatch.setattr(run_store, "default_store", lambda: store)
    monkeypatch.setattr(classifier, "_loaded", None)
    fake_state = {k: torch.zeros_like(v) for k, v in classifier._net().state_dict().items()}
    monkeypatch.setattr(classifier, "train_classifier", lambda epochs, seed: (fake_state, 0.5))
    assert classifier.load_classifier().test_accuracy == 0.5
    stored = store.load(classifier.ClassifierConfig().key())
    assert stored is not None and float(stored.metrics["test_accuracy"].iloc[0]) == 0.5
    monkeypatch.setattr(classifier, "_loaded", None)
    monkeypatch.setattr(classifier, "train_classifier", lambda epochs, seed: pytest.fail("trained twice"))
    assert classifier.load_classifier().test_accuracy == 0.5  # read back from the store
