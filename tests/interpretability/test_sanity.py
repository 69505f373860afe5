"""The sanity checks (Adebayo et al. 2018): cascading randomisation and the shuffled-label network."""
import math

import numpy as np
import pytest
import torch

from explainer.deep_learning.cnn import digits_cnn
from explainer.interpretability import sanity
from explainer.interpretability.presets import SHUFFLED_CNN
from explainer.runs.jobs import get_registry

SALIENCY_MAX_RHO, GUIDED_MIN_RHO = 0.25, 0.3  # mean ρ over 10 digits, every layer re-initialised


def test_cascading_randomisation_changes_the_gradient_but_not_guided_backprop(cnn, digits):
    final = {"saliency": [], "guided_backprop": []}
    for image, label in digits:
        result = sanity.cascade(cnn.model, image, label)
        for name in final:
            assert result["similarity"][name][0] == pytest.approx(1.0)  # stage 0 is the trained model itself
            final[name].append(result["similarity"][name][-1])
    assert np.nanmean(final["saliency"]) < SALIENCY_MAX_RHO
    assert np.nanmean(final["guided_backprop"]) > GUIDED_MIN_RHO


def test_randomised_changes_only_the_layers_above_the_stage(cnn):
    net = sanity.randomised(cnn.model, 1)
    assert not torch.equal(net.fc.weight, cnn.model.fc.weight)
    assert torch.equal(net.conv2.weight, cnn.model.conv2.weight)
    assert torch.equal(net.conv1.weight, cnn.model.conv1.weight)
    assert torch.equal(sanity.randomised(cnn.model, 0).fc.weight, cnn.model.fc.weight)
    with pytest.raises(ValueError):
        sanity.randomised(cnn.model, 9)


def test_rank_similarity_is_nan_for_a_blank_map():
    assert math.isnan(sanity.rank_similarity(np.zeros((8, 8)), np.arange(64.0)))
    assert sanity.rank_similarity(np.arange(64.0), -np.arange(64.0)) == pytest.approx(1.0)  # of absolute values


def test_the_shuffled_label_network_memorises_and_is_at_chance_on_test_digits():
    memoriser = digits_cnn(get_registry().result_of(SHUFFLED_CNN))
    assert memoriser.train_accuracy >= 0.9
    assert memoriser.test_accuracy <= 0.2
