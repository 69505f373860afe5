"""The first visitor of a freshly started server may arrive by a deep link (a slide's link, right after the
speaker started the server): the page opens clean, with no "Page not found" dialog over it.

This guards the page folder's name: with a `pages/` folder beside app.py, Streamlit 1.67 runs a fresh
server's first script run as an MPA-v1 app (script_runner._mpa_v1), whose navigation over the files in
pages/ cannot resolve our url paths and sends page_not_found before app.py's st.navigation runs.
"""
from tests.support.browser import assert_clean, serve_app, settle


def test_a_deep_link_as_the_very_first_request_shows_no_dialog(isolated_cache, browser):
    with serve_app(env={"EXPLAINER_CACHE_DIR": str(isolated_cache)}) as base:  # its own, fresh server
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            page = context.new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{base}/mode-collapse?present=1", wait_until="commit")
            settle(page, 120_000)
            assert_clean(page)  # no [role=dialog], no [data-testid=stException]
            assert "present=1" in page.url and page.locator("h1").count() >= 1
        finally:
            context.close()
