"""Adversarial examples: FGSM and PGD on the shipped digits CNN."""
import numpy as np
import pytest

from explainer.interpretability import robustness


def test_fgsm_and_pgd_lower_accuracy_as_epsilon_grows(cnn):
    eps = (0.0, 0.05, 0.1, 0.2)
    curves = robustness.accuracy_curve(cnn.model, cnn.test_images[:120], cnn.test_labels[:120], eps)
    for acc in curves.values():
        assert np.all(np.diff(acc) <= 0) and acc[-1] < acc[0] - 0.3
    assert np.all(curves["pgd"] <= curves["fgsm"] + 0.02)  # more steps, at least as strong


def test_an_attack_stays_within_epsilon_and_the_pixel_range(cnn, digits):
    image, label = digits[3]
    adv = robustness.attack(cnn.model, image[None], [label], 0.1, "pgd")[0]
    assert np.abs(adv - image).max() <= 0.1 * robustness.PIXEL_MAX + 1e-5
    assert adv.min() >= 0 and adv.max() <= robustness.PIXEL_MAX
    with pytest.raises(ValueError):
        robustness.attack(cnn.model, image[None], [label], 2.0)


def test_the_success_rate_counts_flips_among_the_digits_read_correctly(cnn):
    images, labels = cnn.test_images[:120], cnn.test_labels[:120]
    rate, right = robustness.success_rate(cnn.model, images, labels, 0.2, "pgd")
    accuracy = robustness.accuracy_curve(cnn.model, images, labels, (0.0, 0.2), ("pgd",))["pgd"]
    assert right == round(accuracy[0] * len(labels))
    # a digit read wrongly stays wrong under an attack on its true label (the loss only rises), so the accuracy
    # left is what the attack did not flip
    assert rate == pytest.approx(1 - accuracy[1] * len(labels) / right, abs=0.02)
    assert robustness.success_rate(cnn.model, images, labels, 0.0, "fgsm")[0] == 0
