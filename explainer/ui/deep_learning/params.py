"""The "Deep learning" page's URL parameters: one list for the whole page, so every knob of every section is a link.

A page has one `UrlState` (it drops URL keys no spec declares), so the four sections share this list and their
keys must not collide. Ranges and defaults come from the engine's own configs, so the URL can never hold a value
the engine would reject. A select-slider's numbers are a `ChoiceParam`: an off-list value snaps to the nearest.
"""
from functools import lru_cache

from explainer.data.digits import load_split
from explainer.data.labelled import DATASETS
from explainer.deep_learning.cnn import CNNConfig
from explainer.deep_learning.graph import MLP_DEFAULTS, NEURON_DEFAULTS
from explainer.deep_learning.playground import ACTIVATIONS, OPTIMIZERS, RANGES, PlaygroundConfig
from explainer.deep_learning.recipe import KNOBS
from explainer.urlstate import BoolParam, ChoiceParam, FloatParam, IntParam

PAGE = "dl"


SECTIONS = {
    "backprop": "① A neuron and backprop",
    "playground": "② Playground",
    "cnn": "③ A CNN on digits",
    "recipe": "④ The recipe for training",
}

# --- 1. backprop: (url key, name in the graph, slider label) in groups -------------------------------------------
INPUT_RANGE, PARAM_RANGE, TARGET_RANGE = (-3.0, 3.0), (-10.0, 10.0), (-1.0, 1.0)
NEURON_GROUPS = {
    "Inputs": [("x1", "x1", "x₁"), ("x2", "x2", "x₂")],
    "Weights and bias": [("w1", "w1", "w₁"), ("w2", "w2", "w₂"), ("b", "b", "b")],
    "Target": [("y", "y", "y (what o should be)")],
}
MLP_GROUPS = {
    "Inputs and target": [("mx1", "x1", "x₁"), ("mx2", "x2", "x₂"), ("my", "y", "y (target)")],
    "Hidden unit 1": [("w11", "w11", "w₁₁"), ("w12", "w12", "w₁₂"), ("b1", "b1", "b₁")],
    "Hidden unit 2": [("w21", "w21", "w₂₁"), ("w22", "w22", "w₂₂"), ("b2", "b2", "b₂")],
    "Output unit": [("v1", "v1", "v₁"), ("v2", "v2", "v₂"), ("c", "c", "c")],
}
GROUPS = {"neuron": NEURON_GROUPS, "mlp": MLP_GROUPS}
EXPRESSIONS = {"neuron": "One neuron", "mlp": "A 2-layer network (2-2-1)"}
ETAS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)


def graph_sliders(expr: str) -> list[tuple[str, str, str]]:
    """(url key, graph name, label) of every slider of an expression."""
    return [s for group in GROUPS[expr].values() for s in group]


def slider_range(graph_name: str) -> tuple[float, float]:
    if graph_name in ("x1", "x2"):
        return INPUT_RANGE
    if graph_name == "y":
        return TARGET_RANGE
    return PARAM_RANGE


def _backprop_specs():
    specs = [ChoiceParam("expr", "neuron", tuple(EXPRESSIONS)), ChoiceParam("eta", 0.2, ETAS)]
    for expr, defaults in (("neuron", NEURON_DEFAULTS), ("mlp", MLP_DEFAULTS)):
        for key, name, _ in graph_sliders(expr):
            specs.append(FloatParam(key, defaults[name], *slider_range(name)))
    return specs


# --- 2. playground: url key -> PlaygroundConfig field ------------------------------------------------------------
LRS = (1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
L2S = (0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)
BATCHES = tuple(2 ** i for i in range(11))  # 1 .. 1024
PLAYGROUND_FIELDS = {"data": "dataset", "classes": "n_classes", "noise": "noise", "points": "n_samples",
                     "test": "test_fraction", "depth": "depth", "width": "width", "act": "activation",
                     "lr": "lr", "l2": "l2", "batch": "batch_size", "opt": "optimizer", "seed": "seed"}
OPTIMIZER_LABELS = {"adam": "Adam", "sgd": "SGD"}  # as the optimisers are written (not "ADAM")
# training steps per redraw (two redraws a second); 0: as many as the engine manages (thousands a second)
SPEEDS = {1: "Slow motion (1 step)", 10: "Slow (10 steps)", 100: "Watchable (100 steps)", 0: "Full speed"}
DATASET_LABELS = {"moons": "Two moons", "circles": "Circles", "spiral": "Spiral", "xor": "XOR",
                  "blobs": "Gaussian blobs"}


def _playground_specs():
    d = PlaygroundConfig()
    return [
        ChoiceParam("data", d.dataset, DATASETS),
        IntParam("classes", d.n_classes, *RANGES["n_classes"]),
        FloatParam("noise", d.noise, *RANGES["noise"]),
        IntParam("points", d.n_samples, *RANGES["n_samples"]),
        FloatParam("test", d.test_fraction, *RANGES["test_fraction"]),
        IntParam("depth", d.depth, *RANGES["depth"]),
        IntParam("width", d.width, *RANGES["width"]),
        ChoiceParam("act", d.activation, tuple(ACTIVATIONS)),
        ChoiceParam("lr", d.lr, LRS),
        ChoiceParam("l2", d.l2, L2S),
        ChoiceParam("batch", d.batch_size, BATCHES),
        ChoiceParam("opt", d.optimizer, OPTIMIZERS),
        IntParam("seed", d.seed, *RANGES["seed"]),
        BoolParam("logloss", False),
        ChoiceParam("speed", 100, tuple(SPEEDS)),  # not part of the config: how fast Play plays it
    ]


# --- 3. CNN ------------------------------------------------------------------------------------------------------
INPUTS = {"test": "A test digit", "draw": "Draw your own"}


@lru_cache(maxsize=1)
def n_test_digits() -> int:
    config = CNNConfig()
    return len(load_split(config.test_fraction, config.seed)[3])


def _cnn_specs():
    return [ChoiceParam("input", "test", tuple(INPUTS)), IntParam("digit", 0, 0, n_test_digits() - 1)]


# --- 4. recipe ---------------------------------------------------------------------------------------------------
EXPERIMENT_LABELS = {
    "init_loss": "Loss at init",
    "overfit_one_batch": "Overfit one batch",
    "input_independent_baseline": "Input-independent baseline",
    "learning_rates": "Learning rate",
    "overfitting": "Regularise: more data, L2",
}
# the one knob of each experiment: its options are the engine's (explainer.deep_learning.recipe.KNOBS), which
# ship trained at seed 0
INIT_SCALES, OVERFIT_BATCHES = KNOBS["init_loss"], KNOBS["overfit_one_batch"]
OPTIMIZERS_RECIPE, WEIGHT_DECAYS = KNOBS["learning_rates"], KNOBS["overfitting"]


def _recipe_specs():
    return [
        ChoiceParam("exp", "init_loss", tuple(EXPERIMENT_LABELS)),
        ChoiceParam("iscale", 30, INIT_SCALES),
        ChoiceParam("obatch", 32, OVERFIT_BATCHES),
        ChoiceParam("ropt", "adam", OPTIMIZERS_RECIPE),
        ChoiceParam("wd", 1e-3, WEIGHT_DECAYS),
        IntParam("rseed", 0, 0, 999),
    ]


def specs():
    """Every URL parameter of the page (keys are unique across sections)."""
    out = [ChoiceParam("section", "backprop", tuple(SECTIONS))]
    out += _backprop_specs() + _playground_specs() + _cnn_specs() + _recipe_specs()
    return out

