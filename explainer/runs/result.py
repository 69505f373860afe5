"""What any training run produces, as plain arrays and tables, so the run store can save it without pickle.

Topic-neutral: a GAN run, the digits CNN and a recipe experiment all end as a TrainResult. Arrays that differ
per seed have the seed index first (shape (K, ...)); a topic that trains one model has K = 1.

A config that can be trained has the contract the job registry relies on:
    key() -> str                         the content address of its run (stable hash, schema version inside)
    to_dict() -> dict                    JSON-able, enough to rebuild it
    steps: int                           the progress units it reports (G steps, epochs, ...)
    train(progress=None, stop=None) -> TrainResult
                                         progress(Progress) as it goes; returns CANCELLED soon after stop is set
"""
import hashlib
import json
import threading
import time
from dataclasses import asdict, dataclass, field

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


def cancelled(config) -> TrainResult:
    """What a train() returns when its stop event was set: nothing worth keeping (the registry stores none)."""
    return TrainResult(config_dict=config.to_dict(), key=config.key(), status=CANCELLED, diverged=np.zeros(0, bool),
                       history=pd.DataFrame(), snapshots=[], metrics=pd.DataFrame(), weights={})


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


def content_key(identity: dict, settings: dict) -> str:
    """A run's content address: the sha256 of the canonical JSON of what it is (`identity`: the model and its
    schema version) and how it was set (`settings`: the config's fields). Bump the schema: a new key."""
    text = json.dumps({**identity, **settings}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class RunConfig:
    """Mixin for a frozen dataclass config: `to_dict()` is its fields, `key()` their content key under the
    class's `identity()` (the model and its schema version)."""

    def check_ranges(self, ranges: dict[str, tuple[float, float]]) -> None:
        """Raise ValueError naming the first field outside its (lo, hi) in `ranges` (for __post_init__)."""
        for name, (lo, hi) in ranges.items():
            if not lo <= getattr(self, name) <= hi:
                raise ValueError(f"{name} must be in {lo}..{hi}, got {getattr(self, name)}")

    def identity(self) -> dict:
        raise NotImplementedError

    def to_dict(self) -> dict:
        return asdict(self)

    def key(self) -> str:
        return content_key(self.identity(), self.to_dict())


class ProgressCounter:
    """Counts a run's progress units (drives, epochs, simulator steps, ...) and reports them to the registry's
    callback: `tick(units=1, **losses)` after each; `done` is how many have been reported. Losses given once are
    reported again with every later tick until replaced, so a fine-grained tick does not blank them."""

    def __init__(self, total: int, progress=None):
        self.total, self.progress, self.done = total, progress, 0
        self.losses: dict[str, float] = {}
        self._start = time.perf_counter()

    def tick(self, units: int = 1, **losses) -> None:
        self.done += units
        self.losses.update(losses)
        if self.progress:
            self.progress(Progress(step=self.done, total_steps=self.total,
                                   elapsed_s=time.perf_counter() - self._start, losses=dict(self.losses)))
