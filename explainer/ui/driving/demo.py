"""What the page and a talk's slide both draw: the page's sections by name (SECTIONS), with its URL parameters
(PAGE, specs). The page registers this module as its `demo` (explainer.registration.PageSpec)."""
from explainer.ui.driving import data_engine, imitation, stack, steering
from explainer.ui.driving.params import PAGE, SECTIONS, specs

__all__ = ["PAGE", "SECTIONS", "render", "specs"]


def render(url, section: str) -> None:
    """Draw `section` of the page with `url`'s state."""
    {"stack": stack.render, "steering": steering.render, "imitation": imitation.render,
     "data-engine": data_engine.render}[section](url)
