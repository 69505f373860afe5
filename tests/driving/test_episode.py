"""A recorded expert episode: real frames, checked settings, a clear failed run on a simulator failure, the
occupancy grid's road mask."""
import io

import numpy as np
import pytest
from PIL import Image

from explainer.driving import sim
from explainer.driving.episode import EpisodeConfig, frame
from explainer.runs.jobs import JobRegistry, execute
from explainer.runs.store import RunStore


def test_a_recorded_frame_is_a_real_picture_not_a_black_one():
    run = execute(EpisodeConfig("highway", seed=1, steps=10))
    picture = np.asarray(Image.open(io.BytesIO(frame(run, 5))).convert("RGB"))
    assert picture.shape[2] == 3 and picture.shape[0] >= 100
    assert picture.mean() > 30 and picture.std() > 5  # "dummy" SDL renders all-black frames
    arrays = run.snapshots[0].arrays
    assert arrays["kinematics"].shape == (10, 6, 4) and arrays["grid"].shape[0] == 10
    assert len(run.history) == 10 and (arrays["grid"] == 3).any()  # the ego is on its own grid


def test_bad_episode_settings_are_rejected():
    with pytest.raises(ValueError):
        EpisodeConfig("moon", 0, 20)
    with pytest.raises(ValueError):
        EpisodeConfig("highway", 0, 10_000)


def test_a_simulator_exception_fails_the_run_with_a_message_and_is_never_stored(tmp_path, monkeypatch):
    def broken(env, action, at):
        raise sim.SimulatorError(f"the simulator failed at step {at}: RuntimeError: boom")

    monkeypatch.setattr(sim, "step", broken)
    store = RunStore(tmp_path, readonly=[])
    registry = JobRegistry(store=store)
    config = EpisodeConfig("highway", seed=7, steps=10)
    job = registry.get_or_start(config)
    job.wait(timeout=60)
    view = job.view()
    assert view.state == "failed" and "simulator failed at step 0" in view.error
    assert not store.has(config.key())
    registry.shutdown(timeout=10)


@pytest.mark.parametrize("scenario", ["highway", "racetrack"])
def test_the_grids_road_mask_is_what_highway_envs_closest_lane_says_cell_by_cell(scenario):
    from explainer.driving import episode

    env = sim.make_env(scenario, 3)
    expert = sim.Expert(env)
    network = env.unwrapped.road.network
    for t in range(12):
        if t % 4 == 0:
            points = episode._grid_points(env.unwrapped.vehicle)[2]
            one_by_one = np.array([[network.get_lane(network.get_closest_lane_index(p)).on_lane(p) for p in row]
                                   for row in points])
            np.testing.assert_array_equal(episode.road_mask(network, points), one_by_one)
            assert one_by_one.any() and not one_by_one.all()
        sim.step(env, expert.label(env), t)
    env.close()
