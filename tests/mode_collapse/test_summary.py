import math

import numpy as np
import pandas as pd

from explainer.mode_collapse.summary import collapsed_seeds, mean_se, summarize


def test_mean_and_standard_error_by_hand():
    mean, se = mean_se([8, 6, 7, 7])
    assert mean == 7.0
    assert math.isclose(se, np.std([8, 6, 7, 7], ddof=1) / 2)


def test_diverged_seeds_are_left_out_of_means_but_count_as_collapsed():
    m = pd.DataFrame({"modes_covered": [8, np.nan, 2], "high_quality": [0.9, np.nan, 0.5],
                      "reverse_kl": [0.0, np.nan, 1.0]})
    s = summarize(m)
    assert s["modes_covered"][0] == 5.0 and s["high_quality"][0] == 0.7
    assert collapsed_seeds(m) == 2


def test_no_finite_values_give_nan_not_an_error():
    assert all(math.isnan(x) for x in mean_se([np.nan]))
    assert mean_se([3.0]) == (3.0, 0.0)
