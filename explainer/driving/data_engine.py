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
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explainer.driving import imitation
from explainer.runs.result import DONE, ProgressCounter, RunConfig, Snapshot, TrainResult, cancelled
from explainer.threads import one_thread

SCHEMA = 1
SCENARIO = "racetrack"
BRAKE_GAP_M = 22.0  # how far ahead the braking car starts
BRAKE_AFTER_S = 1.0
TRIGGER = 0.25  # normalised action units: a disagreement the trigger reports (a quarter of full braking)
TEST_SEED_BASE = 20_000
RANGES = {"rounds": (1, 6), "fleet": (2, 20), "test_seeds": (2, 20), "seed": (0, 999), "label_budget": (0, 1000)}


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
    rounds: int = 3
    demos: int = 3  # common expert demonstrations the first policy learns from
    fleet: int = 6  # drives per round
    rare_share: float = 0.34  # of the fleet's drives
    horizon: int = 40
    test_seeds: int = 6  # held-out drives of each kind
    label_budget: int = 0  # states the expert labels per round, the largest disagreements first (0: every one)
    epochs: int = 200
    seed: int = 0

    def __post_init__(self):
        self.check_ranges(RANGES)

    @property
    def steps(self) -> int:
        """Progress units: simulator steps, every drive counting its whole horizon (see imitation.counted_rollout)."""
        return (self.demos + self.rounds * self.fleet + (self.rounds + 1) * 2 * self.test_seeds) * self.horizon

    def identity(self) -> dict:
        return {"schema": SCHEMA, "model": "driving_data_engine"}

    def train(self, progress=None, stop=None) -> TrainResult:
        return train_run(self, progress, stop)


def _failure_rate(policy, seeds, horizon, setup, stop, counter) -> float:
    failed = 0
    for seed in seeds:
        r = imitation.counted_rollout(counter, SCENARIO, seed, horizon, policy, setup=setup, stop=stop)
        failed += r.failed_at is not None
    return failed / len(seeds)


def train_run(config: DataEngineConfig, progress=None, stop=None) -> TrainResult:
    start = time.perf_counter()
    rng = np.random.default_rng(config.seed)

    counter = ProgressCounter(config.steps, progress)

    base = config.seed * 1000
    held_out = [TEST_SEED_BASE + base + i for i in range(config.test_seeds)]
    rows, policy = [], None
    with one_thread():
        features, labels = [], []
        for i in range(config.demos):  # common driving only, from varied starts
            r = imitation.counted_rollout(counter, SCENARIO, base + i, config.horizon, stop=stop)
            features.append(r.features)
            labels.append(r.labels)
        for round_ in range(config.rounds + 1):
            mined = triggered = 0
            if round_ > 0:
                found, wanted, score = [], [], []
                for j in range(config.fleet):
                    rare = rng.random() < config.rare_share
                    r = imitation.counted_rollout(counter, SCENARIO, base + 100 + round_ * 50 + j, config.horizon,
                                                  policy, setup=rare_setup if rare else None, stop=stop)
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
            if stop is not None and stop.is_set():
                return cancelled(config)
            X, Y = np.concatenate(features), np.concatenate(labels)
            policy = imitation.fit(X, Y, config.seed, config.epochs)
            common = _failure_rate(policy, held_out, config.horizon, None, stop, counter)
            rare = _failure_rate(policy, held_out, config.horizon, rare_setup, stop, counter)
            if stop is not None and stop.is_set():
                return cancelled(config)
            rows.append({"step": round_, "dataset": len(X), "triggered": triggered, "mined": mined,
                         "common_failure_rate": common, "rare_failure_rate": rare})
    history = pd.DataFrame(rows)
    return TrainResult(
        config_dict=config.to_dict(), key=config.key(), status=DONE, diverged=np.zeros(1, bool), history=history,
        snapshots=[Snapshot(step=config.rounds, arrays={})],
        metrics=history.iloc[[-1]].reset_index(drop=True),
        weights={k: v.detach().clone() for k, v in policy.state_dict().items()},
        extra={"wall_s": round(time.perf_counter() - start, 3)})
