"""The Interpretability engine: Captum's maps on the shipped digits CNN, the sanity checks, t-SNE inputs, attacks."""
import math

import numpy as np
import pytest
import torch

from explainer.deep_learning.cnn import CNNConfig, DigitsCNN, digits_cnn
from explainer.interpretability import attributions, learned, robustness, sanity
from explainer.interpretability.presets import SHUFFLED_CNN
from explainer.runs.store import load_or_train
from explainer.ui.interpretability.sanity import CHANGES, STAYS, verdicts

# Integrated Gradients' completeness: the sum of its attributions equals z(x) − z(x′) up to the error of a
# CAPS["ig_steps"]-point integral; measured ≤ 0.8% of |z(x) − z(x′)| on test digits for all three baselines
COMPLETENESS_TOLERANCE = 0.02
SALIENCY_MAX_RHO, GUIDED_MIN_RHO = 0.25, 0.3  # mean ρ over 10 digits, every layer re-initialised


@pytest.fixture(scope="module")
def cnn():
    return digits_cnn(load_or_train(CNNConfig()))  # the shipped preset


@pytest.fixture(scope="module")
def digits(cnn):
    return [(cnn.test_images[i], int(cnn.test_labels[i])) for i in range(10)]


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
    memoriser = digits_cnn(load_or_train(SHUFFLED_CNN))
    assert memoriser.train_accuracy >= 0.9
    assert memoriser.test_accuracy <= 0.2


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


def test_the_learned_run_ships_embeddings_and_optimised_inputs():
    run = load_or_train(learned.LearnedConfig())
    arrays = {k: v[0] for k, v in run.snapshots[-1].arrays.items()}
    assert arrays["tsne_codes"].shape == (1797, 2) and arrays["tsne_pixels"].shape == (1797, 2)
    vis = arrays["feature_vis"]
    assert vis.shape == (16, 8, 8) and np.isfinite(vis).all() and vis.min() >= 0 and vis.max() <= 16
    assert arrays["top_images"].shape == (16, 6)
    alive = arrays["active_share"] > 0
    # the optimised input excites its channel about as much as the best real digit does (measured 0.7–1.1×)
    assert np.all(arrays["vis_activation"][alive] >= 0.5 * arrays["digit_peak"][alive])


def test_feature_codes_group_digits_better_than_pixels(cnn):
    from explainer.data.digits import raw_digits

    images, labels = raw_digits()
    feats = learned.codes(cnn.model, images)
    assert feats.shape == (1797, 256)
    same = {"codes": [], "pixels": []}
    for i in range(0, 1797, 60):
        same["codes"].append((labels[learned.nearest(feats, i)] == labels[i]).mean())
        same["pixels"].append((labels[learned.nearest(images.reshape(1797, -1), i)] == labels[i]).mean())
        assert i not in learned.nearest(feats, i)
    assert np.mean(same["codes"]) >= np.mean(same["pixels"])


def test_verdicts_are_written_from_the_numbers():
    text = verdicts({"saliency": CHANGES - 0.1, "guided_backprop": STAYS + 0.1, "gradcam": math.nan,
                     "smoothgrad": (CHANGES + STAYS) / 2})
    assert f"Gradient (saliency) (ρ = {CHANGES - 0.1:.2f})" in text.split("barely")[0]
    assert f"Guided Backprop (ρ = {STAYS + 0.1:.2f})" in text.split("barely")[1]
    assert "partly changed**: SmoothGrad" in text and "blank (no ρ)**: Grad-CAM" in text
