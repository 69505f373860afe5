"""The "Autonomous driving" page in a real browser: each section from its link, the replayed frame drawn as a real
picture (not the black-frame trap), a new episode recorded live, and a live data-engine run from its Train button."""
import io

import numpy as np
import pytest
from PIL import Image

from tests.support.browser import assert_clean, visit_section

SECTIONS = ("stack", "steering", "imitation", "data-engine")
PROGRESS = '[data-testid="stProgress"]'


def open_driving(tab, app_url, query=""):
    visit_section(tab, app_url, "driving", query, "Autonomous driving")


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_opens_from_its_link_and_draws_its_charts(section, app_url, tab, screenshots):
    open_driving(tab, app_url, f"section={section}")
    tab.locator(".js-plotly-plot .main-svg").first.wait_for()
    assert tab.get_by_role("heading", name="References").count() == 1
    tab.screenshot(path=str(screenshots / f"driving__{section}.png"), full_page=True)


def test_the_replayed_frame_is_a_real_picture_on_screen(app_url, tab):
    """What the browser draws of the simulator's frame: not black (pygame's dummy video driver renders black),
    and more than one flat colour (road, lane markings, cars)."""
    open_driving(tab, app_url)
    frame = tab.locator('.js-plotly-plot image').first
    frame.wait_for()
    pixels = np.asarray(Image.open(io.BytesIO(frame.screenshot())).convert("RGB"))
    assert pixels.shape[0] > 50 and pixels.shape[1] > 200
    assert float((pixels.max(axis=2) < 30).mean()) < 0.5
    assert len(np.unique(pixels.reshape(-1, 3) // 16, axis=0)) >= 4


def test_play_moves_the_picture_the_tables_and_the_link_together(app_url, page):
    """One time control: Play advances the step that the picture's title, the tables and the link all show. (A
    tab of its own: the shared tab, after five page loads, once held a second, stale copy of the Play button.)"""
    tab = page
    open_driving(tab, app_url, "step=3")
    title = tab.locator(".js-plotly-plot .gtitle").first
    title.wait_for()
    assert "t = 0.6 s" in title.text_content()
    tab.get_by_role("button", name="Play").click()
    tab.wait_for_url(lambda url: "step=" in url and int(url.split("step=")[1].split("&")[0]) >= 6, timeout=30_000)
    tab.get_by_role("button", name="Pause").click()
    tab.wait_for_timeout(1500)
    step = int(tab.url.split("step=")[1].split("&")[0])
    assert f"t = {step / 5:.1f} s" in title.text_content()  # the picture shows the step the link holds
    assert_clean(tab)


def test_a_new_episode_is_recorded_live_and_replayed(app_url, tab):
    """A seed that is not recorded starts its episode at once (seconds of simulation), with progress, then the
    replay; it never shows a traceback."""
    open_driving(tab, app_url, "eseed=4321")
    tab.get_by_text("Trained on this server (run #", exact=False).first.wait_for(timeout=90_000)
    tab.locator(".js-plotly-plot image").first.wait_for()
    assert_clean(tab)


def test_a_live_data_engine_run_shows_progress_then_its_rounds(app_url, tab):
    open_driving(tab, app_url, "section=data-engine&engine=live&gseed=7")
    tab.get_by_role("button", name="Train", exact=True).click()
    tab.locator(PROGRESS).filter(has_text="step").first.wait_for(timeout=30_000)
    tab.locator('[data-testid="stMetric"]').filter(has_text="Rare scenario").first.wait_for(timeout=120_000)
    assert tab.locator(PROGRESS).count() == 0
    assert_clean(tab)
