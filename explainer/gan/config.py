"""GANConfig: everything that defines a training run, frozen and validated, with a stable cache key.

A RunConfig (explainer.runs.config) like every trainable config: two configs with the same fields train the same
thing, so `key()` names the run in the store. Bump SCHEMA whenever training changes meaning.
"""
import hashlib
from dataclasses import dataclass

import numpy as np

from explainer.checks import Choice, Each, Flag, Range
from explainer.data import DATASETS, IMAGE_DATASETS
from explainer.data.toy import validate_points
from explainer.runs.config import DEVICES, RunConfig

LOSSES = ("minimax", "nonsaturating", "wgan-gp", "hinge", "lsgan")
OPTIMIZERS = ("adam", "sgd", "rmsprop")
ARCHS = ("mlp", "dcgan")
SPACINGS = ("linear", "log")

# name -> what the field must be (explainer/checks.py)
INT_RANGES = {
    "g_width": (4, 1024), "g_depth": (1, 6), "d_width": (4, 1024), "d_depth": (1, 6), "z_dim": (1, 128),
    "pack": (1, 4), "unrolled_steps": (0, 10), "d_steps": (1, 10), "batch_size": (2, 4096),
    "steps": (1, 1_000_000), "seed": (0, 2**31 - 1), "n_seeds": (1, 64), "n_snapshots": (1, 200),
    "snapshot_samples": (16, 2500), "grid_size": (8, 128),
}
CHOICES = {
    "dataset": DATASETS, "arch": ARCHS, "loss": LOSSES, "optimizer": OPTIMIZERS, "device": DEVICES,
    "snapshot_spacing": SPACINGS,
}
RULES = {
    **{name: Choice(options) for name, options in CHOICES.items()},
    **{name: Range(lo, hi, int) for name, (lo, hi) in INT_RANGES.items()},
    "lr_g": Range(0.0, 100.0, lo_open=True), "lr_d": Range(0.0, 100.0, lo_open=True),
    "instance_noise": Range(0.0, 10.0), "ema": Range(0.0, 0.9999),
    "minibatch_std": Flag(), "spectral_norm": Flag(),
    "betas": Each(Range(0.0, 0.9999), length=2),
}


@dataclass(frozen=True)
class GANConfig(RunConfig):
    """One GAN training run, for `n_seeds` seeds (seed, seed+1, ...) trained together.

    Remedies: `pack` m (PacGAN: D judges m samples at once; 1 = off), `unrolled_steps` k (G looks k D
    updates ahead; 0 = off), `minibatch_std`, `instance_noise` (initial σ of Gaussian noise added to D's
    inputs, annealed linearly to 0 at the last step), `spectral_norm` (on D), `ema` (decay of an exponential
    moving average of G's weights used for evaluation; 0 = off). Two time-scales = lr_g ≠ lr_d.

    `steps` counts G updates; each does `d_steps` D updates. `batch_size` counts D's inputs per side: with
    packing, D sees batch_size packs of `pack` samples each (as the PacGAN code does), so G makes
    batch_size × pack samples per update. `betas` apply to Adam only. `arch` "dcgan" is for images only.
    `points` holds the user's (x, y) points for dataset "points" and must be empty otherwise.
    `device` is a field here (the CLI may force one); "auto" trains on the best device found.
    """
    MODEL, SCHEMA, RULES = "gan", 2, RULES  # schema 2: fused Adam (same update, other rounding)
    dataset: str = "ring8"
    points: tuple[tuple[float, float], ...] = ()
    arch: str = "mlp"
    g_width: int = 64
    g_depth: int = 2
    d_width: int = 64
    d_depth: int = 2
    z_dim: int = 2
    loss: str = "nonsaturating"
    pack: int = 1
    unrolled_steps: int = 0
    minibatch_std: bool = False
    instance_noise: float = 0.0
    spectral_norm: bool = False
    ema: float = 0.0
    optimizer: str = "adam"
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    betas: tuple[float, float] = (0.5, 0.999)
    d_steps: int = 1
    batch_size: int = 256
    steps: int = 2000
    seed: int = 0
    n_seeds: int = 1
    n_snapshots: int = 10
    snapshot_spacing: str = "linear"
    snapshot_samples: int = 512  # 2D: generated points kept per seed per snapshot
    grid_size: int = 48  # 2D: D's output is kept on a grid_size × grid_size grid
    device: str = "auto"  # a policy, not the device found: "auto" = cuda > mps > cpu

    def validate(self) -> None:
        self._check_points()
        if self.arch == "dcgan" and self.dataset not in IMAGE_DATASETS:
            raise ValueError(f"arch: dcgan needs an image dataset ({', '.join(IMAGE_DATASETS)}); got {self.dataset!r}")
        if self.n_snapshots > self.steps + 1:
            raise ValueError(f"n_snapshots: must be at most steps + 1 = {self.steps + 1:,}; got {self.n_snapshots}")

    def _check_points(self) -> None:
        if self.dataset != "points":
            if len(self.points):
                raise ValueError(f"points: only used with dataset 'points'; got {len(self.points)} points")
            object.__setattr__(self, "points", ())
            return
        if not len(self.points):
            raise ValueError("points: dataset 'points' needs 10..100,000 (x, y) points; got none")
        arr = validate_points(self.points)
        object.__setattr__(self, "points", tuple((float(x), float(y)) for x, y in arr))  # frozen: set once, here

    # ---- derived facts -------------------------------------------------------------------------------
    @property
    def seeds(self) -> tuple[int, ...]:
        return tuple(self.seed + i for i in range(self.n_seeds))

    @property
    def is_image(self) -> bool:
        return self.dataset in IMAGE_DATASETS

    def predicted_s(self) -> float:
        """Seconds to train on one CPU thread of the development machine (explainer.runs.cost): a fixed cost per
        optimiser step (G's, each D step's, each unrolled step's) plus the matrix products, which grow with
        seeds × batch × pack × (width² × depth); fitted to the Lab's preset (≈ 5 ms a step) and to a 256-wide,
        4-deep, batch-512, 5-D-step, 10-unrolled, pack-4 run (≈ 0.9 s a step)."""
        optimiser_steps = 1 + self.d_steps + self.unrolled_steps
        g, d = self.g_width ** 2 * self.g_depth, self.d_width ** 2 * self.d_depth
        d_passes = 1 + 2 * (self.d_steps + self.unrolled_steps)  # through G's loss, real and fake per D step
        products = 3 * self.n_seeds * self.batch_size * self.pack * (g + d * d_passes)
        return self.steps * (2.4e-3 * optimiser_steps + 1.7e-11 * products)

    def snapshot_steps(self) -> list[int]:
        """Sorted G-step counts at which snapshots are taken: spread over [0, steps], always ending at steps.

        "linear": evenly spaced; "log": geometric spacing, so early training (where most happens) gets more.
        Step 0 (the untrained models) is included whenever there are at least 2 snapshots.
        """
        n, steps = self.n_snapshots, self.steps
        if n == 1:
            return [steps]
        if self.snapshot_spacing == "linear":
            picks = np.linspace(0, steps, n)
        else:
            picks = np.concatenate([[0], np.geomspace(1, steps, n)[1:]])
        return sorted({int(round(p)) for p in picks} | {steps})

    # ---- the cache key and training ------------------------------------------------------------------------
    def key_fields(self) -> dict:
        """User points enter the key as the sha256 of their float64 little-endian bytes, so long sets hash fast."""
        d = self.to_dict()
        pts = np.asarray(self.points, dtype="<f8").reshape(-1, 2)
        d["points"] = hashlib.sha256(pts.tobytes()).hexdigest() if len(pts) else ""
        return d

    def train(self, run):
        """Train every seed of this config (explainer.gan.trainer)."""
        from explainer.gan.trainer import train  # late: a config is cheap to import, the trainer is not

        return train(self, run)
