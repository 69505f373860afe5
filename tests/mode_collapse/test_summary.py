import math

import numpy as np
import pandas as pd

from explainer.mode_collapse.summary import (
    COLLAPSED,
    COVERS,
    DIVERGED,
    NOT_CONVERGED,
    collapsed_seeds,
    mean_se,
    outcome_counts,
    seed_outcome,
    summarize,
)


def test_mean_and_standard_error_by_hand():
    mean, se = mean_se([8, 6, 7, 7])
    assert mean == 7.0
    assert math.isclose(se, np.std([8, 6, 7, 7], ddof=1) / 2)


def test_diverged_seeds_are_left_out_of_means_and_counted_apart():
    m = pd.DataFrame({"modes_covered": [8, np.nan, 2], "high_quality": [0.9, np.nan, 0.5],
                      "reverse_kl": [0.0, np.nan, 1.0], "diverged": [False, True, False]})
    s = summarize(m)
    assert s["modes_covered"][0] == 5.0 and s["high_quality"][0] == 0.7
    assert collapsed_seeds(m) == 1 and outcome_counts(m)[DIVERGED] == 1


def test_a_seed_collapsed_only_if_it_converged():
    """Few modes with under 5% high-quality samples is a seed that has not learned the ring, not collapse."""
    assert seed_outcome(2, 0.30) == COLLAPSED and seed_outcome(4, 0.05) == COLLAPSED
    assert seed_outcome(1, 0.02) == NOT_CONVERGED and seed_outcome(8, 0.049) == NOT_CONVERGED
    assert seed_outcome(5, 0.5) == COVERS and seed_outcome(float("nan"), float("nan")) == DIVERGED
    m = pd.DataFrame({"modes_covered": [3, 4, 1, 8], "high_quality": [0.03, 0.5, 0.01, 0.9]})
    assert outcome_counts(m) == {NOT_CONVERGED: 2, COLLAPSED: 1, COVERS: 1} and collapsed_seeds(m) == 1


def test_no_finite_values_give_nan_not_an_error():
    assert all(math.isnan(x) for x in mean_se([np.nan]))
    assert mean_se([3.0]) == (3.0, 0.0)
