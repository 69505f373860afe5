"""The data engine on a small fast configuration."""
import numpy as np

from explainer.driving.data_engine import DataEngineConfig
from explainer.runs.jobs import execute
from tests.support.fakes import progress_reports


def test_the_data_engine_labels_what_its_trigger_finds_within_its_budget_and_refits(torch_one_thread):
    """The loop's mechanics, whatever this seed's failure rates come out as (the page says those from the numbers):
    every round the expert labels the trigger's finds, at most `label_budget` of them, and they join the data."""
    config = DataEngineConfig(rounds=2, fleet=3, rare_share=1.0, horizon=30, test_seeds=2, label_budget=4, epochs=50)
    h = execute(config).history
    assert list(h["step"]) == [0, 1, 2] and h["triggered"].iloc[0] == h["mined"].iloc[0] == 0
    assert (h["triggered"].iloc[1:] > 0).all()  # a car brakes ahead in every fleet drive: the shadow expert disagrees
    assert (h["mined"] == np.minimum(h["triggered"], config.label_budget)).all()
    assert (np.diff(h["dataset"]) == h["mined"].iloc[1:].to_numpy()).all()
    for column in ("common_failure_rate", "rare_failure_rate"):
        assert set(h[column] * config.test_seeds) <= {0.0, 1.0, 2.0}  # a share of the held-out drives



def test_the_data_engine_reports_progress_within_its_first_drive(torch_one_thread):
    config = DataEngineConfig(rounds=1, fleet=2, test_seeds=2, horizon=20, epochs=20)
    steps = [p.step for p in progress_reports(config)]
    assert steps[:3] == [1, 2, 3] and steps[-1] == config.steps
    assert np.all(np.diff(steps) >= 0)
