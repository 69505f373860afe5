"""GANConfig: validation of hostile values, a stable key, round trips."""
import dataclasses
import json
import math
import subprocess
import sys

import numpy as np
import pytest

from explainer.gan.config import GANConfig
from explainer.gan.presets import PRESETS
from tests.support.apptest import ROOT

POINTS = tuple((float(i), float(i % 3)) for i in range(12))


@pytest.mark.parametrize("field, value", [
    ("lr_g", float("nan")), ("lr_d", float("inf")), ("lr_g", 0.0), ("lr_d", -1e-3), ("lr_g", 1e9), ("lr_g", "0.1"),
    ("lr_g", True), ("steps", 1e99), ("steps", 0), ("steps", 10**7), ("steps", 2.5), ("steps", "100"),
    ("batch_size", 0), ("batch_size", -5), ("batch_size", 10**6), ("loss", "wasserstein"), ("loss", None),
    ("dataset", "cifar"), ("optimizer", "lbfgs"), ("pack", 0), ("pack", 5), ("unrolled_steps", 11),
    ("unrolled_steps", -1), ("minibatch_std", 1), ("spectral_norm", "yes"), ("instance_noise", -0.1),
    ("instance_noise", float("nan")), ("ema", 1.0), ("ema", -0.5), ("betas", (0.5,)), ("betas", (0.5, 1.0)),
    ("betas", "ab"), ("betas", (float("nan"), 0.9)), ("d_steps", 0), ("n_seeds", 0), ("n_seeds", 1000),
    ("seed", -1), ("z_dim", 0), ("g_width", 10**6), ("d_depth", 0), ("n_snapshots", 0), ("grid_size", 4),
    ("snapshot_samples", 10**6), ("device", "tpu"), ("arch", "dcgan"), ("points", POINTS),
    ("snapshot_spacing", "cubic"),
])
def test_hostile_values_are_rejected_naming_the_field(field, value):
    with pytest.raises(ValueError) as e:
        GANConfig(**{field: value})
    assert str(e.value).startswith(field + ":") or field in str(e.value)


def test_messages_name_the_range():
    with pytest.raises(ValueError, match=r"steps: must be an integer in 1\.\.1,000,000; got 1e\+99"):
        GANConfig(steps=1e99)
    with pytest.raises(ValueError, match=r"lr_g: must be a finite number in \(0, 100\]; got nan"):
        GANConfig(lr_g=float("nan"))
    with pytest.raises(ValueError, match="loss: must be one of minimax, nonsaturating, wgan-gp, hinge, lsgan"):
        GANConfig(loss="foo")


def test_cross_field_rules():
    with pytest.raises(ValueError, match="n_snapshots"):
        GANConfig(steps=5, n_snapshots=7)
    with pytest.raises(ValueError, match="points"):
        GANConfig(dataset="points")
    with pytest.raises(ValueError, match="points"):
        GANConfig(dataset="points", points=((0.0, float("nan")),) * 12)
    GANConfig(dataset="digits", arch="dcgan")


def test_frozen_hashable_and_normalised():
    c = GANConfig(lr_g=1, betas=[0.5, 0.9])
    assert c.lr_g == 1.0 and isinstance(c.lr_g, float) and c.betas == (0.5, 0.9)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.steps = 3
    assert {c: 1}[GANConfig(lr_g=1.0, betas=(0.5, 0.9))] == 1
    assert c.key() == GANConfig(lr_g=1.0, betas=(0.5, 0.9)).key()
    assert c.seeds == (0,) and GANConfig(seed=5, n_seeds=3).seeds == (5, 6, 7)


def test_round_trip_through_json():
    for c in [GANConfig(), GANConfig(dataset="points", points=POINTS), *PRESETS.values()]:
        back = GANConfig.from_dict(json.loads(json.dumps(c.to_dict())))
        assert back == c and back.key() == c.key()
    with pytest.raises(ValueError, match="unknown config field"):
        GANConfig.from_dict({"steps": 10, "learning_rate": 1})


def test_key_is_stable_and_sensitive():
    c = GANConfig(dataset="ring8", steps=1000, seed=3, n_seeds=4, pack=2, ema=0.999)
    assert len(c.key()) == 64 and int(c.key(), 16) >= 0
    # a fresh interpreter (another hash seed) gives the same key
    code = ("from explainer.gan.config import GANConfig;"
            "print(GANConfig(dataset='ring8', steps=1000, seed=3, n_seeds=4, pack=2, ema=0.999).key())")
    root = str(ROOT)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PYTHONPATH": root}, cwd=root)
    assert out.stdout.strip() == c.key()
    keys = {c.key(), c.replace(steps=1001).key(), c.replace(lr_g=1.1e-3).key(), c.replace(seed=4).key(),
            c.replace(minibatch_std=True).key(), c.replace(device="cpu").key()}
    assert len(keys) == 6
    assert GANConfig.SCHEMA >= 1 and GANConfig.MODEL == "gan"


def test_points_enter_the_key_by_content():
    a = GANConfig(dataset="points", points=POINTS)
    b = GANConfig(dataset="points", points=np.array(POINTS))
    c = GANConfig(dataset="points", points=POINTS[:-1] + ((99.0, 0.0),))
    assert a == b and a.key() == b.key() and a.key() != c.key()
    assert isinstance(b.points, tuple) and isinstance(hash(b), int)


def test_snapshot_steps_spread_and_end_at_the_last_step():
    for spacing in ("linear", "log"):
        for n in (1, 2, 5, 20):
            steps = GANConfig(steps=1000, n_snapshots=n, snapshot_spacing=spacing).snapshot_steps()
            assert steps[-1] == 1000 and steps == sorted(set(steps)) and len(steps) <= n
            assert (steps[0] == 0) == (n > 1)
    assert GANConfig(steps=4, n_snapshots=5).snapshot_steps() == [0, 1, 2, 3, 4]


def test_presets_are_valid_and_sized_as_promised():
    assert {"smoke", "vanilla", "collapse", "best", "minimax", "pacgan", "unrolled", "minibatch-std", "wgan-gp",
            "digits"} <= set(PRESETS)
    ring = [n for n, c in PRESETS.items() if c.dataset == "ring8"]
    assert set(ring) >= {"vanilla", "collapse", "best"}
    assert PRESETS["best"].steps <= 20000 and PRESETS["best"].n_seeds == 10 and PRESETS["collapse"].n_seeds == 10
    assert PRESETS["smoke"].steps <= 500
    assert all(math.isfinite(c.lr_g) for c in PRESETS.values())
