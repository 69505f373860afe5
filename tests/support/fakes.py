"""A stand-in config with the real training contract (explainer.runs.config.RunConfig), for tests of the store,
the registry and the UI.

`FakeConfig.train` (fake_train) reports progress through its run, stops when asked and returns a TrainResult
shaped like a real run's, in milliseconds, without touching any model. A config with `gate` set trains with the
function registered under that name in GATES instead, so a test can hold a job running or make train() misbehave.
"""
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from explainer.runs.config import RunConfig
from explainer.runs.result import DIVERGED, DONE, Snapshot, TrainResult

GATES: dict = {}  # name -> train(run), registered by tests


@dataclass(frozen=True)
class FakeConfig(RunConfig):
    MODEL, SCHEMA = "fake", 1
    name: str = "fake"
    steps: int = 20
    seeds: int = 2
    device: str = "cpu"  # a field here, so a test can declare "auto" (a GPU job on a machine told it has one)
    diverge: bool = False  # the fake "trains" into NaN
    fail: bool = False  # the fake raises
    delay_s: float = 0.0  # sleep per step, to make a job observable while running
    gate: str = ""  # train with GATES[gate] instead of fake_train
    seed: int = 0

    def train(self, run) -> TrainResult:
        return GATES[self.gate](run) if self.gate else fake_train(run)


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


def fake_train(run) -> TrainResult:
    """One tick a step (with a snapshot at step 10), raising Stopped once a stop is asked (runs.context)."""
    config = run.config
    for step in range(1, config.steps + 1):
        run.check_stop()
        if config.delay_s:
            time.sleep(config.delay_s)
        if config.fail and step == config.steps // 2:
            raise RuntimeError("fake training failed on purpose")
        snap = Snapshot(step=step, arrays={"samples": np.zeros((config.seeds, 4, 2))}) if step == 10 else None
        run.tick(1, snap, d_loss=1.0 / step, g_loss=2.0 / step)
    return fake_result(config, status=DIVERGED if config.diverge else DONE)


def progress_reports(config) -> list:
    """Train `config` here (runs.jobs.execute) and return every Progress it reported."""
    from explainer.runs.jobs import execute

    reports = []
    assert execute(config, reports.append).status == "done"
    return reports


def fake_snapshot(step: int, rng) -> Snapshot:
    """One seed's 2D GAN snapshot of random arrays, shaped like the trainer's (explainer.gan.snapshots)."""
    return Snapshot(step=step, arrays={
        "samples": rng.normal(size=(1, 32, 2)), "d_grid": rng.random((1, 10, 10)),
        "g_grid": rng.normal(size=(1, 6, 6, 2)), "arrows_xy": rng.normal(size=(1, 5, 2)),
        "arrows_uv": rng.normal(size=(1, 5, 2)), "modes_covered": np.array([3.0]),
    })
