"""The Interpretability page's URL parameters: one list for the whole page (keys unique across sections).
Ranges come from the engine (methods, baselines, stages, ε), so the URL never holds a value the engine rejects."""
from explainer.data.digits import raw_digits
from explainer.interpretability.attributions import BASELINES
from explainer.interpretability.robustness import ATTACKS
from explainer.interpretability.sanity import CASCADE
from explainer.ui.deep_learning.params import n_test_digits
from explainer.urlstate import ChoiceParam, FloatParam, IntParam

PAGE = "interp"
SECTIONS = {
    "attributions": "① Attributions side by side",
    "sanity": "② Sanity checks",
    "learned": "③ What the network learned",
    "robustness": "④ Adversarial examples",
}
INPUTS = {"test": "A test digit", "mistake": "One of its mistakes", "draw": "Draw your own"}
BASELINE_LABELS = {"zero": "Zero (black)", "blurred": "Blurred input", "noise": "Noise"}
ATTACK_LABELS = ATTACKS
MAX_EPSILON = 0.3
CHANNELS = 16  # conv2's channels (CNNConfig().channels2)


def specs():
    return [
        ChoiceParam("section", "attributions", tuple(SECTIONS)),
        ChoiceParam("input", "test", tuple(INPUTS)),
        IntParam("digit", 0, 0, n_test_digits() - 1),
        IntParam("mistake", 0, 0, 99),  # clamped again to the number of mistakes the model makes
        ChoiceParam("baseline", "zero", tuple(BASELINES)),
        IntParam("stage", len(CASCADE), 0, len(CASCADE)),
        IntParam("point", 0, 0, len(raw_digits()[1]) - 1),
        IntParam("channel", 1, 0, CHANNELS - 1),
        FloatParam("eps", 0.15, 0.0, MAX_EPSILON),
        ChoiceParam("attack", "fgsm", tuple(ATTACKS)),
    ]

