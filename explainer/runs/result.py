"""What any training run produces, as plain arrays and tables, so the run store can save it without pickle.

Topic-neutral: a GAN run, the digits CNN and a recipe experiment all end as a TrainResult. Arrays that differ
per seed have the seed index first (shape (K, ...)); a topic that trains one model has K = 1.

A config that can be trained follows explainer.runs.config.RunConfig; its train(run) gets an
explainer.runs.context.Run and returns a TrainResult.
"""
import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# How a run ended. A run is "diverged" when every seed diverged; seeds that diverged in an otherwise
# finished run are flagged per seed in `Snapshot`/`TrainResult.diverged`.
DONE, DIVERGED, CANCELLED = "done", "diverged", "cancelled"


@dataclass
class Snapshot:
    """The state of all K seeds at one step; `arrays` maps a name to an array with leading dim K.

    What the names are is the topic's business (e.g. a 2D GAN's "samples" (K, n, 2) and "d_grid" (K, g, g),
    see explainer.gan.snapshots).
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
    config_dict: dict  # config.to_dict(): enough to rebuild the config
    key: str  # config.key(): the cache key
    status: str  # DONE | DIVERGED | CANCELLED
    diverged: np.ndarray  # (K,) bool: which seeds hit NaN/inf and were stopped
    history: pd.DataFrame  # one row per logged step (and seed or run): e.g. step, seed, d_loss, g_loss
    snapshots: list[Snapshot]
    metrics: pd.DataFrame  # one row per seed (or run): its final scores
    weights: dict  # name -> torch.Tensor: the trained weights worth keeping (stacked over seeds), for safetensors
    extra: dict = field(default_factory=dict)  # small JSON-able facts: device, wall time, steps/s
    # Things derived from this result by its readers (e.g. the pages' figures), built once and shared. Never
    # saved. A finished result never changes and a retrain makes a new object, so the object is the cache key.
    derived: dict = field(default_factory=dict, repr=False, compare=False)


_DERIVED_LOCK = threading.Lock()
MAX_DERIVED_PER_RUN = 12  # things kept per finished run (a replay figure is ~1 MB: layer toggles × modes vary)


def derived(result: TrainResult, name: str, build, *args):
    """build() once per (result, name, args), kept on the result and shared by every reader (every session):
    a finished run then redraws without rebuilding its figures or models (see TrainResult.derived)."""
    key = (name, *args)
    cache = result.derived
    value = cache.get(key)
    if value is None:
        value = build()  # outside the lock: two readers may both build it once; both results are the same
        with _DERIVED_LOCK:
            while len(cache) >= MAX_DERIVED_PER_RUN:
                cache.pop(next(iter(cache)))
            cache[key] = value
    return value
