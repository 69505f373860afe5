"""The Interpretability page in a real browser: each section from its link, an empty drawing, presenter mode."""
import pytest

from tests.support.browser import visit_section

SECTIONS = ("attributions", "sanity", "learned", "robustness")


def open_interpretability(tab, app_url, query=""):
    visit_section(tab, app_url, "interpretability", query, "Interpretability")


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_opens_from_its_link_and_draws_its_charts(section, app_url, tab, screenshots):
    open_interpretability(tab, app_url, f"section={section}")
    tab.locator(".js-plotly-plot .main-svg").first.wait_for()
    assert tab.locator('[data-testid="stPlotlyChart"]').count() >= 3
    tab.screenshot(path=str(screenshots / f"interpretability__{section}.png"), full_page=True)


def test_an_empty_drawing_asks_for_a_digit(app_url, tab):
    open_interpretability(tab, app_url, "section=attributions&input=draw")
    tab.get_by_text("Draw a digit in the black square").wait_for()


def test_presenter_mode_with_a_clamped_link(app_url, tab, screenshots):
    open_interpretability(tab, app_url, "section=robustness&eps=9&present=1")
    tab.get_by_text("link parameters were fixed").wait_for()
    tab.locator(".js-plotly-plot .main-svg").first.wait_for()
    tab.screenshot(path=str(screenshots / "interpretability__present.png"))
