"""The Streamlit binding: a link opens the exact demo, bad links get one notice naming every fixed key and are
rewritten at once to the corrected state only, widget changes update the link."""
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import run_page


def demo_page():
    import streamlit as st

    from explainer.ui.url_state import UrlState
    from explainer.urlstate import ChoiceParam, FloatParam, IntParam

    url = UrlState("demo", [IntParam("steps", 2000, 100, 20000), FloatParam("lr", 1e-3, 1e-5, 1.0),
                            ChoiceParam("loss", "nonsaturating", ("minimax", "nonsaturating")),
                            ChoiceParam("batch", 16, (4, 8, 16, 32)), IntParam("hidden", 5, 0, 9)])
    url.widget(st.slider, "steps", "Steps")
    url.widget(st.number_input, "lr", "Learning rate", format="%g")
    url.widget(st.selectbox, "loss", "Loss")
    url.widget(st.select_slider, "batch", "Batch")
    # "hidden" has no widget in this run (like a knob of another section): the link is still corrected


def run(query):
    at = AppTest.from_function(demo_page)
    at.query_params.update(query)
    return at.run()


def notice(at) -> str:
    assert len(at.warning) == 1, [w.value for w in at.warning]
    return at.warning[0].value


def test_a_good_link_opens_the_exact_state():
    at = run({"steps": "500", "lr": "0.01", "loss": "minimax", "batch": "32", "hidden": "7"})
    assert not at.exception and not at.warning
    assert (at.slider[0].value, at.number_input[0].value, at.selectbox[0].value) == (500, 0.01, "minimax")
    assert at.select_slider[0].value == 32
    assert at.query_params == {"steps": "500", "lr": "0.01", "loss": "minimax", "batch": "32", "hidden": "7"}


def test_a_hostile_link_is_fixed_with_one_notice_naming_each_key_once_and_rewritten():
    at = run({"steps": "1e99", "lr": "abc", "loss": "<script>", "batch": "7", "hidden": "99", "bogus": "x" * 5000})
    assert not at.exception
    text = notice(at)
    for key in ("steps", "lr", "loss", "batch", "hidden"):
        assert text.count(f"`{key}") == 1, key
    assert "unknown" in text and "bogus" in text and "xxxxxxxxxx" not in text
    assert (at.slider[0].value, at.number_input[0].value, at.selectbox[0].value) == (20000, 1e-3, "nonsaturating")
    assert at.select_slider[0].value == 8  # snapped to the nearest option
    # the link holds the corrected state only: clamped values rewritten (also with no widget drawn), garbled
    # values back at their default and unknown keys removed
    assert at.query_params == {"steps": "20000", "batch": "8", "hidden": "9"}


def test_the_notice_is_shown_once_not_again_on_a_rerun_or_a_widget_change():
    at = run({"steps": "-3", "hidden": "abc", "zzz": "1"})
    assert at.slider[0].value == 100 and "`steps`" in notice(at) and "`hidden=" in notice(at)
    assert at.query_params == {"steps": "100"}
    at.run()
    assert not at.warning and at.query_params == {"steps": "100"}
    at.slider[0].set_value(700).run()
    assert at.query_params == {"steps": "700"} and not at.warning
    at.selectbox[0].set_value("minimax").run()
    assert at.query_params == {"steps": "700", "loss": "minimax"} and not at.warning
    at.slider[0].set_value(2000).run()  # back to the default: out of the link
    assert at.query_params == {"loss": "minimax"} and not at.warning


def test_a_repeated_key_is_written_back_once():
    at = run({"steps": ["500", "600"]})
    assert "2 times" in notice(at) and at.slider[0].value == 600
    assert at.query_params == {"steps": "600"}


# --- the real pages --------------------------------------------------------------------------------------------

def test_a_garbled_presenter_value_is_named_and_removed():
    at = run_page("site_pages/home.py", {"present": "maybe", "zzz": "1"})
    assert not at.exception and at.sidebar.toggle[0].value is False
    text = notice(at)
    assert "`present='maybe'`" in text and "zzz" in text
    assert at.query_params == {}
    at.run()
    assert not at.warning


def test_deep_learning_rewrites_a_hidden_sections_bad_values_and_says_so_once():
    at = run_page("site_pages/deep_learning.py", {"lr": "abc", "depth": "99", "batch": "7"})  # the backprop section
    text = notice(at)
    for key in ("lr", "depth", "batch"):
        assert text.count(f"`{key}") == 1, key
    assert at.query_params == {"depth": "6", "batch": "8"}
    at.run()
    assert not at.warning and at.query_params == {"depth": "6", "batch": "8"}
    at.get("button_group")[0].set_value("playground").run()  # the section control: the playground shows them
    assert not at.exception and not at.warning
    assert next(s for s in at.slider if s.label == "Hidden layers").value == 6
    assert at.query_params["depth"] == "6" and at.query_params["section"] == "playground"


@pytest.mark.parametrize("page, key, raw, label, snapped", [
    ("site_pages/deep_learning.py", "lr", "0.007", "Learning rate η", 0.01),  # log scale: not 0.003
    ("site_pages/gan.py", "lr_g", "0.0007", "G learning rate", 5e-4),
])
def test_an_off_list_learning_rate_snaps_to_the_nearest_on_every_page(page, key, raw, label, snapped):
    query = {key: raw} | ({"section": "playground"} if "deep" in page else {})
    at = run_page(page, query)
    assert not at.exception
    assert f"`{key}='{raw}'`" in notice(at) and "nearest" in notice(at)
    assert next(s for s in at.select_slider if s.label == label).value == snapped
    assert at.query_params[key] == f"{snapped:g}"


def test_an_off_list_word_falls_back_to_the_default_with_a_notice():
    at = run_page("site_pages/mode_collapse.py", {"config": "best'; drop table"})
    assert not at.exception and "`config=" in notice(at)
    assert at.get("button_group")[0].value == "collapse" and at.query_params == {}


def test_an_unknown_points_token_is_named_and_dropped():
    at = run_page("site_pages/gan.py", {"dataset": "points", "points": "0123456789ab"})
    assert not at.exception
    assert "`points='0123456789ab'`" in notice(at) and "no drawn or uploaded point set" in notice(at)
    assert at.query_params == {"dataset": "points"}
    assert any("Draw a shape" in i.value for i in at.info)
    at.run()
    assert not at.warning


def test_a_long_points_value_is_dropped_and_the_notice_does_not_come_back():
    at = run_page("site_pages/gan.py", {"points": "a" * 3000})
    assert "`points` is too long" in notice(at) and at.query_params == {}
    at.get("button_group")[0].set_value("math").run()
    assert not at.warning and at.query_params == {"section": "math"}


def test_a_link_to_stored_points_opens_them():
    from explainer.ui.gan.points_input import save_points

    rng = np.random.default_rng(3)
    digest = save_points(rng.normal(size=(50, 2)))
    at = run_page("site_pages/gan.py", {"dataset": "points", "points": digest})
    assert not at.exception and not at.warning
    assert at.query_params == {"dataset": "points", "points": digest}
    assert any("Training data: 50 points" in c.value for c in at.caption)


def test_every_page_declares_each_url_key_once_and_labels_every_experiment():
    from explainer.deep_learning.recipe import EXPERIMENTS
    from explainer.ui.deep_learning import params as dl
    from explainer.ui.gan import params as gan
    from explainer.ui.mode_collapse import params as mc

    for module in (dl, gan, mc):
        keys = [s.key for s in module.specs()]
        assert len(keys) == len(set(keys)), module.__name__
    assert set(dl.EXPERIMENT_LABELS) == set(EXPERIMENTS)
