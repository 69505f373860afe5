"""What the page and a talk's slide both draw: the page's sections by name (SECTIONS), with its URL parameters
(PAGE, specs). The page registers this module as its `demo` (explainer.registration.PageSpec)."""
from explainer.ui.deep_learning import backprop, cnn, playground, recipe
from explainer.ui.deep_learning.params import PAGE, SECTIONS, specs

__all__ = ["PAGE", "SECTIONS", "render", "specs"]


def render(url, section: str) -> None:
    """Draw `section` of the page with `url`'s state."""
    {"backprop": backprop.render, "playground": playground.render, "cnn": cnn.render,
     "recipe": recipe.render}[section](url)
