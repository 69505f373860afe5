"""The data engine in miniature: a policy trained on common driving, a rare scenario it fails, and the loop
that fixes it (find the failures in "fleet" drives, have them labelled, add them, retrain), measured each round.

    common  the racetrack with its usual light traffic
    rare    the same, with a car just ahead in the ego's lane that brakes hard to a stop one second in (what a
            policy that only saw free road and gentle following has never seen)

Each round the current policy drives FLEET drives (a RARE_SHARE of them rare); a trigger fires on every step where
the expert, running in the shadow of the policy, disagrees by more than TRIGGER (or where the drive failed). Only
those steps are labelled by the expert (at most `label_budget` a round, the largest disagreements first: labelling
is what costs) and added to the data set; the policy is refit. After every round it
drives the same held-out common and rare drives; their failure rates are the chart.
"""
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explainer.checks import Range
from explainer.driving import imitation
from explainer.runs.config import RunConfig
from explainer.runs.result import Snapshot, TrainResult

SCENARIO = "racetrack"
BRAKE_GAP_M = 22.0  # how far ahead the braking car starts
BRAKE_AFTER_S = 1.0
TRIGGER = 0.25  # normalised action units: a disagreement the trigger reports (a quarter of full braking)
RULES = {"rounds": Range(1, 6, int), "demos": Range(1, 20, int), "fleet": Range(2, 20, int),
         "rare_share": Range(0.0, 1.0), "horizon": Range(10, 150, int), "test_seeds": Range(2, 20, int),
         "label_budget": Range(0, 1000, int), "epochs": Range(1, 2000, int), "seed": Range(0, 999, int)}


@functools.cache
def braking_car():
    """The class of the rare scenario's car (made on first use, so importing this module loads no simulator)."""
    from highway_env.vehicle.controller import ControlledVehicle

    class BrakingCar(ControlledVehicle):
        """Follows its lane at the ego's speed, then brakes as hard as its speed controller allows, to a stop."""
        brake_in_s = BRAKE_AFTER_S

        def step(self, dt: float):
            self.brake_in_s -= dt
            if self.brake_in_s <= 0:
                self.target_speed = 0.0
            super().step(dt)

    return BrakingCar


def rare_setup(env, rng: np.random.Generator) -> None:
    """Put a braking car BRAKE_GAP_M (± 3 m) ahead of the ego in its lane."""
    road, ego = env.unwrapped.road, env.unwrapped.vehicle
    s, _ = ego.lane.local_coordinates(ego.position)
    lane_index, ahead = ego.lane_index, s + BRAKE_GAP_M + rng.uniform(-3, 3)
    lane = road.network.get_lane(lane_index)
    while ahead > lane.length:  # the track is made of segments: walk on to the one the gap ends in
        ahead -= lane.length
        lane_index = road.network.next_lane(lane_index, position=lane.position(lane.length, 0))
        lane = road.network.get_lane(lane_index)
    car = braking_car()(road, lane.position(ahead, 0), heading=lane.heading_at(ahead), speed=ego.speed,
                     target_lane_index=lane_index, target_speed=ego.speed)
    road.vehicles.append(car)


@dataclass(frozen=True)
class DataEngineConfig(RunConfig):
    MODEL, SCHEMA, RULES = "driving_data_engine", 2, RULES  # 2: private streams per purpose (explainer.seeding)
    rounds: int = 3
    demos: int = 3  # common expert demonstrations the first policy learns from
    fleet: int = 6  # drives per round
    rare_share: float = 0.34  # of the fleet's drives
    horizon: int = 40
    test_seeds: int = 6  # held-out drives of each kind
    label_budget: int = 0  # states the expert labels per round, the largest disagreements first (0: every one)
    epochs: int = 200
    seed: int = 0

    @property
    def steps(self) -> int:
        """Progress units: simulator steps, every drive counting its whole horizon (see imitation.rollout)."""
        return (self.demos + self.rounds * self.fleet + (self.rounds + 1) * 2 * self.test_seeds) * self.horizon

    def train(self, run) -> TrainResult:
        return train_run(run)


def _failure_rate(policy, seeds, horizon, setup, run) -> float:
    failed = 0
    for seed in seeds:
        r = imitation.rollout(SCENARIO, seed, horizon, policy, setup=setup, run=run)
        failed += r.failed_at is not None
    return failed / len(seeds)


def train_run(run) -> TrainResult:
    config = run.config
    mix = run.numpy_rng("fleet_mix")  # which fleet drives meet the rare scenario
    held_out = run.episode_seeds("held_out", config.test_seeds)
    fleet_seeds = iter(run.episode_seeds("fleet", config.rounds * config.fleet))
    rows, policy = [], None
    features, labels = [], []
    for seed in run.episode_seeds("demo", config.demos):  # common driving only, from varied starts
        r = imitation.rollout(SCENARIO, seed, config.horizon, run=run)
        features.append(r.features)
        labels.append(r.labels)
    for round_ in range(config.rounds + 1):
        mined = triggered = 0
        if round_ > 0:
            found, wanted, score = [], [], []
            for _ in range(config.fleet):
                rare = mix.random() < config.rare_share
                r = imitation.rollout(SCENARIO, next(fleet_seeds), config.horizon, policy,
                                      setup=rare_setup if rare else None, run=run)
                # the trigger: the shadow expert disagrees, or the drive failed (its last state)
                disagreement = np.abs(r.actions - r.labels).max(1)
                if r.failed_at is not None:
                    disagreement[-1] = np.inf
                hit = disagreement > TRIGGER
                found.append(r.features[hit])
                wanted.append(r.labels[hit])
                score.append(disagreement[hit])
            found, wanted, score = np.concatenate(found), np.concatenate(wanted), np.concatenate(score)
            triggered = len(score)
            if config.label_budget:  # only so many labels a round: the worst disagreements (failures first)
                keep = np.sort(np.argsort(-score, kind="stable")[:config.label_budget])
                found, wanted = found[keep], wanted[keep]
            features.append(found)
            labels.append(wanted)
            mined = len(found)
        X, Y = np.concatenate(features), np.concatenate(labels)
        policy = imitation.fit(X, Y, run.generator("init"), config.epochs)
        common = _failure_rate(policy, held_out, config.horizon, None, run)
        rare = _failure_rate(policy, held_out, config.horizon, rare_setup, run)
        rows.append({"step": round_, "dataset": len(X), "triggered": triggered, "mined": mined,
                     "common_failure_rate": common, "rare_failure_rate": rare})
    history = pd.DataFrame(rows)
    return run.result(
        history=history, snapshots=[Snapshot(step=config.rounds, arrays={})],
        metrics=history.iloc[[-1]].reset_index(drop=True),
        weights={k: v.detach().clone() for k, v in policy.state_dict().items()})
