"""The app shell under AppTest: every page runs, the sidebar, presenter mode from a link."""
import pytest

from explainer.site import PAGES
from tests.support.apptest import assert_no_cache_path, run_page


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs_without_exception(page):
    at = run_page(page.script)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page starts with a title"
    assert_no_cache_path(at)


def test_the_shell_draws_the_sidebar():
    at = run_page("site_pages/home.py")
    assert any("Presenter mode" in t.label for t in at.sidebar.toggle)
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "Compute:" in captions
    assert_no_cache_path(at)


def test_presenter_mode_from_the_url_folds_prose_and_survives_a_page_change():
    at = run_page("site_pages/home.py", {"present": "1"})
    assert not at.exception
    assert at.sidebar.toggle[0].value is True
    assert any(e.label == "What this site is" for e in at.expander)
    assert at.query_params.get("present") in ("1", ["1"])
    at.switch_page(PAGES[-1].script).run()
    assert at.session_state["presenter_mode"] is True
    assert at.query_params.get("present") in ("1", ["1"])


def test_presenter_toggle_turns_it_off():
    # (That the URL loses ?present=1 is checked in the browser: AppTest keeps the old query string here.)
    at = run_page("site_pages/home.py", {"present": "1"})
    at.sidebar.toggle[0].set_value(False).run()
    assert at.session_state["presenter_mode"] is False
    assert all(e.label != "What this site is" for e in at.expander)


def test_garbled_presenter_value_does_not_break_the_page():
    at = run_page("site_pages/home.py", {"present": "\u202e<b>"})
    assert not at.exception and at.sidebar.toggle[0].value is False
    [notice] = [w.value for w in at.warning]
    assert notice.count("`present=") == 1 and "on/off" in notice
    assert at.query_params == {}
