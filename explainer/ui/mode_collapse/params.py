"""The "Mode collapse" page's URL parameters: which compared configuration the many-seeds view shows."""
from explainer.urlstate import ChoiceParam

PAGE = "mode-collapse"
COMPARED = ("collapse", "vanilla", "minimax", "pacgan", "unrolled", "minibatch-std", "wgan-gp", "best")  # presets


def specs() -> list:
    """Every URL parameter of the page."""
    return [ChoiceParam("config", "collapse", COMPARED)]
