"""A stand-in config with the real training contract (explainer.runs.result), for tests of the store, the
registry and the UI.

`FakeConfig.train` (fake_train) reports progress, honours the stop event and returns a TrainResult shaped like
a real run's, in milliseconds, without touching any model. A config with `gate` set trains with the function
registered under that name in GATES instead, so a test can hold a job running or make train() misbehave.
"""
import hashlib
import json
import threading
import time
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import torch

from explainer.runs.result import CANCELLED, DIVERGED, DONE, Progress, Snapshot, TrainResult

GATES: dict = {}  # name -> train(config, progress, stop), registered by tests


@dataclass(frozen=True)
class FakeConfig:
    name: str = "fake"
    steps: int = 20
    seeds: int = 2
    device: str = "cpu"
    diverge: bool = False  # the fake "trains" into NaN
    fail: bool = False  # the fake raises
    delay_s: float = 0.0  # sleep per step, to make a job observable while running
    gate: str = ""  # train with GATES[gate] instead of fake_train

    def train(self, progress=None, stop=None) -> TrainResult:
        return GATES[self.gate](self, progress, stop) if self.gate else fake_train(self, progress, stop)

    def to_dict(self) -> dict:
        return asdict(self)

    def key(self) -> str:
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()

    @classmethod
    def from_dict(cls, d: dict) -> "FakeConfig":
        return cls(**d)


def fake_result(config: FakeConfig, status: str = DONE, steps: int | None = None) -> TrainResult:
    steps = config.steps if steps is None else steps
    k = config.seeds
    rng = np.random.default_rng(0)
    logged = np.arange(0, steps + 1, max(steps // 5, 1))
    history = pd.DataFrame({
        "step": np.repeat(logged, k), "seed": np.tile(np.arange(k), len(logged)),
        "d_loss": rng.random(len(logged) * k), "g_loss": rng.random(len(logged) * k),
    })
    if status == DIVERGED:
        history.loc[history["step"] == logged[-1], ["d_loss", "g_loss"]] = np.nan
    snapshots = [Snapshot(step=int(s), arrays={"samples": rng.normal(size=(k, 16, 2)).astype(np.float32),
                                               "d_grid": rng.random((k, 8, 8)).astype(np.float32)})
                 for s in (0, steps)]
    metrics = pd.DataFrame({"seed": np.arange(k), "modes_covered": np.full(k, 8), "high_quality": np.full(k, 0.95),
                            "reverse_kl": np.full(k, 0.01), "note": ["ok"] * k})
    g = torch.Generator().manual_seed(0)
    return TrainResult(
        config_dict=config.to_dict(), key=config.key(), status=status,
        diverged=np.full(k, status == DIVERGED), history=history, snapshots=snapshots, metrics=metrics,
        weights={"G.0.weight": torch.randn(k, 4, 2, generator=g), "G.0.bias": torch.zeros(k, 4)},
        extra={"device": "cpu", "wall_s": 0.01},
    )


def fake_train(config: FakeConfig, progress=None, stop: threading.Event | None = None) -> TrainResult:
    t0 = time.monotonic()
    for step in range(1, config.steps + 1):
        if stop is not None and stop.is_set():
            return fake_result(config, status=CANCELLED, steps=step)
        if config.delay_s:
            time.sleep(config.delay_s)
        if config.fail and step == config.steps // 2:
            raise RuntimeError("fake training failed on purpose")
        if progress is not None:
            snap = Snapshot(step=step, arrays={"samples": np.zeros((config.seeds, 4, 2))}) if step == 10 else None
            progress(Progress(step=step, total_steps=config.steps, elapsed_s=time.monotonic() - t0,
                              losses={"d_loss": 1.0 / step, "g_loss": 2.0 / step}, snapshot=snap))
    return fake_result(config, status=DIVERGED if config.diverge else DONE)
