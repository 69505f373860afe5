"""The page registry that drives the navigation, the home map and the browser tests is consistent."""
from pathlib import Path

from explainer.site import PAGES, sections, thumbnail_path, url_of

ROOT = Path(__file__).resolve().parent.parent


def test_every_registered_page_exists_once():
    assert all((ROOT / p.script).is_file() for p in PAGES)
    assert len({p.url_path for p in PAGES}) == len(PAGES)
    assert len({p.script for p in PAGES}) == len(PAGES)


def test_exactly_one_default_page_served_at_root():
    defaults = [p for p in PAGES if p.default]
    assert len(defaults) == 1 and url_of(defaults[0]) == ""


def test_sections_keep_every_page():
    assert sum(len(v) for v in sections().values()) == len(PAGES)


def test_no_page_file_is_left_unregistered():
    registered = {p.script for p in PAGES}
    on_disk = {f"site_pages/{f.name}" for f in (ROOT / "site_pages").glob("*.py")}
    assert on_disk == registered


def test_no_pages_folder_beside_the_app():
    """A folder named pages/ beside app.py makes a fresh server's first run Streamlit's old multipage mode, which
    answers a deep link with "Page not found" (see tests/browser/test_first_visit_browser.py): pages live in
    site_pages/."""
    assert not (ROOT / "pages").exists()
    assert all(p.script.startswith("site_pages/") for p in PAGES)


def test_every_topic_page_ships_its_map_picture_as_drawn_from_the_shipped_runs():
    """The home page's map shows a picture per topic page, drawn from the run the page shows first; the shipped
    PNG is exactly what the page's thumbnail draws from today's shipped runs (`ship-presets` rewrites it)."""
    for page in (p for p in PAGES if p.demo):  # every topic's page (not Home, not Talk)
        assert page.thumbnail is not None, page.url_path
        drawn = page.thumbnail()
        assert drawn is not None and drawn.startswith(b"\x89PNG"), page.url_path
        assert thumbnail_path(page).read_bytes() == drawn, f"{page.url_path}: run ship-presets to redraw it"
