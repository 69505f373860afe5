"""The Compare view's sentence: numbers of one run a side, more modes said only when counted, never 'better'."""
import pandas as pd

from explainer.ui.gan.compare import difference


def _m(modes, hq, kl, diverged=False):
    return pd.Series({"modes_covered": modes, "high_quality": hq, "reverse_kl": kl, "diverged": diverged})


def test_the_side_with_more_modes_is_named_and_one_run_a_side_is_said():
    text = difference(_m(8, 0.37, 0.29), _m(6, 0.32, 0.52), 8)
    assert text.startswith("A: 8 of 8 modes covered, 37% of samples high quality, reverse KL 0.29. B: 6 of 8")
    assert "A covered more modes." in text and "One run a side" in text and "better" not in text


def test_equal_modes_compare_high_quality_and_near_equal_runs_say_so():
    assert "Both covered 8 modes; B put more of its samples on them." in difference(
        _m(8, 0.30, 0.2), _m(8, 0.50, 0.1), 8)
    assert "On these seeds the two did about the same." in difference(_m(8, 0.50, 0.2), _m(8, 0.52, 0.1), 8)


def test_a_diverged_side_is_said_to_have_diverged():
    assert "B: diverged." in difference(_m(8, 0.5, 0.1), _m(float("nan"), float("nan"), float("nan"), True), 8)
