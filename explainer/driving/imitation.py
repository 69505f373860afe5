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

from explainer.driving import sim

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
            lane_changes: bool = False, setup=None, stop=None, on_step=None) -> Rollout:
    """Drive one episode with `policy` (None: the expert drives), labelling every visited state with the expert.
    `setup(env, rng)` may change the scene after reset (explainer.driving.scenarios); `on_step()` is called after
    every simulator step (progress within a drive)."""
    env = sim.make_env(scenario, seed)
    rng = np.random.default_rng(seed)
    sim.perturb(env, rng, *perturb)
    if setup is not None:
        setup(env, rng)
    expert = sim.Expert(env, lane_changes=lane_changes)
    feats, labels, actions, deviation, failed_at, why = [], [], [], [], None, None
    try:
        for t in range(horizon):
            if stop is not None and stop.is_set():
                break
            x = sim.features(env)
            label = expert.label(env)
            feats.append(x)
            labels.append(label)
            action = label if policy is None else policy.act(x)
            actions.append(action)
            sim.step(env, action, t)
            deviation.append(abs(float(sim.features(env)[0])))
            if on_step is not None:
                on_step()
            why = sim.failure(env)
            if why is not None:
                failed_at = t
                break
    finally:
        env.close()
    return Rollout(np.array(feats, np.float32).reshape(-1, len(sim.FEATURES)),
                   np.array(labels, np.float32).reshape(-1, 2), np.array(actions, np.float32).reshape(-1, 2),
                   np.array(deviation, np.float32), failed_at, why)


def counted_rollout(counter, scenario: str, seed: int, horizon: int, policy: Policy | None = None, **kw) -> Rollout:
    """`rollout` that ticks `counter` (a runs.result.ProgressCounter) once per simulator step, and at the end by
    the steps a drive that failed early did not take, so a drive always counts `horizon` units."""
    r = rollout(scenario, seed, horizon, policy, on_step=counter.tick, **kw)
    counter.tick(horizon - len(r.features))
    return r


def fit(features: np.ndarray, labels: np.ndarray, seed: int, epochs: int = 200, hidden: int = 32) -> Policy:
    """A fresh policy fitted to (features, labels) by full-batch Adam on squared error; deterministic for seed."""
    torch.manual_seed(seed)
    policy = Policy(hidden)
    opt = torch.optim.Adam(policy.parameters(), lr=1e-2)
    x, y = torch.from_numpy(features), torch.from_numpy(labels)
    for _ in range(epochs):
        loss = ((policy(x) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return policy.eval()


@dataclass
class Evaluation:
    failed: np.ndarray  # (n_seeds, horizon) bool: had the episode failed by step t
    deviation: np.ndarray  # (n_seeds, horizon) |lateral offset| (NaN after a failure)

    @property
    def failure_rate(self) -> float:
        return float(self.failed[:, -1].mean())


def evaluate(policy: Policy, scenario: str, seeds, horizon: int, setup=None, stop=None) -> Evaluation:
    """Drive `policy` from each held-out seed: per step, whether it has failed yet and its lane deviation."""
    failed = np.zeros((len(seeds), horizon), bool)
    deviation = np.full((len(seeds), horizon), np.nan, np.float32)
    for i, seed in enumerate(seeds):
        r = rollout(scenario, seed, horizon, policy, setup=setup, stop=stop)
        deviation[i, :len(r.deviation)] = r.deviation
        if r.failed_at is not None:
            failed[i, r.failed_at:] = True
            deviation[i, r.failed_at:] = np.nan
    return Evaluation(failed, deviation)
