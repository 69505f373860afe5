"""Behaviour cloning vs DAgger and the data engine, on small fast configurations."""
import numpy as np

from explainer.driving.dagger import DaggerConfig, policies
from explainer.driving.data_engine import DataEngineConfig


def test_dagger_grows_its_data_each_round_and_does_not_fail_more_than_cloning(torch_one_thread):
    config = DaggerConfig(rounds=2, test_seeds=3, horizon=40)
    run = config.train()
    h = run.history
    assert list(h["step"]) == [0, 1, 2]
    assert np.all(np.diff(h["dataset"]) > 0)  # every round adds the states the learner visited
    assert h["failure_rate"].iloc[-1] <= h["failure_rate"].iloc[0]
    failed = run.snapshots[0].arrays["failed"]
    assert failed.shape == (3, 40) and np.all(np.diff(failed.astype(int), axis=1) >= 0)  # failed stays failed
    assert set(policies(run)) == {"bc", "dagger"}


def test_the_data_engine_lowers_the_rare_failure_rate(torch_one_thread):
    run = DataEngineConfig(rounds=1, fleet=4, rare_share=0.5, test_seeds=3).train()
    h = run.history
    assert h["rare_failure_rate"].iloc[0] > 0  # trained on common driving only, it fails the rare case
    assert h["rare_failure_rate"].iloc[-1] < h["rare_failure_rate"].iloc[0]
    assert h["mined"].iloc[-1] > 0 and h["dataset"].iloc[-1] > h["dataset"].iloc[0]


def _reports(config) -> list:
    reports = []
    run = config.train(progress=reports.append)
    assert run.status == "done"
    return reports


def test_dagger_reports_progress_within_its_first_drive_not_once_per_drive(torch_one_thread):
    config = DaggerConfig(rounds=1, test_seeds=2, horizon=20, demo_steps=20, epochs=20)
    reports = _reports(config)
    steps = [p.step for p in reports]
    assert steps[0] == 1 and steps[1] == 2  # one report per simulator step of the first demonstration
    assert np.all(np.diff(steps) >= 0) and steps[-1] == config.steps == reports[-1].total_steps
    assert "failure_rate" in reports[-1].losses


def test_the_data_engine_reports_progress_within_its_first_drive(torch_one_thread):
    config = DataEngineConfig(rounds=1, fleet=2, test_seeds=2, horizon=20, epochs=20)
    steps = [p.step for p in _reports(config)]
    assert steps[:3] == [1, 2, 3] and steps[-1] == config.steps
    assert np.all(np.diff(steps) >= 0)
