"""The "Mode collapse" page's URL parameters: which compared configuration the many-seeds view shows."""
from explainer.urlstate import ChoiceParam

PAGE = "mode-collapse"
# the page draws every section in order (no picker); a talk's slide draws one
SECTIONS = {"seeds": "One configuration, many seeds", "measured": "How it is measured",
            "remedies": "Remedies compared", "published": "Beside the published results"}
COMPARED = ("collapse", "vanilla", "minimax", "pacgan", "unrolled", "minibatch-std", "wgan-gp", "best")  # presets


def specs() -> list:
    """Every URL parameter of the page."""
    return [ChoiceParam("config", "collapse", COMPARED)]

