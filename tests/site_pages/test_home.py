"""The home page under AppTest."""

from explainer.site import PAGES
from tests.support.apptest import assert_no_cache_path, run_page, shown_text


def test_home_says_where_runs_are_cached_without_the_path():
    for query in (None, {"present": "1"}):  # presenter mode folds the prose into an expander
        at = run_page("site_pages/home.py", query)
        text = shown_text(at)
        assert "EXPLAINER_CACHE_DIR" in text and "cached on this server's disk" in text
        assert any("Compute:" in c.value for c in at.sidebar.caption)
        assert_no_cache_path(at)


def test_home_has_its_sections_and_references():
    at = run_page("site_pages/home.py")
    headers = [h.value for h in at.header]
    for expected in ("Map of topics", "Using it in a talk", "Where the compute runs", "References"):
        assert expected in headers
    text = " ".join(m.value for m in at.markdown)
    assert "Goodfellow" in text and "A Recipe for Training Neural Networks" in text
    assert "Every result" in text and "Every figure" not in text  # formula charts are not trained models
    assert any("Compute:" in c.value for c in at.sidebar.caption)


def test_home_map_links_every_other_page():
    at = run_page("site_pages/home.py")
    linked = [(link.proto.page, link.proto.label) for link in at.get("page_link")]
    assert linked == [(p.url_path, p.title) for p in PAGES if not p.default]  # each topic once, in site order


def test_home_map_shows_each_topics_picture():
    at = run_page("site_pages/home.py")
    assert len(at.get("image")) == len([p for p in PAGES if p.thumbnail]) >= 5
