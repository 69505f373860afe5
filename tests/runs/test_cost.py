"""The cost guard's estimates: from a config's sizes, corrected by what this server measured."""
import pytest

from explainer.gan.presets import PRESETS
from explainer.runs import cost
from tests.support.fakes import FakeConfig

BIG = PRESETS["lab"].replace(steps=20000, g_width=256, d_width=256, g_depth=4, d_depth=4, batch_size=512, pack=4,
                             d_steps=5, unrolled_steps=10)  # a link a mischievous visitor might send


@pytest.fixture(autouse=True)
def fresh_speeds(monkeypatch):
    monkeypatch.setattr(cost, "_speed", {})


def test_a_config_that_cannot_say_has_no_estimate():
    assert cost.estimate_s(FakeConfig()) is None
    cost.record(FakeConfig(), 5.0)  # and teaches nothing
    assert cost._speed == {}


def test_gan_estimates_grow_with_size_and_tell_seconds_from_hours():
    lab = cost.estimate_s(PRESETS["lab"])
    assert 5 < lab < cost.CONFIRM_S  # the Lab trains without asking
    assert cost.estimate_s(PRESETS["lab"].replace(steps=6000)) == pytest.approx(2 * lab)
    assert cost.estimate_s(PRESETS["lab"].replace(n_seeds=10)) > lab
    assert cost.estimate_s(BIG) > cost.MAX_S  # hours: refused


def test_finished_runs_teach_the_server_its_speed():
    lab = PRESETS["lab"]
    predicted = cost.estimate_s(lab)
    cost.record(lab, 2 * predicted)  # this server is twice as slow as the model's machine
    assert cost.estimate_s(lab) == pytest.approx(2 * predicted)
    assert cost.estimate_s(BIG) == pytest.approx(2 * BIG.predicted_s())  # per model, for every size
    cost.record(lab, 1000 * predicted)  # an odd run (a stalled machine) moves it, within bounds
    assert cost.estimate_s(lab) <= 5 * predicted
    cost.record(PRESETS["lab"].replace(steps=200), 60.0)  # too short to learn from: mostly set-up
    assert cost.estimate_s(lab) <= 5 * predicted


def test_durations_read_as_people_say_them():
    assert [cost.said(s) for s in (40, 420, 18000)] == ["40 s", "7 min", "5.0 h"]
