"""What a topic registers: its pages, the runs it ships trained, and the slow imports its pages need.

Each topic package has a `topic.py` holding `TOPIC = Topic(...)`; explainer.site finds them all, so adding a topic
needs no edit anywhere else. Keep topic.py light: it is imported by every server process and test at start-up
(load the presets inside `shipped_runs`, not at the top).
"""
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageSpec:
    script: str  # path relative to the repository root
    title: str
    icon: str  # a Streamlit material icon
    section: str  # navigation group
    url_path: str
    summary: str  # one line for the home page's map
    default: bool = False  # the page served at "/"
    # its picture on the home page's map, drawn from a shipped run (explainer/thumbnails.py): PNG bytes, or None
    thumbnail: Callable[[], bytes | None] | None = None
    # the module (explainer.ui.<topic>.params) with the page's PAGE, specs(), SECTIONS and render(url, section):
    # how a talk's slide draws one of its sections with a state of its own (explainer/talks/)
    demo: str | None = None


def _nothing() -> dict:
    return {}


@dataclass(frozen=True)
class Topic:
    order: int  # where its pages come in the navigation and on the home page's map
    pages: tuple[PageSpec, ...]
    # name -> config of every run its pages show at once on a fresh install (`python -m explainer ship-presets`)
    shipped_runs: Callable[[], dict] = _nothing
    warm_imports: tuple[str, ...] = field(default=())  # modules a server imports in the background at start
