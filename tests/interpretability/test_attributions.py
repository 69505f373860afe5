"""Captum's maps of the shipped digits CNN: shape, determinism, completeness, baselines."""
import numpy as np
import pytest
import torch

from explainer.deep_learning.cnn import DigitsCNN
from explainer.interpretability import attributions

COMPLETENESS_TOLERANCE = 0.02


def test_each_module_is_its_own_activation():
    # Guided Backprop and DeepLift hook nn.ReLU modules: a functional or shared ReLU would silently bypass them
    relus = [m for m in DigitsCNN().modules() if isinstance(m, torch.nn.ReLU)]
    assert len(relus) == 2 and relus[0] is not relus[1]


@pytest.mark.parametrize("method", list(attributions.METHODS))
def test_every_map_has_the_input_shape_is_finite_and_not_all_zero(cnn, digits, method):
    image, label = digits[0]
    a = attributions.attribute(cnn.model, image, method, label)
    assert a.shape == (8, 8) and np.isfinite(a).all() and np.abs(a).max() > 0


def test_maps_are_deterministic_for_a_seed(cnn, digits):
    image, label = digits[1]
    for method in ("smoothgrad", "integrated_gradients"):
        a = attributions.attribute(cnn.model, image, method, label, "noise", seed=3)
        b = attributions.attribute(cnn.model, image, method, label, "noise", seed=3)
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kind", list(attributions.BASELINES))
def test_integrated_gradients_is_complete(cnn, digits, kind):
    for image, label in digits[:5]:
        total, gap = attributions.completeness_gap(cnn.model, image, label, kind)
        assert abs(total - gap) <= COMPLETENESS_TOLERANCE * abs(gap) + 1e-3, (total, gap)


def test_the_zero_baseline_gives_black_pixels_no_attribution(cnn, digits):
    image, label = digits[2]
    ig = attributions.attribute(cnn.model, image, "integrated_gradients", label, "zero")
    assert np.all(ig[image == 0] == 0)


def test_bad_method_and_baseline_names_are_rejected(cnn, digits):
    with pytest.raises(ValueError, match="unknown method"):
        attributions.attribute(cnn.model, digits[0][0], "magic", 0)
    with pytest.raises(ValueError, match="unknown baseline"):
        attributions.baseline(digits[0][0], "sky")
