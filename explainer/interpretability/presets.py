"""The Interpretability page's runs that ship trained (explainer/presets/), so it draws at once on a fresh install:
the digits CNN trained on shuffled labels (the data-randomisation check) and the t-SNE / feature-visualisation run.
The digits CNN itself ships with the Deep learning page."""
from explainer.deep_learning.cnn import CNNConfig
from explainer.interpretability.learned import LearnedConfig

# the same network and split; the labels permuted, and long enough to memorise them (measured: ≥ 95% train)
SHUFFLED_CNN = CNNConfig(shuffle_labels=True, epochs=500, lr=3e-3)

PRESETS = {"interp-shuffled-cnn": SHUFFLED_CNN, "interp-learned": LearnedConfig()}
