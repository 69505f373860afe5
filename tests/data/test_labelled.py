"""The playground's labelled 2D sets: balanced, in range, the same for a seed; the moons drawn like the GAN's."""
import numpy as np
import pytest
import torch

from explainer.data.labelled import CLASS_RANGE, make_dataset
from explainer.data.toy import two_moons_xy


@pytest.mark.parametrize("name", sorted(CLASS_RANGE))
def test_datasets_are_balanced_and_reproducible(name):
    lo, hi = CLASS_RANGE[name]
    for k in {lo, hi}:
        X, y = make_dataset(name, 301, k, 0.1, seed=3)
        assert X.shape == (301, 2) and X.dtype == np.float32 and y.dtype == np.int64
        counts = np.bincount(y, minlength=k)
        assert len(counts) == k and counts.max() - counts.min() <= (1 if name != "xor" else 60)
        assert np.abs(X).max() < 3
        X2, y2 = make_dataset(name, 301, k, 0.1, seed=3)
        assert np.array_equal(X, X2) and np.array_equal(y, y2)


def test_both_kinds_of_moons_are_one_shape_in_numpy_and_in_torch():
    t = np.linspace(0, np.pi, 7)
    upper = np.arange(7) % 2 == 0
    a = two_moons_xy(t, upper)
    b = two_moons_xy(torch.from_numpy(t), torch.from_numpy(upper), torch).numpy()
    np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(a[0], [0.5, -0.25])  # t = 0 on the upper moon: (cos 0, sin 0) shifted
    X, y = make_dataset("moons", 200, 2, 0.0, seed=1)  # no jitter: every point on its class's moon
    upper_again = two_moons_xy(np.arccos(np.clip(X[y == 0, 0] + 0.5, -1, 1)), True)
    np.testing.assert_allclose(upper_again, X[y == 0], atol=1e-5)
