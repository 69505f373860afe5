"""What the page and a talk's slide both draw: the page's sections by name (SECTIONS), with its URL parameters
(PAGE, specs). The page registers this module as its `demo` (explainer.registration.PageSpec)."""
from explainer.ui.gan import compare, formulas, images, lab
from explainer.ui.gan.params import PAGE, SECTIONS, specs

__all__ = ["PAGE", "SECTIONS", "render", "specs"]


def render(url, section: str) -> None:
    """Draw `section` of the page with `url`'s state."""
    {"lab": lab.render, "compare": compare.render, "math": formulas.render, "images": images.render}[section](url)
