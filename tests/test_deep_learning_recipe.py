"""Karpathy's recipe experiments: each shows what it should, deterministically, with progress."""
import math

import pandas as pd
import pytest

from explainer.deep_learning import recipe


@pytest.fixture(scope="module")
def results():
    return {name: fn() for name, fn in recipe.EXPERIMENTS.items()}


def test_every_experiment_returns_curves_and_figures(results):
    for name, result in results.items():
        assert isinstance(result.curves, pd.DataFrame) and len(result.curves) > 5, name
        assert {"run", "step", "train_loss"} <= set(result.curves.columns), name
        assert result.figures and result.seconds > 0, name


def test_loss_at_initialisation_is_ln10(results):
    f = results["init_loss"].figures
    assert f["expected"] == pytest.approx(math.log(10))
    assert abs(f["measured"] - math.log(10)) < 0.1
    assert f["measured_x10"] > f["measured"] + 0.3  # a large final layer starts far above ln 10


def test_a_single_batch_can_be_overfit(results):
    f = results["overfit_one_batch"].figures
    assert f["final_loss"] < 0.05 and f["final_acc"] == 1.0
    assert f["final_val_loss"] > 10 * f["final_loss"]  # memorising one batch is not learning digits


def test_input_independent_baseline_only_learns_the_class_frequencies(results):
    f = results["input_independent_baseline"].figures
    assert abs(f["final_val_loss_zeroed"] - f["label_entropy"]) < 0.05
    assert f["final_val_loss_real"] < 0.5


def test_too_large_a_learning_rate_is_worse_than_the_right_one(results):
    f = results["learning_rates"].figures

    def final(name):
        value = f[f"final_train_loss_{name}"]
        return math.inf if math.isnan(value) else value

    assert final("too_large") > final("about_right") + 0.5
    assert final("too_small") > final("about_right") + 0.5


def test_more_data_and_weight_decay_narrow_the_generalisation_gap(results):
    f = results["overfitting"].figures
    assert f["100_wd0_final_train_loss"] < 0.05 and f["100_wd0_gap"] > 0.3  # little data: memorised
    assert f["1000_wd0_gap"] < f["100_wd0_gap"]
    assert f["100_wd0.001_final_val_loss"] < f["100_wd0_final_val_loss"]


def test_deterministic_for_a_seed_and_reports_progress():
    config = recipe.LearningRateConfig(steps=40, hidden=16)
    fractions = []
    a = recipe.learning_rates(config, progress=fractions.append)
    b = recipe.learning_rates(config)
    pd.testing.assert_frame_equal(a.curves, b.curves)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 3
    c = recipe.learning_rates(recipe.LearningRateConfig(steps=40, hidden=16, seed=1))
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
