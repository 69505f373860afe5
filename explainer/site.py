"""The site: the home page, and every topic's registration (explainer/<topic>/topic.py), found by looking.

The app's navigation, the home page's map, the browser tests, `warm` and `ship-presets` all read this module, so a
topic's `topic.py` is the one place that adds its pages, its shipped runs and its warm-up imports.
"""
import importlib
import pkgutil
from functools import cache
from pathlib import Path

from explainer.registration import PageSpec, Topic

HOME = PageSpec("site_pages/home.py", "Home", ":material/home:", "Start", "home",
                "What this site is, the map of topics, and how to use it in a talk.", default=True)


@cache
def topics() -> tuple[Topic, ...]:
    """Every topic package's TOPIC (a package under explainer/ with a topic.py), in their `order`."""
    found = []
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.ispkg and (Path(__file__).parent / info.name / "topic.py").exists():
            found.append(importlib.import_module(f"explainer.{info.name}.topic").TOPIC)
    return tuple(sorted(found, key=lambda t: t.order))


PAGES: list[PageSpec] = [HOME, *(page for topic in topics() for page in topic.pages)]


def sections() -> dict[str, list[PageSpec]]:
    """Pages grouped by section, in registration order."""
    grouped: dict[str, list[PageSpec]] = {}
    for page in PAGES:
        grouped.setdefault(page.section, []).append(page)
    return grouped


def url_of(page: PageSpec) -> str:
    """The path a browser loads: Streamlit serves the default page at "/", not at its url_path."""
    return "" if page.default else page.url_path


def shipped_runs() -> dict:
    """Every topic's runs that ship trained (name -> config): `python -m explainer ship-presets` writes them to
    explainer/presets/ and `warm` trains them into the cache."""
    runs: dict = {}
    for topic in topics():
        mine = topic.shipped_runs()
        clash = set(runs) & set(mine)
        if clash:
            raise ValueError(f"two topics ship runs named {', '.join(sorted(clash))}")
        runs |= mine
    return runs


def warm_imports() -> tuple[str, ...]:
    """The slow modules the pages need, imported in the background when a server starts."""
    return tuple(m for topic in topics() for m in topic.warm_imports)


def thumbnail_path(page: PageSpec) -> Path:
    """Where `ship-presets` writes the page's picture for the home page's map (shipped with the repository:
    drawing them needs torch and the runs, which the home page should not wait for)."""
    from explainer.paths import THUMBNAILS_DIR

    return THUMBNAILS_DIR / f"{page.url_path}.png"


def write_thumbnails() -> list[Path]:
    """Draw every page's thumbnail from the shipped runs and write it where the home page reads it."""
    written = []
    for page in PAGES:
        picture = page.thumbnail() if page.thumbnail is not None else None
        if picture is not None:
            thumbnail_path(page).parent.mkdir(parents=True, exist_ok=True)
            thumbnail_path(page).write_bytes(picture)
            written.append(thumbnail_path(page))
    return written
