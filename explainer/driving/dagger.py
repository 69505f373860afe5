"""The "why imitation drifts" experiment as one run: behaviour cloning, then DAgger rounds, on held-out seeds.

    round 0 (behaviour cloning): fit the policy to the expert's demonstrations
    round k ≥ 1 (DAgger):        let the round k−1 policy drive, label every state it visited with the expert's
                                 action, add them to everything collected so far, refit from scratch

After every round the policy drives the same held-out seeds (never trained on): per step, whether it has failed
yet and how far it is from its lane's centre. Deterministic for the config; a few seconds per round on one CPU.
"""
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from explainer.driving import imitation
from explainer.runs.result import DONE, ProgressCounter, RunConfig, Snapshot, TrainResult, cancelled
from explainer.threads import one_thread

SCHEMA = 1
TEST_SEED_BASE = 10_000  # held-out seeds start here; training seeds stay below it
RANGES = {"rounds": (1, 8), "seed": (0, 999), "test_seeds": (2, 24), "horizon": (20, 150)}


@dataclass(frozen=True)
class DaggerConfig(RunConfig):
    scenario: str = "racetrack"
    rounds: int = 3  # DAgger rounds after behaviour cloning
    demos: int = 1  # expert demonstrations behaviour cloning learns from
    demo_steps: int = 20  # four seconds of driving: one stretch of the track
    rollouts: int = 1  # learner drives per DAgger round
    horizon: int = 60  # steps a drive lasts (5 steps a second)
    test_seeds: int = 5
    epochs: int = 200
    seed: int = 0

    def __post_init__(self):
        self.check_ranges(RANGES)

    @property
    def steps(self) -> int:
        """Progress units: simulator steps (demonstrations, learner drives, held-out drives; a drive that fails
        early counts its whole horizon), so progress shows within the first drive."""
        return (self.demos * self.demo_steps + self.rounds * self.rollouts * self.horizon
                + (self.rounds + 1) * self.test_seeds * self.horizon)

    def identity(self) -> dict:
        return {"schema": SCHEMA, "model": "driving_dagger"}

    def held_out(self) -> list[int]:
        return [TEST_SEED_BASE + self.seed * 100 + i for i in range(self.test_seeds)]

    def train(self, progress=None, stop=None) -> TrainResult:
        return train_run(self, progress, stop)


def train_run(config: DaggerConfig, progress=None, stop=None) -> TrainResult:
    start = time.perf_counter()
    rows, snapshots = [], []

    counter = ProgressCounter(config.steps, progress)

    def stopped():
        return stop is not None and stop.is_set()

    with one_thread():
        features, labels = [], []
        for i in range(config.demos):
            r = imitation.counted_rollout(counter, config.scenario, config.seed * 100 + i, config.demo_steps,
                                          perturb=imitation.DEMO_START, stop=stop)
            features.append(r.features)
            labels.append(r.labels)
        policy = None
        for round_ in range(config.rounds + 1):
            if round_ > 0:  # DAgger: the previous policy drives, the expert labels where it went
                for j in range(config.rollouts):
                    r = imitation.counted_rollout(counter, config.scenario, config.seed * 100 + 50 + round_ * 10 + j,
                                                  config.horizon, policy, stop=stop)
                    features.append(r.features)
                    labels.append(r.labels)
            if stopped():
                return cancelled(config)
            X, Y = np.concatenate(features), np.concatenate(labels)
            policy = imitation.fit(X, Y, config.seed, config.epochs)
            failed = np.zeros((config.test_seeds, config.horizon), bool)
            deviation = np.full((config.test_seeds, config.horizon), np.nan, np.float32)
            for i, seed in enumerate(config.held_out()):
                r = imitation.counted_rollout(counter, config.scenario, seed, config.horizon, policy, stop=stop)
                deviation[i, :len(r.deviation)] = r.deviation
                if r.failed_at is not None:
                    failed[i, r.failed_at:] = True
                    deviation[i, r.failed_at:] = np.nan
                counter.tick(0, failure_rate=float(failed[:, -1].mean()))
            if stopped():
                return cancelled(config)
            rows.append({"step": round_, "dataset": len(X), "failure_rate": float(failed[:, -1].mean()),
                         "mean_deviation": float(np.nanmean(deviation)) if np.isfinite(deviation).any() else np.nan})
            snapshots.append(Snapshot(step=round_, arrays={"failed": failed, "deviation": deviation}))
            if round_ == 0:
                bc_weights = {f"bc.{k}": v.detach().clone() for k, v in policy.state_dict().items()}
    history = pd.DataFrame(rows)
    return TrainResult(
        config_dict=config.to_dict(), key=config.key(), status=DONE, diverged=np.zeros(1, bool), history=history,
        snapshots=snapshots,
        metrics=pd.DataFrame({"bc_failure_rate": [rows[0]["failure_rate"]],
                              "dagger_failure_rate": [rows[-1]["failure_rate"]]}),
        weights=bc_weights | {f"dagger.{k}": v.detach().clone() for k, v in policy.state_dict().items()},
        extra={"wall_s": round(time.perf_counter() - start, 3), "held_out": config.held_out()})


def policies(run: TrainResult) -> dict[str, torch.nn.Module]:
    """The behaviour-cloning policy and the last DAgger policy of a finished run."""
    out = {}
    for name in ("bc", "dagger"):
        policy = imitation.Policy()
        policy.load_state_dict({k.split(".", 1)[1]: v for k, v in run.weights.items() if k.startswith(name + ".")})
        out[name] = policy.eval()
    return out
