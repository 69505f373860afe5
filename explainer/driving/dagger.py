"""Behaviour cloning against DAgger, controlled: each given as much expert data, from the same episodes.

Ross, Gordon & Bagnell (2011) compare DAgger with cloning at equal numbers of expert-labelled states; a learner
that gets more data, or data from other starts, could win for those reasons alone. So every arm here starts from
the same policy and grows its data set by the same number of states, from the same episodes, each round:

    round 0, all arms   behaviour cloning on the expert's demonstrations (which start on the lane centre)
    round k ≥ 1
      dagger            the round k−1 DAgger policy drives a perturbed start; the expert labels every state it
                        visited; the policy is refit from scratch on everything collected so far
      bc                the expert drives the same episode from the same perturbed start, for as many steps as the
                        learner's drive lasted; its own states and actions are added; refit
      bc_centred        the same, but the expert starts on the lane centre (the demonstrations' start)

`dagger` and `bc` differ only in who drove (the learner's states, labelled, against the expert's own): on-policy
labelling. `bc` and `bc_centred` differ only in where the expert started. Every fit of one training seed starts
from the same initial weights. Every policy drives the same held-out seeds (never trained on), the whole
experiment is repeated for `train_seeds` training seeds (their own demonstrations, episodes and initial weights)
and the page shows the spread. Deterministic for the config.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explainer.checks import Choice, Range
from explainer.driving import imitation, sim
from explainer.runs.config import RunConfig
from explainer.runs.result import Snapshot, TrainResult
from explainer.seeding import episode_seeds

ARMS = {  # name: (who drives the new episodes, where they start)
    "dagger": ("learner", imitation.TEST_START),
    "bc": ("expert", imitation.TEST_START),
    "bc_centred": ("expert", imitation.DEMO_START),
}
DEMO = "demo"  # round 0's policy, which every arm shares: cloning the demonstrations alone
RULES = {"scenario": Choice(tuple(sim.SCENARIOS)), "rounds": Range(1, 8, int), "demos": Range(1, 20, int),
         "demo_steps": Range(5, 150, int), "rollouts": Range(1, 10, int), "episode_steps": Range(5, 150, int),
         "horizon": Range(20, 150, int),
         "test_seeds": Range(2, 24, int), "train_seeds": Range(1, 10, int), "epochs": Range(1, 2000, int),
         "seed": Range(0, 999, int)}


@dataclass(frozen=True)
class DaggerConfig(RunConfig):
    """Episode seeds come from the run's streams (demo, learner, held_out: explainer.seeding), the first two per
    training seed; held-out drives have a stream of their own, shared by every training seed."""
    MODEL, SCHEMA, RULES = "driving_dagger", 3, RULES  # 3: three arms at equal data, several training seeds
    scenario: str = "racetrack"
    rounds: int = 3  # rounds after behaviour cloning on the demonstrations
    demos: int = 1  # expert demonstrations round 0 learns from
    demo_steps: int = 20  # four seconds of driving: one stretch of the track
    rollouts: int = 1  # new episodes per arm and round
    episode_steps: int = 20  # steps a new training episode lasts at most: small rounds show the data-poor regime
    horizon: int = 60  # steps a held-out drive lasts (5 steps a second)
    test_seeds: int = 5
    train_seeds: int = 3  # repetitions of the whole experiment, for its spread
    epochs: int = 200
    seed: int = 0

    @property
    def steps(self) -> int:
        """Progress units: simulator steps (a drive that fails early, or an expert drive cut to the learner's
        length, counts its whole horizon), so progress shows within the first drive."""
        per_seed = (self.demos * self.demo_steps + self.rounds * self.rollouts * self.episode_steps * len(ARMS)
                    + (1 + self.rounds * len(ARMS)) * self.test_seeds * self.horizon)
        return self.train_seeds * per_seed

    def held_out(self) -> list[int]:
        return episode_seeds(self.seed, "held_out", self.test_seeds)

    def demo_seeds(self, train_seed: int) -> list[int]:
        return episode_seeds(self.seed, "demo", self.demos, train_seed)

    def learner_seeds(self, train_seed: int) -> list[int]:
        """The new episodes of every round, in order (`rollouts` a round): each arm drives the same ones."""
        return episode_seeds(self.seed, "learner", self.rounds * self.rollouts, train_seed)

    def train(self, run) -> TrainResult:
        return train_run(run)


@dataclass
class Drives:
    """A policy's held-out drives: per drive and step, whether it has failed yet and its distance from the
    lane centre (NaN once failed)."""
    failed: np.ndarray  # (test_seeds, horizon) bool
    deviation: np.ndarray  # (test_seeds, horizon) float32

    @property
    def failure_rate(self) -> float:
        return float(self.failed[:, -1].mean())

    @property
    def mean_deviation(self) -> float:
        return float(np.nanmean(self.deviation)) if np.isfinite(self.deviation).any() else float("nan")


def drive_held_out(run, policy: imitation.Policy) -> Drives:
    config = run.config
    failed = np.zeros((config.test_seeds, config.horizon), bool)
    deviation = np.full((config.test_seeds, config.horizon), np.nan, np.float32)
    for i, seed in enumerate(config.held_out()):
        r = imitation.rollout(config.scenario, seed, config.horizon, policy, run=run)
        deviation[i, :len(r.deviation)] = r.deviation
        if r.failed_at is not None:
            failed[i, r.failed_at:] = True
            deviation[i, r.failed_at:] = np.nan
    return Drives(failed, deviation)


def new_episodes(run, seed: int, dagger_policy: imitation.Policy) -> dict[str, imitation.Rollout]:
    """One new episode for every arm: the DAgger learner drives it, and the expert drives it from the same start
    (and from the centre) for as many steps as the learner lasted, so every arm gains the same number of states
    (unless the expert itself fails sooner: the data-set sizes are recorded)."""
    config = run.config
    out = {"dagger": imitation.rollout(config.scenario, seed, config.episode_steps, dagger_policy, run=run)}
    steps = len(out["dagger"].features)
    for arm, (_, start) in ARMS.items():
        if arm != "dagger":
            out[arm] = imitation.rollout(config.scenario, seed, steps, perturb=start, run=run)
            run.tick(config.episode_steps - steps)
    return out


def train_seed(run, t: int) -> tuple[list[dict], dict[str, Drives], dict[str, Drives]]:
    """The whole experiment for training seed t: (history rows, round 0's drives, the last round's per arm)."""
    config = run.config

    def fit(parts):
        return imitation.fit(np.concatenate([p.features for p in parts]), np.concatenate([p.labels for p in parts]),
                             run.generator("init", t), config.epochs)  # same initial weights for every fit of t

    demos = [imitation.rollout(config.scenario, s, config.demo_steps, perturb=imitation.DEMO_START, run=run)
             for s in config.demo_seeds(t)]
    data = {arm: list(demos) for arm in ARMS}
    policy = fit(demos)
    first = drive_held_out(run, policy)
    rows = [_row(t, 0, arm, data[arm], first) for arm in ARMS]
    policies, last = dict.fromkeys(ARMS, policy), {}
    seeds = iter(config.learner_seeds(t))
    for round_ in range(1, config.rounds + 1):
        for _ in range(config.rollouts):
            for arm, episode in new_episodes(run, next(seeds), policies["dagger"]).items():
                data[arm].append(episode)
        for arm in ARMS:
            policies[arm] = fit(data[arm])
            last[arm] = drive_held_out(run, policies[arm])
            rows.append(_row(t, round_, arm, data[arm], last[arm]))
        run.tick(0, failure_rate=last["dagger"].failure_rate)
    return rows, first, last


def _row(t: int, round_: int, arm: str, data: list, drives: Drives) -> dict:
    return {"train_seed": t, "step": round_, "arm": arm, "dataset": sum(len(p.features) for p in data),
            "failure_rate": drives.failure_rate, "mean_deviation": drives.mean_deviation}


def train_run(run) -> TrainResult:
    """Every training seed in turn; the drives of round 0 and of the last round are kept, stacked over seeds."""
    config = run.config
    rows, first, last = [], [], []
    for t in range(config.train_seeds):
        seed_rows, seed_first, seed_last = train_seed(run, t)
        rows += seed_rows
        first.append(seed_first)
        last.append(seed_last)
    arrays = {f"failed.{DEMO}": np.stack([d.failed for d in first]),
              f"deviation.{DEMO}": np.stack([d.deviation for d in first])}
    for arm in ARMS:
        arrays[f"failed.{arm}"] = np.stack([d[arm].failed for d in last])
        arrays[f"deviation.{arm}"] = np.stack([d[arm].deviation for d in last])
    history = pd.DataFrame(rows)
    return run.result(history=history, snapshots=[Snapshot(step=config.rounds, arrays=arrays)],
                      metrics=summary(history).query("step == step.max()").reset_index(drop=True),
                      held_out=config.held_out())


def summary(history: pd.DataFrame) -> pd.DataFrame:
    """Per round and arm, over training seeds: the labelled states (mean), the failure rate's mean, lowest and
    highest, and the mean deviation."""
    return (history.groupby(["step", "arm"], sort=False)
            .agg(dataset=("dataset", "mean"), failure_rate=("failure_rate", "mean"),
                 failure_min=("failure_rate", "min"), failure_max=("failure_rate", "max"),
                 mean_deviation=("mean_deviation", "mean"), seeds=("train_seed", "nunique"))
            .reset_index())


def drives(run: TrainResult, arm: str) -> tuple[np.ndarray, np.ndarray]:
    """(failed, deviation) of one arm's last-round policies (or DEMO: round 0's), every training seed's held-out
    drives pooled: (train_seeds × test_seeds, horizon)."""
    arrays = run.snapshots[-1].arrays
    failed, deviation = arrays[f"failed.{arm}"], arrays[f"deviation.{arm}"]
    return failed.reshape(-1, failed.shape[-1]), deviation.reshape(-1, deviation.shape[-1])


@dataclass(frozen=True)
class Paired:
    """Arm a against arm b in one round, training seed by training seed (same demonstrations, episodes,
    initial weights and held-out drives): on how many seeds a failed fewer held-out drives, more, as many."""
    fewer: int
    more: int
    same: int

    @property
    def seeds(self) -> int:
        return self.fewer + self.more + self.same

    @property
    def clearly_fewer(self) -> bool:
        """Fewer on most seeds and more on none: the only 'a beat b' the page states."""
        return self.more == 0 and self.fewer > self.seeds / 2


def paired(history: pd.DataFrame, a: str, b: str, column: str = "failure_rate", step: int | None = None) -> Paired:
    """Compare two arms' `column` (failure_rate, mean_deviation) per training seed in round `step` (default:
    the last); `fewer` counts the seeds where a's is lower."""
    step = int(history.step.max()) if step is None else step
    rows = history[history.step == step].pivot(index="train_seed", columns="arm", values=column)
    diff = rows[a] - rows[b]
    return Paired(int((diff < -1e-9).sum()), int((diff > 1e-9).sum()), int((diff.abs() <= 1e-9).sum()))
