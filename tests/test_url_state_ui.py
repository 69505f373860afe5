"""The Streamlit binding: a link opens the exact demo, bad links get a notice, widget changes update the link."""
from streamlit.testing.v1 import AppTest


def demo_page():
    import streamlit as st

    from explainer.ui.url_state import UrlState
    from explainer.urlstate import ChoiceParam, FloatParam, IntParam

    url = UrlState("demo", [IntParam("steps", 2000, 100, 20000), FloatParam("lr", 1e-3, 1e-5, 1.0),
                            ChoiceParam("loss", "nonsaturating", ("minimax", "nonsaturating"))])
    url.widget(st.slider, "steps", "Steps")
    url.widget(st.number_input, "lr", "Learning rate", format="%g")
    url.widget(st.selectbox, "loss", "Loss")


def run(query):
    at = AppTest.from_function(demo_page)
    at.query_params.update(query)
    return at.run()


def test_a_good_link_opens_the_exact_state():
    at = run({"steps": "500", "lr": "0.01", "loss": "minimax"})
    assert not at.exception and not at.warning
    assert (at.slider[0].value, at.number_input[0].value, at.selectbox[0].value) == (500, 0.01, "minimax")


def test_a_hostile_link_is_fixed_with_a_notice_and_rewritten():
    at = run({"steps": "1e99", "lr": "abc", "loss": "<script>", "bogus": "x" * 5000})
    assert not at.exception
    assert len(at.warning) == 1
    notice = at.warning[0].value
    assert "steps" in notice and "lr" in notice and "loss" in notice and "unknown" in notice
    assert (at.slider[0].value, at.number_input[0].value, at.selectbox[0].value) == (20000, 1e-3, "nonsaturating")
    assert at.query_params == {"steps": "20000"}  # defaults and unknown keys are dropped from the link


def test_changing_a_widget_updates_the_link_and_silences_the_notice():
    at = run({"steps": "-3"})
    assert at.slider[0].value == 100 and at.warning
    at.slider[0].set_value(700).run()
    assert at.query_params["steps"] == "700" and not at.warning
    at.slider[0].set_value(2000).run()  # back to the default: out of the link
    assert "steps" not in at.query_params
