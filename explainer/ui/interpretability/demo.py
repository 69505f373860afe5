"""What the page and a talk's slide both draw: the page's sections by name (SECTIONS), with its URL parameters
(PAGE, specs). The page registers this module as its `demo` (explainer.registration.PageSpec)."""
from explainer.ui.interpretability import attributions, learned, robustness, sanity
from explainer.ui.interpretability.params import PAGE, SECTIONS, specs

__all__ = ["PAGE", "SECTIONS", "render", "specs"]


def render(url, section: str) -> None:
    """Draw `section` of the page with `url`'s state."""
    {"attributions": attributions.render, "sanity": sanity.render, "learned": learned.render,
     "robustness": robustness.render}[section](url)
