"""DAgger against behaviour cloning at equal data: the protocol's controls, and the seed-by-seed comparison."""
import numpy as np
import pandas as pd
import pytest
import torch

from explainer.driving import dagger, imitation
from explainer.driving.dagger import ARMS, DEMO, DaggerConfig, paired
from explainer.runs.context import Run
from explainer.runs.jobs import execute
from tests.support.fakes import progress_reports

SMALL = DaggerConfig(rounds=2, test_seeds=2, horizon=20, episode_steps=10, train_seeds=2, epochs=20)


@pytest.fixture(scope="module")
def small_run():
    from explainer.threads import one_thread

    with one_thread():
        return execute(SMALL)


def test_every_arm_starts_from_the_same_policy_and_grows_by_the_same_states(small_run):
    h = small_run.history
    assert len(h) == SMALL.train_seeds * (SMALL.rounds + 1) * len(ARMS)
    for (_, step), rows in h.groupby(["train_seed", "step"]):
        assert rows.dataset.nunique() == 1  # equal data: the expert's drives are cut to the learner's length
        if step == 0:  # round 0 is one policy, cloned from the demonstration, shared by the arms
            assert rows.failure_rate.nunique() == 1 and rows.mean_deviation.nunique() == 1
            assert rows.dataset.iloc[0] == SMALL.demos * SMALL.demo_steps
    for _, rows in h.groupby(["train_seed", "arm"]):
        assert np.all(np.diff(rows.sort_values("step").dataset) > 0)


def test_the_kept_drives_are_every_training_seeds_and_failure_is_final(small_run):
    for arm in (DEMO, *ARMS):
        failed, deviation = dagger.drives(small_run, arm)
        assert failed.shape == deviation.shape == (SMALL.train_seeds * SMALL.test_seeds, SMALL.horizon)
        assert np.all(np.diff(failed.astype(int), axis=1) >= 0)  # failed stays failed
        assert np.all(np.isnan(deviation[failed]))
    summary = dagger.summary(small_run.history)
    assert set(summary.seeds) == {SMALL.train_seeds}
    assert np.all(summary.failure_min <= summary.failure_rate) and np.all(summary.failure_rate <= summary.failure_max)


def test_a_new_episode_is_the_same_scene_for_every_arm_only_the_driver_and_start_differ(torch_one_thread):
    config = DaggerConfig(episode_steps=15)
    policy = imitation.fit(np.zeros((4, 6), np.float32), np.zeros((4, 2), np.float32),
                           torch.Generator().manual_seed(0), epochs=1)
    episodes = dagger.new_episodes(Run(config), config.learner_seeds(0)[0], policy)
    steps = len(episodes["dagger"].features)
    assert all(len(e.features) <= steps for e in episodes.values())
    np.testing.assert_array_equal(episodes["bc"].features[0], episodes["dagger"].features[0])  # the same start
    assert episodes["bc_centred"].features[0][0] == pytest.approx(0, abs=1e-4)  # on the centre line
    np.testing.assert_array_equal(episodes["bc"].actions, episodes["bc"].labels)  # the expert drove


def test_training_seeds_have_their_own_episodes_and_share_the_held_out_drives():
    config = DaggerConfig(train_seeds=3, demos=2, rounds=2)
    seen = [set(config.demo_seeds(t)) | set(config.learner_seeds(t)) for t in range(config.train_seeds)]
    assert all(len(s) == config.demos + config.rounds * config.rollouts for s in seen)
    assert seen[0].isdisjoint(seen[1]) and seen[1].isdisjoint(seen[2])
    assert all(s.isdisjoint(config.held_out()) for s in seen)


def _history(rates: dict[str, list[float]], step: int = 1) -> pd.DataFrame:
    return pd.DataFrame([{"train_seed": t, "step": step, "arm": arm, "dataset": 40, "failure_rate": r,
                          "mean_deviation": 0.2} for arm, rs in rates.items() for t, r in enumerate(rs)])


def test_paired_counts_seeds_and_calls_a_winner_only_on_most_seeds_and_never_worse():
    h = _history({"dagger": [0, 0, 0.5, 0.25], "bc": [0.5, 0, 0.5, 0.5]})
    p = paired(h, "dagger", "bc")
    assert (p.fewer, p.more, p.same, p.seeds) == (2, 0, 2, 4)
    assert not p.clearly_fewer  # 2 of 4 is not most
    h = _history({"dagger": [0, 0, 0.25, 0.25], "bc": [0.5, 0, 0.5, 0.5]})
    assert paired(h, "dagger", "bc").clearly_fewer
    h = _history({"dagger": [0, 0, 0.75, 0.25], "bc": [0.5, 0.25, 0.5, 0.5]})
    assert not paired(h, "dagger", "bc").clearly_fewer  # worse on one seed


def test_dagger_reports_progress_within_its_first_drive_not_once_per_drive(torch_one_thread):
    config = DaggerConfig(rounds=1, test_seeds=2, horizon=20, demo_steps=20, episode_steps=10, train_seeds=1,
                          epochs=20)
    reports = progress_reports(config)
    steps = [p.step for p in reports]
    assert steps[0] == 1 and steps[1] == 2  # one report per simulator step of the first demonstration
    assert np.all(np.diff(steps) >= 0) and steps[-1] == config.steps == reports[-1].total_steps
    assert "failure_rate" in reports[-1].losses
