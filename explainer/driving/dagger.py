"""The "why imitation drifts" experiment as one run: behaviour cloning, then DAgger rounds, on held-out seeds.

    round 0 (behaviour cloning): fit the policy to the expert's demonstrations
    round k ≥ 1 (DAgger):        let the round k−1 policy drive, label every state it visited with the expert's
                                 action, add them to everything collected so far, refit from scratch

After every round the policy drives the same held-out seeds (never trained on): per step, whether it has failed
yet and how far it is from its lane's centre. Deterministic for the config; a few seconds per round on one CPU.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from explainer.checks import Choice, Range
from explainer.driving import imitation, sim
from explainer.runs.config import RunConfig
from explainer.runs.result import Snapshot, TrainResult
from explainer.seeding import episode_seeds

RULES = {"scenario": Choice(tuple(sim.SCENARIOS)), "rounds": Range(1, 8, int), "demos": Range(1, 20, int),
         "demo_steps": Range(5, 150, int), "rollouts": Range(1, 10, int), "horizon": Range(20, 150, int),
         "test_seeds": Range(2, 24, int), "epochs": Range(1, 2000, int), "seed": Range(0, 999, int)}


@dataclass(frozen=True)
class DaggerConfig(RunConfig):
    """Episode seeds come from the run's streams (demo, learner, held_out: explainer.seeding): held-out drives
    have a stream of their own, so one coincides with a training drive only by a 31-bit hash collision."""
    MODEL, SCHEMA, RULES = "driving_dagger", 2, RULES  # 2: private streams per purpose (explainer.seeding)
    scenario: str = "racetrack"
    rounds: int = 3  # DAgger rounds after behaviour cloning
    demos: int = 1  # expert demonstrations behaviour cloning learns from
    demo_steps: int = 20  # four seconds of driving: one stretch of the track
    rollouts: int = 1  # learner drives per DAgger round
    horizon: int = 60  # steps a drive lasts (5 steps a second)
    test_seeds: int = 5
    epochs: int = 200
    seed: int = 0

    @property
    def steps(self) -> int:
        """Progress units: simulator steps (demonstrations, learner drives, held-out drives; a drive that fails
        early counts its whole horizon), so progress shows within the first drive."""
        return (self.demos * self.demo_steps + self.rounds * self.rollouts * self.horizon
                + (self.rounds + 1) * self.test_seeds * self.horizon)

    def held_out(self) -> list[int]:
        return episode_seeds(self.seed, "held_out", self.test_seeds)

    def train(self, run) -> TrainResult:
        return train_run(run)


def train_run(run) -> TrainResult:
    config = run.config
    rows, snapshots = [], []
    features, labels = [], []
    for seed in run.episode_seeds("demo", config.demos):
        r = imitation.rollout(config.scenario, seed, config.demo_steps, perturb=imitation.DEMO_START, run=run)
        features.append(r.features)
        labels.append(r.labels)
    learner_seeds = iter(run.episode_seeds("learner", config.rounds * config.rollouts))
    policy = None
    for round_ in range(config.rounds + 1):
        if round_ > 0:  # DAgger: the previous policy drives, the expert labels where it went
            for _ in range(config.rollouts):
                r = imitation.rollout(config.scenario, next(learner_seeds), config.horizon, policy, run=run)
                features.append(r.features)
                labels.append(r.labels)
        X, Y = np.concatenate(features), np.concatenate(labels)
        policy = imitation.fit(X, Y, run.generator("init"), config.epochs)
        failed = np.zeros((config.test_seeds, config.horizon), bool)
        deviation = np.full((config.test_seeds, config.horizon), np.nan, np.float32)
        for i, seed in enumerate(config.held_out()):
            r = imitation.rollout(config.scenario, seed, config.horizon, policy, run=run)
            deviation[i, :len(r.deviation)] = r.deviation
            if r.failed_at is not None:
                failed[i, r.failed_at:] = True
                deviation[i, r.failed_at:] = np.nan
            run.tick(0, failure_rate=float(failed[:, -1].mean()))
        rows.append({"step": round_, "dataset": len(X), "failure_rate": float(failed[:, -1].mean()),
                     "mean_deviation": float(np.nanmean(deviation)) if np.isfinite(deviation).any() else np.nan})
        snapshots.append(Snapshot(step=round_, arrays={"failed": failed, "deviation": deviation}))
        if round_ == 0:
            bc_weights = {f"bc.{k}": v.detach().clone() for k, v in policy.state_dict().items()}
    history = pd.DataFrame(rows)
    return run.result(
        history=history, snapshots=snapshots,
        metrics=pd.DataFrame({"bc_failure_rate": [rows[0]["failure_rate"]],
                              "dagger_failure_rate": [rows[-1]["failure_rate"]]}),
        weights=bc_weights | {f"dagger.{k}": v.detach().clone() for k, v in policy.state_dict().items()},
        held_out=config.held_out())


def policies(run: TrainResult) -> dict[str, torch.nn.Module]:
    """The behaviour-cloning policy and the last DAgger policy of a finished run."""
    out = {}
    for name in ("bc", "dagger"):
        policy = imitation.Policy()
        policy.load_state_dict({k.split(".", 1)[1]: v for k, v in run.weights.items() if k.startswith(name + ".")})
        out[name] = policy.eval()
    return out
