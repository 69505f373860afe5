"""scikit-learn's 8×8 handwritten digits (bundled with scikit-learn, so offline), split reproducibly.

1,797 images of the digits 0–9; each pixel counts the "on" pixels of a 4×4 block of a 32×32 bitmap, so
values are whole numbers 0..16 (the UCI "optdigits" preprocessing). Models here divide by 16.
"""
import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np


@lru_cache(maxsize=1)
def _load() -> tuple[np.ndarray, np.ndarray]:
    """(1797, 8, 8) float32 images and (1797,) int64 labels.

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


def load_split(test_fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """X_train, y_train, X_test, y_test: images (n, 8, 8) float32 in 0..16 and labels (n,) int64.

    The split is a seeded random permutation, so one (test_fraction, seed) always gives the same split.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    images, labels = _load()
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = round(len(labels) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return images[train].copy(), labels[train].copy(), images[test].copy(), labels[test].copy()
