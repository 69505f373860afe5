"""Real-browser fixtures: the app served on a free port, Debian's Chromium driven by Playwright."""
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, serve_app, settle


@pytest.fixture(scope="session")
def app_url(isolated_cache, browser):
    """The app served on a free port, already visited once at "/" so that no test is its first visitor.

    A fresh server's first script run is Streamlit's MPA v1 because of the `pages/` folder beside app.py;
    that run answers a deep link with a "Page not found" dialog (see test_first_visit_browser.py). A first
    run at "/" resolves to the main script, whose st.navigation switches the process to v2 for good.
    """
    with serve_app(env={"EXPLAINER_CACHE_DIR": str(isolated_cache)}) as base:
        page = browser.new_page()
        page.goto(base + "/", wait_until="commit")
        settle(page, 120_000)
        page.close()
        yield base


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots(pytestconfig):
    folder = Path(pytestconfig.getoption("--screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
