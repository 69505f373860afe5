"""Behaviour cloning vs DAgger on a small fast configuration."""
import numpy as np

from explainer.driving.dagger import DaggerConfig, policies
from explainer.runs.jobs import execute
from tests.support.fakes import progress_reports


def test_dagger_grows_its_data_each_round_and_does_not_fail_more_than_cloning(torch_one_thread):
    config = DaggerConfig(rounds=2, test_seeds=3, horizon=40)
    run = execute(config)
    h = run.history
    assert list(h["step"]) == [0, 1, 2]
    assert np.all(np.diff(h["dataset"]) > 0)  # every round adds the states the learner visited
    assert h["failure_rate"].iloc[-1] <= h["failure_rate"].iloc[0]
    failed = run.snapshots[0].arrays["failed"]
    assert failed.shape == (3, 40) and np.all(np.diff(failed.astype(int), axis=1) >= 0)  # failed stays failed
    assert set(policies(run)) == {"bc", "dagger"}



def test_dagger_reports_progress_within_its_first_drive_not_once_per_drive(torch_one_thread):
    config = DaggerConfig(rounds=1, test_seeds=2, horizon=20, demo_steps=20, epochs=20)
    reports = progress_reports(config)
    steps = [p.step for p in reports]
    assert steps[0] == 1 and steps[1] == 2  # one report per simulator step of the first demonstration
    assert np.all(np.diff(steps) >= 0) and steps[-1] == config.steps == reports[-1].total_steps
    assert "failure_rate" in reports[-1].losses
