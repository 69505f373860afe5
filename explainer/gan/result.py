"""What a training run produces, as plain arrays and tables, so the run store can save it without pickle.

Every array that differs per seed has the seed index first (shape (K, ...)), because the trainer
trains K seeds of one config together.
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# How a run ended. A run is "diverged" when every seed diverged; seeds that diverged in an otherwise
# finished run are flagged per seed in `Snapshot`/`TrainResult.diverged`.
DONE, DIVERGED, CANCELLED = "done", "diverged", "cancelled"


@dataclass
class Snapshot:
    """The state of all K seeds at one step; `arrays` maps a name to an array with leading dim K.

    2D runs: "samples" (K, n, 2), "d_grid" (K, g, g) D's output on a square grid, "g_grid" (K, m, m, 2)
    G's image of a grid in z-space (the warped manifold), "arrows_xy"/"arrows_uv" (K, a, 2) generator
    gradient arrows. Image runs: "images" (K, n, H, W) in [0, 1] from a fixed z.
    """
    step: int
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class Progress:
    """What a running job reports through its callback; read by other threads, so treat as immutable."""
    step: int
    total_steps: int
    elapsed_s: float
    losses: dict[str, float]  # mean over live seeds, e.g. {"d_loss": ..., "g_loss": ...}
    snapshot: Snapshot | None = None  # the newest snapshot, when one was just taken


@dataclass
class TrainResult:
    config_dict: dict  # GANConfig.to_dict(): enough to rebuild the config
    key: str  # GANConfig.key(): the cache key
    status: str  # DONE | DIVERGED | CANCELLED
    diverged: np.ndarray  # (K,) bool: which seeds hit NaN/inf and were stopped
    history: pd.DataFrame  # one row per (logged step, seed): columns step, seed, d_loss, g_loss, ...
    snapshots: list[Snapshot]
    metrics: pd.DataFrame  # one row per seed: final metrics (modes_covered, high_quality, reverse_kl, ...)
    weights: dict  # name -> torch.Tensor (stacked over seeds): G (and EMA G) weights, for safetensors
    extra: dict = field(default_factory=dict)  # small JSON-able facts: device, wall time, steps/s
    # Things derived from this result by its readers (e.g. the pages' figures), built once and shared. Never
    # saved. A finished result never changes and a retrain makes a new object, so the object is the cache key.
    derived: dict = field(default_factory=dict, repr=False, compare=False)
