"""The BC-vs-DAgger section's generated sentences: they state a winner only where the seeds show one."""
import pandas as pd
import pytest

from explainer.driving.dagger import DaggerConfig
from explainer.driving.presets import FULL_DAGGER
from explainer.ui.driving.imitation import measured

CONFIG = DaggerConfig(rounds=1, test_seeds=4, train_seeds=4)


def _history(last: dict[str, list[float]], deviation: dict[str, list[float]] | None = None) -> pd.DataFrame:
    rows = []
    for arm, rates in last.items():
        for t, rate in enumerate(rates):
            rows.append({"train_seed": t, "step": 0, "arm": arm, "dataset": 20, "failure_rate": 0.75,
                         "mean_deviation": 0.5})
            rows.append({"train_seed": t, "step": 1, "arm": arm, "dataset": 40, "failure_rate": rate,
                         "mean_deviation": (deviation or {}).get(arm, [0.2] * 4)[t]})
    return pd.DataFrame(rows)


def test_dagger_is_credited_only_when_it_failed_fewer_on_most_seeds_and_more_on_none():
    text = measured(_history({"dagger": [0, 0, 0, 0.25], "bc": [0.5, 0.25, 0.5, 0.25],
                              "bc_centred": [0.5, 0.5, 0.5, 0.5]}), CONFIG)
    assert "made a difference of their own" in text
    assert "DAgger failed 1 of 16, cloning from the same starts 6 of 16, cloning from centred starts 8 of 16" in text
    assert "on 3 of 4 training seeds, more on 0 and as many on 1" in text
    assert "Cloning the demonstration alone (20 expert states) failed 12 of 16" in text


def test_equal_failures_say_the_gain_came_with_the_data():
    text = measured(_history({"dagger": [0, 0, 0, 0], "bc": [0, 0, 0.25, 0], "bc_centred": [0, 0, 0, 0]}), CONFIG)
    assert "who drove made no clear difference" in text and "made a difference of their own" not in text
    assert "Comparing cloning on 20 states with DAgger on 40 would have credited DAgger with all of it" in text
    assert "made no clear difference to failures" in text  # where the expert started
    assert "Earlier" not in text  # one round: nothing earlier to tell
    assert "every arm had 40 labelled states" in text


def test_cloning_winning_is_said_too():
    text = measured(_history({"dagger": [0.5, 0.5, 0.25, 0.5], "bc": [0, 0.25, 0, 0.5],
                              "bc_centred": [0.5] * 4}), CONFIG)
    assert "cloning failed fewer drives than DAgger" in text


def test_lane_deviation_is_compared_seed_by_seed():
    text = measured(_history({arm: [0] * 4 for arm in ("dagger", "bc", "bc_centred")},
                             {"dagger": [0.1, 0.1, 0.1, 0.3], "bc": [0.2, 0.2, 0.2, 0.2], "bc_centred": [0.2] * 4}),
                    CONFIG)
    assert "closer to the centre than same-start cloning's on 3 of 4 training seeds and farther on 1: no clear" in text


@pytest.mark.usefixtures("fresh_registry")
def test_the_shipped_runs_sentence_matches_its_numbers():
    from explainer.driving import dagger
    from explainer.runs import jobs

    run = jobs.get_registry().result_of(FULL_DAGGER)
    text = measured(run.history, FULL_DAGGER)
    last = dagger.summary(run.history).query("step == step.max()").set_index("arm")
    drives = FULL_DAGGER.train_seeds * FULL_DAGGER.test_seeds
    assert f"DAgger failed {round(last.loc['dagger'].failure_rate * drives)} of {drives}" in text
    vs = dagger.paired(run.history, "dagger", "bc")
    assert ("made a difference of their own" in text) == vs.clearly_fewer


def test_an_earlier_round_where_the_arms_differed_is_told():
    rows = _history({"dagger": [0] * 4, "bc": [0] * 4, "bc_centred": [0] * 4})
    round_2 = rows[rows.step == 1].assign(step=2, dataset=60)
    rows.loc[(rows.step == 1) & (rows.arm == "bc_centred") & (rows.train_seed == 0), "failure_rate"] = 0.5
    text = measured(pd.concat([rows, round_2]), DaggerConfig(rounds=2, test_seeds=4, train_seeds=4))
    assert "Earlier, in round 1 (40 states), they differed: DAgger failed 0 of 16, cloning from the same starts 0, " \
           "from centred starts 2." in text


def test_a_floor_where_no_arm_fails_is_said():
    rows = _history({"dagger": [0] * 4, "bc": [0] * 4, "bc_centred": [0] * 4})
    later = rows[rows.step == 1].assign(step=2, dataset=60)
    text = measured(pd.concat([rows, later]), DaggerConfig(rounds=2, test_seeds=4, train_seeds=4))
    assert "From round 1 (40 states) on, no arm failed any held-out drive" in text
    assert "From round" not in measured(_history({"dagger": [0] * 4, "bc": [0] * 4, "bc_centred": [0] * 4}), CONFIG)
