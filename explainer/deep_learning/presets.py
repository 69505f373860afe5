"""The Deep learning page's runs that ship trained (explainer/presets/), so its sections draw at once on a fresh
install: the digits CNN, and every recipe experiment at every setting the page offers, with seed 0."""
from explainer.deep_learning.cnn import CNNConfig
from explainer.deep_learning.recipe import KNOBS, configure

PRESETS = {"dl-digits-cnn": CNNConfig()} | {
    f"dl-{name.replace('_', '-')}" + ("" if knob is None else f"-{knob:g}" if isinstance(knob, float) else f"-{knob}"):
        configure(name, knob) for name, knobs in KNOBS.items() for knob in knobs}
