"""The 8×8 digits of scikit-learn (1,797 images, bundled with the package, so offline), scaled to [-1, 1]."""
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch


@dataclass(frozen=True, eq=False)
class ImageSet:
    """Images in [-1, 1] as a float32 tensor (N, 1, H, W); `sample(n, gen)` draws n of them uniformly."""
    name: str
    images: torch.Tensor
    labels: np.ndarray | None = None

    is_image = True

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.images.shape[1:])

    def sample(self, n: int, gen: torch.Generator) -> torch.Tensor:
        return self.images[torch.randint(len(self.images), (n,), generator=gen)]


@lru_cache(maxsize=1)
def load_digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """(images (1797, 8, 8) float32 in [-1, 1], labels (1797,) int64). Pixel values 0..16 map linearly.

    Cached: treat the arrays as read-only.
    """
    from sklearn.datasets import load_digits  # imported here: scikit-learn is slow to import

    d = load_digits()
    return (d.images / 16.0 * 2 - 1).astype(np.float32), d.target.astype(np.int64)


def split_digits(test_frac: float = 0.25, seed: int = 0):
    """A fixed random train/test split: (x_train, y_train, x_test, y_test), images (n, 8, 8) in [-1, 1]."""
    x, y = load_digits_arrays()
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = int(round(test_frac * len(x)))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


def digits() -> ImageSet:
    x, y = load_digits_arrays()
    return ImageSet("digits", torch.from_numpy(x).unsqueeze(1), y)
