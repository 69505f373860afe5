"""scikit-learn's 8×8 digits: read directly, and scaled to [-1, 1] for the image GAN."""
import numpy as np
import torch

from explainer.data import IMAGE_SHAPES
from explainer.data.digits import digits, split_digits


def test_digits_read_directly_match_scikit_learn():
    from sklearn.datasets import load_digits

    from explainer.data.digits import load_digits_arrays, raw_digits

    images, labels = raw_digits()
    reference = load_digits()
    assert np.array_equal(images, reference.images) and np.array_equal(labels, reference.target)
    scaled, _ = load_digits_arrays()  # the GAN's view: exactly the old load_digits().images / 16 * 2 - 1
    assert np.array_equal(scaled, (reference.images / 16.0 * 2 - 1).astype(np.float32))


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


def test_digits_scaled_to_unit_range():
    d = digits()
    assert d.images.shape == (1797, 1, 8, 8) and d.shape == (1, 8, 8) == IMAGE_SHAPES["digits"]
    assert d.images.min() == -1 and d.images.max() == 1
    assert sorted(set(d.labels)) == list(range(10))
    assert d.sample(5, gen()).shape == (5, 1, 8, 8)
    x_tr, y_tr, x_te, y_te = split_digits()
    assert len(x_tr) + len(x_te) == 1797 and len(x_te) == 449
