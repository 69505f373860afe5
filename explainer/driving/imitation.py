"""Behaviour cloning versus DAgger (Ross, Gordon & Bagnell 2011) on racetrack-v0, with a small MLP policy.

Behaviour cloning fits the policy to the expert's own driving only; its small mistakes take it to states the
expert never visited, where it has no data, so errors compound (Ross & Bagnell 2010: cost can grow as T²ε).
DAgger lets the learner drive, asks the expert what it would have done in each state the learner visited,
aggregates those labels with all earlier data and refits: it trains on its own state distribution (cost ≈ uTε).

The learner sees the kinematics features of explainer.driving.sim (offset, heading error, curvature ahead,
speed, gap, closing speed) and outputs a normalised (acceleration, steering). Held-out seeds are never trained on.
"""
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from explainer.deep_learning.init import default_init_
from explainer.driving import sim
from explainer.seeding import numpy_rng

SCALE = np.array([1.0, 0.2, 0.3, 10.0, 30.0, 5.0], np.float32)  # rough feature sizes: inputs near unit scale


class Policy(nn.Module):
    def __init__(self, hidden: int = 32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(len(sim.FEATURES), hidden), nn.Tanh(), nn.Linear(hidden, hidden),
                                 nn.Tanh(), nn.Linear(hidden, 2), nn.Tanh())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x / torch.from_numpy(SCALE))

    def act(self, features: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return self(torch.from_numpy(features[None]))[0].numpy()


@dataclass
class Rollout:
    features: np.ndarray  # (t, F): the states visited
    labels: np.ndarray  # (t, 2): the expert's action in each
    actions: np.ndarray  # (t, 2): the action the driver took (the expert's own when it drove)
    deviation: np.ndarray  # (t,) |lateral offset| in m
    failed_at: int | None  # the step it failed at (crash or off road), None if it lasted the horizon
    why: str | None


DEMO_START = (0.0, 0.0)  # the expert's demonstrations start on the centre line, heading along the lane
TEST_START = (1.0, 0.2)  # every other drive starts up to 1 m off the centre line and 0.2 rad off its heading


def rollout(scenario: str, seed: int, horizon: int, policy: Policy | None = None, perturb=TEST_START,
            lane_changes: bool = False, setup=None, run=None) -> Rollout:
    """Drive one episode with `policy` (None: the expert drives), labelling every visited state with the expert.
    `seed` is the simulator's episode seed (and seeds the start's perturbation); `setup(env, rng)` may change the
    scene after reset (e.g. data_engine.rare_setup). With `run` (a runs.context.Run), every simulator step ticks
    it once and a drive that fails early ticks the steps it did not take, so a drive always counts `horizon`."""
    env = sim.make_env(scenario, seed)
    rng = numpy_rng(seed, "perturb")
    sim.perturb(env, rng, *perturb)
    if setup is not None:
        setup(env, rng)
    expert = sim.Expert(env, lane_changes=lane_changes)
    feats, labels, actions, deviation, failed_at, why = [], [], [], [], None, None
    try:
        for t in range(horizon):
            x = sim.features(env)
            label = expert.label(env)
            feats.append(x)
            labels.append(label)
            action = label if policy is None else policy.act(x)
            actions.append(action)
            sim.step(env, action, t)
            deviation.append(abs(float(sim.features(env)[0])))
            if run is not None:
                run.tick()
            why = sim.failure(env)
            if why is not None:
                failed_at = t
                break
    finally:
        env.close()
    if run is not None:
        run.tick(horizon - len(feats))
    return Rollout(np.array(feats, np.float32).reshape(-1, len(sim.FEATURES)),
                   np.array(labels, np.float32).reshape(-1, 2), np.array(actions, np.float32).reshape(-1, 2),
                   np.array(deviation, np.float32), failed_at, why)


def fit(features: np.ndarray, labels: np.ndarray, init: torch.Generator, epochs: int = 200,
        hidden: int = 32) -> Policy:
    """A fresh policy, initialised from `init`, fitted to (features, labels) by full-batch Adam on squared
    error; deterministic for the generator's seed."""
    policy = default_init_(Policy(hidden), init)
    opt = torch.optim.Adam(policy.parameters(), lr=1e-2)
    x, y = torch.from_numpy(features), torch.from_numpy(labels)
    for _ in range(epochs):
        loss = ((policy(x) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return policy.eval()
