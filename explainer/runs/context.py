"""What a train function gets from whoever runs it (the job registry, or `execute` in a test or the CLI): one
object for progress, stopping, randomness, the device and other runs it needs.

    def train(self, run: Run) -> TrainResult:
        gen = run.generator("init")                # private streams from the config's seed, one per purpose
        model = build(...).to(run.device)          # the device the config declared, as the registry resolved it
        for epoch in range(self.epochs):
            ...
            run.tick(train_loss=loss)              # one progress unit done; raises Stopped once a stop is asked
        cnn = run.require(CNNConfig())             # another run's result, through the same registry
        return run.result(history=..., metrics=..., weights=...)

`tick()` is the one progress report: units done (of `config.progress_units`), the latest losses (kept until
replaced) and, when one was just taken, a snapshot. It is cheap; a trainer whose losses cost a device sync asks
`due()` first. A loop that goes long without a tick calls `check_stop()`. Both raise `Stopped`, which the harness
turns into a cancelled run (nothing stored).
"""
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import torch

from explainer import seeding
from explainer.runs.result import CANCELLED, DONE, Progress, Snapshot, TrainResult

REPORT_EVERY_S = 0.25  # how often `due()` says a report is worth its cost


class Stopped(Exception):
    """The job's stop event was set: the run ends as cancelled at this point."""


class Run:
    def __init__(self, config, on_progress: Callable[[Progress], None] | None = None, stop=None,
                 device: str | torch.device = "cpu", require: Callable | None = None):
        self.config = config
        self.device = torch.device(device)
        self.total = int(config.progress_units)
        self.step = 0
        self.losses: dict[str, float] = {}
        self._on_progress, self._stop, self._require = on_progress, stop, require
        self._t0 = self._last_report = time.perf_counter()

    # --- randomness: never torch's or numpy's global generator (explainer.seeding)

    def generator(self, purpose: str, *more: int) -> torch.Generator:
        """A CPU torch.Generator for one purpose of this run ("init", "order", ...), from the config's seed."""
        return seeding.torch_generator(self.config.seed, purpose, *more)

    def numpy_rng(self, purpose: str, *more: int) -> np.random.Generator:
        return seeding.numpy_rng(self.config.seed, purpose, *more)

    def episode_seeds(self, purpose: str, n: int, *more: int) -> list[int]:
        return seeding.episode_seeds(self.config.seed, purpose, n, *more)

    # --- progress and stopping

    @property
    def elapsed_s(self) -> float:
        return time.perf_counter() - self._t0

    def stopped(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    def check_stop(self) -> None:
        if self.stopped():
            raise Stopped

    def due(self) -> bool:
        """True when someone listens and REPORT_EVERY_S has passed since the last report (or the start)."""
        return self._on_progress is not None and time.perf_counter() - self._last_report >= REPORT_EVERY_S

    def tick(self, units: int = 1, snapshot: Snapshot | None = None, **losses: float) -> None:
        """`units` more progress units done (0: only new losses or a snapshot); reports them; raises Stopped when
        a stop was asked."""
        self.check_stop()
        self.step += units
        self.losses.update(losses)
        if self._on_progress is not None:
            self._last_report = time.perf_counter()
            self._on_progress(Progress(step=self.step, total_steps=self.total, elapsed_s=self.elapsed_s,
                                       losses=dict(self.losses), snapshot=snapshot))

    # --- other runs, and the result

    def require(self, config) -> TrainResult:
        """The finished run of `config` (another config this one builds on): from the store, or trained through
        the registry that runs this one. Raises RuntimeError when it cannot be had."""
        if self._require is None:
            raise RuntimeError(f"{type(self.config).__name__} needs {type(config).__name__}'s run, and this run "
                               "was started without a registry to get it from")
        return self._require(config)

    def result(self, history: pd.DataFrame | None = None, metrics: pd.DataFrame | None = None,
               snapshots: list[Snapshot] | None = None, weights: dict | None = None, status: str = DONE,
               diverged=None, **extra) -> TrainResult:
        """This run's TrainResult (config, key and wall time filled in); `extra`: small JSON-able facts."""
        return TrainResult(config_dict=self.config.to_dict(), key=self.config.key(), status=status,
                           diverged=np.zeros(1, bool) if diverged is None else np.asarray(diverged, bool),
                           history=pd.DataFrame() if history is None else history, snapshots=snapshots or [],
                           metrics=pd.DataFrame() if metrics is None else metrics, weights=weights or {},
                           extra={"wall_s": round(self.elapsed_s, 3), **extra})

    def cancelled(self) -> TrainResult:
        """What a run ended by a stop returns: nothing worth keeping (the registry stores none)."""
        return self.result(status=CANCELLED, diverged=np.zeros(0, bool))
