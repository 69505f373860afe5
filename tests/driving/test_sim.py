"""The simulator wrapper: an env that observes nothing simulates exactly what one with the default observation does."""
import numpy as np
import pytest

from explainer.driving import sim


@pytest.mark.parametrize("scenario", sorted(sim.SCENARIOS))
def test_skipping_the_observation_leaves_the_trajectory_unchanged(scenario):
    from highway_env.envs import HighwayEnvFast, RacetrackEnv

    default = {"highway": HighwayEnvFast, "racetrack": RacetrackEnv}[scenario].default_config()["observation"]
    envs = [sim.make_env(scenario, 3), sim.make_env(scenario, 3, observation=default)]
    assert envs[0].unwrapped.config["observation"] == sim.NO_OBSERVATION
    try:
        experts = [sim.Expert(env, lane_changes=False) for env in envs]
        for t in range(25):
            states = [np.array([*env.unwrapped.vehicle.position, env.unwrapped.vehicle.heading,
                                env.unwrapped.vehicle.speed]) for env in envs]
            np.testing.assert_array_equal(states[0], states[1])
            for env, expert in zip(envs, experts, strict=True):
                sim.step(env, expert.label(env), t)
    finally:
        for env in envs:
            env.close()
