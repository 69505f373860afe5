"""The GAN pages in a real browser: a tiny config trains to completion, two sessions share one job,
hostile links and bad drawings get messages, not exceptions."""
import re

from explainer.gan.presets import PRESETS
from tests.support.browser import assert_clean, draw_strokes, visit

TINY = "steps=200&width=8&batch=32"
RESULT = ".js-plotly-plot .updatemenu-button"  # a finished run's replay (its Play button)


def click_train(page):
    page.get_by_role("button", name="Train", exact=True).click()


def test_a_tiny_config_trains_to_completion(app_url, page, screenshots):
    visit(page, f"{app_url}/gans?{TINY}&seed=101")
    click_train(page)
    page.wait_for_selector(RESULT, timeout=180_000)
    assert_clean(page)
    page.get_by_text(re.compile(r"Trained on this server \(run #\d+")).wait_for()  # drawn after the charts
    page.screenshot(path=str(screenshots / "gans__trained.png"))


def test_two_sessions_asking_for_the_same_new_config_share_one_job(app_url, browser):
    pages = [browser.new_context(viewport={"width": 1400, "height": 900}).new_page() for _ in range(2)]
    url = f"{app_url}/gans?{TINY}&seed=202"
    for p in pages:
        visit(p, url)
    for p in pages:  # the second click lands while the first session's job is still training
        click_train(p)
    jobs = []
    for p in pages:
        p.wait_for_selector(RESULT, timeout=180_000)
        assert_clean(p)
        jobs.append(p.get_by_text(re.compile(r"Trained on this server \(run #\d+")).inner_text())
        p.context.close()
    assert jobs[0] == jobs[1], jobs


def test_hostile_link_shows_a_notice(app_url, page):
    visit(page, f"{app_url}/gans?lr_g=abc&steps=1e99&section=%3Cscript%3E&points=..%2F..&evil=1")
    assert_clean(page)
    assert page.get_by_text("Some link parameters were fixed").count() == 1


def test_an_empty_drawing_gets_a_clear_message(app_url, page):
    visit(page, f"{app_url}/gans?dataset=points")
    assert_clean(page)
    page.get_by_role("button", name="Use this drawing").click()
    page.wait_for_selector("text=The canvas is empty", timeout=30_000)
    assert_clean(page)


def test_a_drawing_made_with_the_mouse_becomes_training_data_and_trains(app_url, page):
    """Real strokes on the canvas (what a learner does), not hand-made JSON: the drawing is read, saved into
    the link, and a tiny GAN trains on it."""
    visit(page, f"{app_url}/gans?dataset=points&{TINY}&seed=303")
    draw_strokes(page, [[(0.2, 0.3), (0.5, 0.2), (0.8, 0.3)], [(0.3, 0.7), (0.7, 0.75)]])
    page.wait_for_timeout(500)  # the component sends its drawing to the server after the stroke
    page.get_by_role("button", name="Use this drawing").click()
    page.get_by_text(re.compile(r"Training data: [\d,]+ points")).wait_for(timeout=30_000)
    assert page.get_by_text("The canvas is empty").count() == 0
    assert re.search(r"points=[0-9a-f]{12}", page.url), page.url
    click_train(page)
    page.wait_for_selector(RESULT, timeout=180_000)
    assert_clean(page)


def test_mode_collapse_page_is_complete_without_training(app_url, page, screenshots):
    visit(page, f"{app_url}/mode-collapse")
    assert_clean(page)
    assert page.get_by_role("button", name="Train", exact=True).count() == 0
    # elements may still be drawing when the script run has ended: wait for them rather than count at once
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stMetric\"]').length >= 4",
                           timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stImage\"] img').length >= 8",
                           timeout=30_000)  # one picture per seed
    page.screenshot(path=str(screenshots / "mode-collapse__loaded.png"))


def test_the_replay_plays_from_the_shipped_lab_run(app_url, page):
    """Play steps through the snapshots in the browser (frames replace every trace but the real data)."""
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    visit(page, f"{app_url}/gans")
    assert_clean(page)
    page.wait_for_selector(".js-plotly-plot .updatemenu-button")
    page.locator(".js-plotly-plot").first.hover()
    assert page.locator(".js-plotly-plot .modebar").count() == 0  # no toolbar over the legend, even on hover
    page.locator(".updatemenu-button", has_text="Play").first.click()
    frame = "() => { const gd = document.querySelector('.js-plotly-plot'); return gd._fullLayout._currentFrame; }"
    page.wait_for_function(f"({frame})() !== undefined && ({frame})() !== null", timeout=30_000)
    last = str(PRESETS["lab"].steps)  # the lab run's last snapshot
    page.wait_for_function(f"({frame})() === '{last}'", timeout=60_000)
    assert errors == []


def test_one_viewers_stop_leaves_the_run_to_the_others_and_the_last_stop_keeps_the_picture(app_url, browser):
    """Two viewers follow one live run: the first Stop only detaches that viewer (the run trains on for the
    other); the last viewer's Stop ends it, and the panel keeps the last live picture instead of going blank."""
    url = f"{app_url}/gans?steps=20000&width=8&batch=32&seed=404"
    speaker, audience = (browser.new_context(viewport={"width": 1400, "height": 900}).new_page() for _ in range(2))
    visit(speaker, url)
    click_train(speaker)
    stop = "button:has-text('Stop training')"
    speaker.wait_for_selector(stop, timeout=60_000)
    visit(audience, url)  # joins the running job: its live panel, no Train button
    audience.wait_for_selector(stop, timeout=60_000)
    audience.locator(stop).first.click()
    audience.get_by_text("You stopped watching this run").wait_for(timeout=30_000)
    speaker.wait_for_timeout(1500)
    assert speaker.locator(stop).count() >= 1  # still training for the speaker
    assert speaker.get_by_text("Training was stopped").count() == 0
    speaker.locator(stop).first.click()
    speaker.get_by_text("Training was stopped before it finished").wait_for(timeout=30_000)
    speaker.get_by_text("The last picture before it stopped").wait_for(timeout=30_000)
    assert speaker.locator(".js-plotly-plot").count() >= 1
    for page in (speaker, audience):
        assert_clean(page)
        page.context.close()
