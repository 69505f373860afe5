"""Labelled 2D toy datasets for the Deep learning playground: moons, circles, spiral, XOR and Gaussian blobs (the GAN's
unlabelled toy distributions are in toy.py; the moons are drawn by one function for both).

Every generator takes (n, n_classes, noise, rng) and returns X (n, 2) float32 and y (n,) int64 with the
classes as equal in size as n allows. Clean points lie within about [-1.2, 1.2]²; `noise` is the standard
deviation of Gaussian jitter added to each coordinate, in those units.
"""
import numpy as np

from explainer.data.toy import two_moons_xy
from explainer.seeding import numpy_rng

# the class counts each dataset supports (inclusive)
CLASS_RANGE = {"moons": (2, 2), "circles": (2, 5), "spiral": (2, 5), "xor": (2, 2), "blobs": (2, 5)}
DATASETS = tuple(CLASS_RANGE)


def _class_sizes(n: int, k: int) -> list[int]:
    return [n // k + (c < n % k) for c in range(k)]


def moons(n, n_classes, noise, rng):
    """Two interleaving half circles (as in scikit-learn's make_moons), centred on the origin: class 0 the upper."""
    n_upper, _ = _class_sizes(n, 2)
    lower = np.arange(n) >= n_upper
    return two_moons_xy(rng.uniform(0, np.pi, n), ~lower), lower.astype(np.int64)


def circles(n, n_classes, noise, rng):
    """Concentric bands: class c has radius in a band around (c + 0.5)/k · 1.2 (class 0 is the inner disc)."""
    X, y = [], []
    for c, m in enumerate(_class_sizes(n, n_classes)):
        r = (c + 0.15 + 0.7 * rng.uniform(0, 1, m)) / n_classes * 1.2
        t = rng.uniform(0, 2 * np.pi, m)
        X.append(np.c_[r * np.cos(t), r * np.sin(t)])
        y.append(np.full(m, c))
    return np.concatenate(X), np.concatenate(y)


SPIRAL_TURNS = 1.25  # turns of each arm from the centre out: enough that no straight line separates two arms


def spiral(n, n_classes, noise, rng):
    """k interleaved spiral arms: arm c at radius r ∈ [0.05, 1.2] has angle 2πc/k + 2π·SPIRAL_TURNS·r/1.2."""
    X, y = [], []
    for c, m in enumerate(_class_sizes(n, n_classes)):
        r = rng.uniform(0.05, 1.2, m)
        t = 2 * np.pi * c / n_classes + 2 * np.pi * SPIRAL_TURNS * r / 1.2
        X.append(np.c_[r * np.cos(t), r * np.sin(t)])
        y.append(np.full(m, c))
    return np.concatenate(X), np.concatenate(y)


def xor(n, n_classes, noise, rng):
    """Uniform points in [-1.2, 1.2]², kept away from the axes; class = whether x and y have the same sign."""
    s = rng.uniform(0.1, 1.2, (n, 2)) * rng.choice([-1.0, 1.0], (n, 2))
    return s, (s[:, 0] * s[:, 1] < 0).astype(np.int64)


def blobs(n, n_classes, noise, rng):
    """k round Gaussian blobs (std 0.2) with centres evenly spaced on the circle of radius 0.8."""
    X, y = [], []
    for c, m in enumerate(_class_sizes(n, n_classes)):
        angle = 2 * np.pi * c / n_classes + np.pi / 4
        X.append(0.8 * np.array([np.cos(angle), np.sin(angle)]) + 0.2 * rng.standard_normal((m, 2)))
        y.append(np.full(m, c))
    return np.concatenate(X), np.concatenate(y)


_GENERATORS = {"moons": moons, "circles": circles, "spiral": spiral, "xor": xor, "blobs": blobs}


def make_dataset(name: str, n: int, n_classes: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n labelled points of dataset `name`, shuffled, with Gaussian jitter of std `noise`; same seed, same points."""
    if name not in _GENERATORS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    lo, hi = CLASS_RANGE[name]
    if not lo <= n_classes <= hi:
        raise ValueError(f"{name} supports {lo}..{hi} classes, got {n_classes}")
    rng = numpy_rng(seed, "toy_data")
    X, y = _GENERATORS[name](n, n_classes, noise, rng)
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(n)
    return X[order].astype(np.float32), y[order].astype(np.int64)
