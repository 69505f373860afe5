"""What the CNN learned: the shipped t-SNE and feature-visualisation run."""
import numpy as np

from explainer.data.digits import raw_digits
from explainer.interpretability import learned
from explainer.runs.jobs import get_registry


def test_the_learned_run_ships_embeddings_and_optimised_inputs():
    run = get_registry().result_of(learned.LearnedConfig())
    arrays = {k: v[0] for k, v in run.snapshots[-1].arrays.items()}
    assert arrays["tsne_codes"].shape == (1797, 2) and arrays["tsne_pixels"].shape == (1797, 2)
    vis = arrays["feature_vis"]
    assert vis.shape == (16, 8, 8) and np.isfinite(vis).all() and vis.min() >= 0 and vis.max() <= 16
    assert arrays["top_images"].shape == (16, 6)
    alive = arrays["active_share"] > 0
    # one statistic for both (the centre's mean activation): the optimised input excites its channel at least
    # about as much as the best real digit does
    assert np.all(arrays["vis_activation"][alive] >= 0.5 * arrays["digit_centre"][alive])
    model = learned.digits_cnn(get_registry().result_of(learned.CNNConfig())).model
    centres = learned.channel_centres(model, raw_digits()[0])
    np.testing.assert_allclose(arrays["digit_centre"], centres.max(axis=0), rtol=1e-3)  # stored as float16
    assert np.all(centres[arrays["top_images"][:, 0], np.arange(16)] == centres.max(axis=0))  # ranked by it


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
