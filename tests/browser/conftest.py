"""Real-browser fixtures: the app served on a free port, Debian's Chromium driven by Playwright."""
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, serve_app


@pytest.fixture(scope="session")
def app_url(isolated_cache):
    """The app served on a free port (its first visitor may open any page: see test_first_visit_browser)."""
    with serve_app(env={"EXPLAINER_CACHE_DIR": str(isolated_cache)}) as base:
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


@pytest.fixture(scope="module")
def tab(app_url, browser):
    """One browser tab for a whole test module, opened on the home page first (plotly.js and the app's scripts
    load once, as for a real visitor moving around the site)."""
    from tests.support.browser import settle

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(f"{app_url}/", wait_until="commit")
    settle(tab)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshots(pytestconfig):
    folder = Path(pytestconfig.getoption("--screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
