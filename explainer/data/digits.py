"""scikit-learn's 8×8 handwritten digits (bundled with the package, so offline): one loader for the whole site.

1,797 images of the digits 0–9; each pixel counts the "on" pixels of a 4×4 block of a 32×32 bitmap, so raw
values are whole numbers 0..16 (the UCI "optdigits" preprocessing). The deep-learning page's CNN uses them raw
(`load_split`, it divides by 16); the image GAN and its classifier use them scaled to [-1, 1] (`digits`,
`split_digits`). Both splits are seeded permutations, so a (fraction, seed) always gives the same split.
"""
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from explainer.seeding import numpy_rng


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
def raw_digits() -> tuple[np.ndarray, np.ndarray]:
    """(1797, 8, 8) float32 images in 0..16 and (1797,) int64 labels. Cached: treat them as read-only.

    Reads scikit-learn's bundled digits.csv.gz (the file `load_digits` reads) directly: importing
    sklearn.datasets costs about two seconds on a cold process, reading the file about 30 ms. Falls back to
    `load_digits` if the file is not where it should be.
    """
    try:
        root = importlib.util.find_spec("sklearn").submodule_search_locations[0]  # finds it without importing
        table = np.loadtxt(Path(root) / "datasets" / "data" / "digits.csv.gz", delimiter=",")
        if table.shape != (1797, 65):
            raise ValueError(f"unexpected digits table shape {table.shape}")
        return table[:, :64].reshape(-1, 8, 8).astype(np.float32), table[:, 64].astype(np.int64)
    except (AttributeError, OSError, ValueError, TypeError, IndexError):
        from sklearn.datasets import load_digits

        digits = load_digits()
        return digits.images.astype(np.float32), digits.target.astype(np.int64)


@lru_cache(maxsize=1)
def load_digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """(images (1797, 8, 8) float32 in [-1, 1], labels (1797,) int64): pixel values 0..16 map linearly
    (k/16·2 − 1 is exact in float32). Cached: treat the arrays as read-only."""
    images, labels = raw_digits()
    return images / 16.0 * 2 - 1, labels


def _split(arrays: tuple[np.ndarray, np.ndarray], test_fraction: float, seed: int):
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    x, y = arrays
    order = numpy_rng(seed, "split").permutation(len(y))
    n_test = round(len(y) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return x[train].copy(), y[train].copy(), x[test].copy(), y[test].copy()


def load_split(test_fraction: float = 0.2, seed: int = 0):
    """X_train, y_train, X_test, y_test: raw images (n, 8, 8) float32 in 0..16 and labels (n,) int64."""
    return _split(raw_digits(), test_fraction, seed)


def split_digits(test_frac: float = 0.25, seed: int = 0):
    """X_train, y_train, X_test, y_test with images (n, 8, 8) in [-1, 1] (the GAN's digits classifier)."""
    return _split(load_digits_arrays(), test_frac, seed)


def digits() -> ImageSet:
    x, y = load_digits_arrays()
    return ImageSet("digits", torch.from_numpy(x).unsqueeze(1), y)
