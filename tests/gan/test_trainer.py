"""The batched trainer: documented shapes, determinism, divergence, cancellation, progress, sampling."""
import threading

import numpy as np
import pandas as pd
import pytest
import torch

from explainer.data import ring8
from explainer.gan import trainer
from explainer.gan.config import GANConfig
from explainer.gan.metrics import N_EVAL, mixture_scores
from explainer.gan.presets import PRESETS
from explainer.gan.sampling import generate
from explainer.gan.snapshots import N_IMAGES, Z_GRID
from explainer.runs import context
from explainer.runs.jobs import execute
from explainer.runs.result import CANCELLED, DIVERGED, DONE, Progress

pytestmark = pytest.mark.usefixtures("torch_one_thread")


TINY = GANConfig(g_width=16, d_width=16, batch_size=32, steps=60, n_seeds=2, n_snapshots=3, snapshot_samples=64,
                 grid_size=16, device="cpu")  # the CPU path, which is deterministic, on any machine


def test_smoke_preset_trains_with_documented_shapes():
    config = PRESETS["smoke"].replace(device="cpu")
    seen = []
    result = execute(config, seen.append)
    k, n, g = config.n_seeds, config.snapshot_samples, config.grid_size
    assert result.status == DONE and result.key == config.key() and result.config_dict == config.to_dict()
    assert result.diverged.shape == (k,) and not result.diverged.any()
    assert [s.step for s in result.snapshots] == config.snapshot_steps()
    for snap in result.snapshots:
        a = snap.arrays
        assert a["samples"].shape == (k, n, 2) and a["samples"].dtype == np.float32
        assert a["d_grid"].shape == (k, g, g) and ((a["d_grid"] >= 0) & (a["d_grid"] <= 1)).all()
        assert a["g_grid"].shape == (k, Z_GRID, Z_GRID, 2)
        assert a["arrows_xy"].shape == a["arrows_uv"].shape == (k, 100, 2)
        for name in ("modes_covered", "high_quality", "reverse_kl", "diverged"):
            assert a[name].shape == (k,)
    h = result.history
    assert {"step", "seed", "d_loss", "g_loss", "modes_covered"} <= set(h.columns)
    assert h.step.max() == config.steps and set(h.seed) == set(config.seeds)
    assert h.loc[h.step > 0, ["d_loss", "g_loss"]].notna().all().all()
    m = result.metrics
    assert len(m) == k and list(m.seed) == list(config.seeds)
    assert {"modes_covered", "high_quality", "reverse_kl", "diverged"} <= set(m.columns)
    assert {"G.net.layers.0.weight"} <= set(result.weights) and result.weights["G.net.layers.0.weight"].shape[0] == k
    assert all(isinstance(p, Progress) for p in seen) and seen[-1].step == config.steps
    assert sum(p.snapshot is not None for p in seen) == len(result.snapshots)
    assert result.extra["view"][1] > 1 and result.extra["d_grid_kind"] == "probability"


def test_cpu_training_is_deterministic():
    config = TINY.replace(pack=2, minibatch_std=True, instance_noise=0.1, ema=0.9)
    a, b = execute(config), execute(config)
    pd.testing.assert_frame_equal(a.history, b.history)
    pd.testing.assert_frame_equal(a.metrics, b.metrics)
    for name in a.weights:
        assert torch.equal(a.weights[name], b.weights[name])
    np.testing.assert_array_equal(a.snapshots[-1].arrays["d_grid"], b.snapshots[-1].arrays["d_grid"])


def test_a_seed_trains_the_same_beside_others():
    # seed 1 inside (0, 1, 2) vs alone: same init and data; float sums may differ in the last bits only
    alone = execute(TINY.replace(seed=1, n_seeds=1, steps=20))
    batch = execute(TINY.replace(seed=0, n_seeds=3, steps=20))
    h_alone = alone.history.query("step > 0").reset_index(drop=True)
    h_batch = batch.history.query("seed == 1 and step > 0").reset_index(drop=True)
    np.testing.assert_allclose(h_batch.d_loss, h_alone.d_loss, rtol=1e-3)


@pytest.mark.parametrize("changes", [
    dict(lr_g=10.0, lr_d=10.0, optimizer="sgd"),
    dict(lr_g=10.0, lr_d=10.0),  # Adam: stays finite, but D's logits blow up past 1e6
    dict(lr_g=10.0, lr_d=10.0, loss="lsgan", optimizer="rmsprop"),
])
def test_diverging_config_ends_diverged_without_exception(changes):
    config = TINY.replace(steps=300, **changes)
    result = execute(config)
    assert result.status == DIVERGED and result.diverged.all()
    assert result.metrics.modes_covered.isna().all()
    assert (result.metrics.steps_trained < config.steps).all()
    assert result.history.step.max() < config.steps


def test_one_poisoned_seed_is_frozen_and_the_others_are_untouched(monkeypatch):
    config = TINY.replace(steps=80, n_seeds=3)
    clean = execute(config)
    original = trainer._Training._g_step

    def poisoned(self, batch, t, sigma):
        out = original(self, batch, t, sigma)
        if t == 30:
            with torch.no_grad():
                next(self.g.parameters())[1].fill_(float("nan"))
        return out

    monkeypatch.setattr(trainer._Training, "_g_step", poisoned)
    result = execute(config)
    assert result.status == DONE and result.diverged.tolist() == [False, True, False]
    m = result.metrics
    assert np.isnan(m.modes_covered[1]) and m.steps_trained[1] == 32 and not m.modes_covered[[0, 2]].isna().any()
    h, hc = result.history, clean.history
    assert h.query("seed == 1 and step > 32").d_loss.isna().all()
    for seed in (0, 2):  # bit-identical: the seeds share no arithmetic
        ours, theirs = h[h.seed == seed].reset_index(drop=True), hc[hc.seed == seed].reset_index(drop=True)
        pd.testing.assert_frame_equal(ours, theirs)
    for w in result.weights.values():
        assert torch.isfinite(w).all()  # the poisoned seed was restored to its last finite weights
    final = result.snapshots[-1].arrays
    assert final["diverged"].tolist() == [False, True, False] and np.isfinite(final["samples"]).all()


def test_stop_event_cancels_within_a_step():
    stop = threading.Event()
    steps_seen = []

    def progress(p):
        steps_seen.append(p.step)
        if p.step >= 5:
            stop.set()

    config = TINY.replace(steps=100_000, n_snapshots=2)
    result = execute(config, progress, stop)
    assert result.status == CANCELLED and result.weights == {}  # nothing kept: the registry stores none
    assert steps_seen[-1] < 100_000


def test_stop_before_start():
    stop = threading.Event()
    stop.set()
    seen = []
    result = execute(TINY, seen.append, stop=stop)
    assert result.status == CANCELLED and seen == []


def test_progress_is_reported_on_the_clock_and_at_snapshots(monkeypatch):
    config = TINY.replace(steps=40, n_snapshots=3)
    every = []
    monkeypatch.setattr(context, "REPORT_EVERY_S", 0.0)  # due after every step
    execute(config, every.append)
    assert [p.step for p in every] == list(range(config.steps + 1))
    assert [p.step for p in every if p.snapshot is not None] == config.snapshot_steps()
    assert np.isnan(every[0].losses["d_loss"]) and np.isfinite(every[-1].losses["g_loss"])
    rare = []
    monkeypatch.setattr(context, "REPORT_EVERY_S", 1e9)  # only step 1 (a first count at once), snapshots, the end
    execute(config, rare.append)
    assert [p.step for p in rare] == sorted({1, *config.snapshot_steps()})


def test_generate_reproduces_the_metric_samples():
    config = TINY.replace(ema=0.9)
    result = execute(config)
    x = generate(config, result.weights, N_EVAL)
    assert x.shape == (2, N_EVAL, 2)
    ring = ring8()
    scores = mixture_scores(x, ring.modes, ring.sigma)
    pd.testing.assert_frame_equal(scores.astype(float), result.metrics[scores.columns].astype(float))
    assert not np.allclose(x, generate(config, result.weights, N_EVAL, ema=False))


@pytest.mark.parametrize("changes", [
    dict(loss="wgan-gp", d_steps=2), dict(loss="hinge", spectral_norm=True), dict(loss="lsgan", optimizer="rmsprop"),
    dict(loss="minimax", unrolled_steps=2, steps=15), dict(pack=3, minibatch_std=True, unrolled_steps=1, steps=15),
    dict(dataset="spiral", z_dim=3, snapshot_spacing="log"),
    dict(dataset="points", points=((0.0, 1.0),) * 5 + ((2.0, 3.0),) * 5),
])
def test_every_loss_and_remedy_trains(changes):
    config = TINY.replace(**changes)
    result = execute(config)
    assert result.status == DONE and not result.diverged.any()
    last = result.snapshots[-1].arrays
    assert np.isfinite(last["samples"]).all() and last["arrows_uv"].shape[1] % config.pack == 0
    assert result.history[["d_loss", "g_loss"]].iloc[len(config.seeds):].notna().all().all()


@pytest.mark.parametrize("arch", ["mlp", "dcgan"])
def test_image_gan_snapshots(arch):
    config = GANConfig(dataset="digits", arch=arch, z_dim=8, g_width=16, d_width=16, batch_size=16, steps=10,
                       n_seeds=2, n_snapshots=2, ema=0.9, pack=2, minibatch_std=True, device="cpu")
    result = execute(config)
    assert result.status == DONE
    for snap in result.snapshots:
        for name in ("images", "images_ema"):
            img = snap.arrays[name]
            assert img.shape == (2, N_IMAGES, 8, 8) and img.min() >= 0 and img.max() <= 1
        assert snap.arrays["classes_covered"].shape == (2,)
    assert {"classes_covered", "min_class_share", "confident_share", "class_9"} <= set(result.metrics.columns)
    assert generate(config, result.weights, 5).shape == (2, 5, 1, 8, 8)


def test_the_gan_trainer_reports_step_1_as_soon_as_it_is_set_up():
    """A watcher's first step count comes after set-up and one step, not PROGRESS_EVERY_S later: the reports
    begin with step 0 (with the first snapshot) and then step 1, before any later step."""
    from explainer.gan.presets import PRESETS
    from explainer.runs.jobs import execute

    reports = []
    execute(PRESETS["lab"].replace(steps=30, n_snapshots=2, grid_size=8, snapshot_samples=32, device="cpu"),
            reports.append)
    assert [r.step for r in reports[:2]] == [0, 1]
    assert reports[0].snapshot is not None and reports[1].snapshot is None
