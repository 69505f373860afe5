"""Karpathy's recipe experiments: each shows what it should, deterministically, with progress."""
import dataclasses
import math
import threading

import pandas as pd
import pytest

from explainer.deep_learning import recipe
from explainer.deep_learning.experiment import ExperimentResult
from explainer.runs.jobs import execute
from explainer.runs.result import CANCELLED, DONE
from explainer.runs.store import RunStore


def experiment(config) -> ExperimentResult:
    return ExperimentResult.of(execute(config))


@pytest.fixture(scope="module")
def results():
    return {name: experiment(make()) for name, make in recipe.EXPERIMENTS.items()}


def test_every_experiment_returns_curves_and_one_summary_per_run(results):
    for name, result in results.items():
        assert isinstance(result.curves, pd.DataFrame) and len(result.curves) > 5, name
        assert {"run", "step", "train_loss"} <= set(result.curves.columns), name
        assert [r.label for r in result.runs] == list(dict.fromkeys(result.curves["run"])), name
        assert result.seconds > 0, name


def test_loss_at_initialisation_is_ln10(results):
    small, default, large = results["init_loss"].runs
    assert (small.setting, default.setting, large.setting) == (0.01, 1.0, 10.0)
    assert abs(small.initial_loss - math.log(10)) < 0.1
    assert large.initial_loss > small.initial_loss + 0.3  # a large final layer starts far above ln 10


def test_a_single_batch_can_be_overfit(results):
    (run,) = results["overfit_one_batch"].runs
    assert run.final_train_loss < 0.05 and run.final_train_acc == 1.0
    assert run.final_val_loss > 10 * run.final_train_loss  # memorising one batch is not learning digits


def test_input_independent_baseline_only_learns_the_class_frequencies(results):
    result = results["input_independent_baseline"]
    assert abs(result.run("inputs zeroed").final_val_loss - result.label_entropy) < 0.05
    assert result.run("real inputs").final_val_loss < 0.5


def test_too_large_a_learning_rate_is_worse_than_the_right_one(results):
    small, right, large = results["learning_rates"].runs

    def final(run):
        return math.inf if math.isnan(run.final_train_loss) else run.final_train_loss

    assert final(large) > final(right) + 0.5
    assert final(small) > final(right) + 0.5


def test_more_data_and_weight_decay_narrow_the_generalisation_gap(results):
    runs = {(r.n_train, r.setting): r for r in results["overfitting"].runs}
    assert runs[100, 0.0].final_train_loss < 0.05 and runs[100, 0.0].gap > 0.3  # little data: memorised
    assert runs[1000, 0.0].gap < runs[100, 0.0].gap
    assert runs[100, 0.001].final_val_loss < runs[100, 0.0].final_val_loss


def test_a_result_survives_the_run_store(results, tmp_path):
    config = recipe.LearningRateConfig()
    run = execute(config)
    store = RunStore(tmp_path, readonly=[])
    store.save(run)
    back = ExperimentResult.of(store.load(config.key()))
    original = results["learning_rates"].runs
    assert len(back.runs) == len(original) == 3
    for ours, theirs in zip(back.runs, original, strict=True):
        for field in dataclasses.fields(ours):
            a, b = getattr(ours, field.name), getattr(theirs, field.name)
            assert type(a) is field.type, field.name  # str, float, int, bool: not numpy scalars
            assert a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)), field.name
    pd.testing.assert_frame_equal(back.curves.reset_index(drop=True), run.history.reset_index(drop=True),
                                  check_dtype=False)


def test_a_config_trains_through_the_registry_contract():
    reports = []
    run = execute(recipe.OverfitBatchConfig(steps=40), reports.append)
    assert run.status == DONE and run.key == recipe.OverfitBatchConfig(steps=40).key()
    assert reports[-1].step == reports[-1].total_steps == 40
    stop = threading.Event()
    stop.set()
    assert execute(recipe.OverfitBatchConfig(steps=40), stop=stop).status == CANCELLED


def test_configure_matches_the_page_knobs():
    for name, knobs in recipe.KNOBS.items():
        keys = {recipe.configure(name, knob).key() for knob in knobs}
        assert len(keys) == len(knobs), name  # each setting is its own run
    with pytest.raises(ValueError):
        recipe.configure("nope", None)


def test_deterministic_for_a_seed_and_reports_progress():
    config = recipe.LearningRateConfig(steps=40, hidden=16)
    reports = []
    a = ExperimentResult.of(execute(config, reports.append))
    b = experiment(config)
    pd.testing.assert_frame_equal(a.curves, b.curves)
    steps = [r.step for r in reports]
    assert steps == sorted(steps) and steps[-1] == reports[-1].total_steps == 3 * 40 and len(steps) >= 3
    c = experiment(recipe.LearningRateConfig(steps=40, hidden=16, seed=1))
    assert not a.curves["train_loss"].equals(c.curves["train_loss"])


@pytest.mark.parametrize("make", [
    lambda: recipe.InitConfig(hidden=0), lambda: recipe.InitConfig(scales=()), lambda: recipe.InitConfig(steps=10**6),
    lambda: recipe.OverfitBatchConfig(lr=float("nan")), lambda: recipe.OverfitBatchConfig(batch_size=2.5),
    lambda: recipe.BaselineConfig(seed=-1), lambda: recipe.LearningRateConfig(lrs=(0.1, 0.2)),
    lambda: recipe.LearningRateConfig(lrs=(0.1, 0.2, float("inf"))), lambda: recipe.LearningRateConfig(optimizer="x"),
    lambda: recipe.OverfittingConfig(train_sizes=(0,)), lambda: recipe.OverfittingConfig(weight_decays=(-1.0,)),
    lambda: recipe.OverfittingConfig(hidden=True),
])
def test_configs_reject_hostile_values(make):
    with pytest.raises(ValueError):
        make()
