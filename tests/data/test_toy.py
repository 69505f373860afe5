"""The toy 2D distributions (PacGAN's ring and grid, shapes, user points) and the lookup."""
import numpy as np
import pytest
import torch

from explainer.data import DATASETS, get_dataset, grid25, ring8, validate_points


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


def test_ring8_is_pacgans_ring():
    ring = ring8()
    k = np.arange(8)
    assert np.array_equal(ring.modes, np.stack([np.cos(2 * np.pi * k / 8), np.sin(2 * np.pi * k / 8)], 1))
    assert ring.sigma == 0.01


def test_grid25_is_pacgans_grid():
    grid = grid25()
    assert grid.sigma == 0.05
    assert sorted(map(tuple, grid.modes)) == [(x, y) for x in (-4, -2, 0, 2, 4) for y in (-4, -2, 0, 2, 4)]


@pytest.mark.parametrize("make", [ring8, grid25])
def test_mixture_samples_have_the_stated_spread(make):
    data = make()
    x = data.sample(20000, gen()).double().numpy()
    dist = np.linalg.norm(x[:, None] - data.modes[None], axis=2)
    residual = x - data.modes[dist.argmin(1)]
    assert residual.std(0) == pytest.approx([data.sigma, data.sigma], rel=0.03)
    counts = np.bincount(dist.argmin(1), minlength=len(data.modes))
    assert counts.min() > 0.8 * len(x) / len(data.modes)  # equal weights


@pytest.mark.parametrize("name", ["ring8", "grid25", "spiral", "moons", "circles"])
def test_2d_sets_are_seeded_finite_and_inside_their_view(name):
    data = get_dataset(name)
    a, b = data.sample(1000, gen(1)), data.sample(1000, gen(1))
    assert a.shape == (1000, 2) and a.dtype == torch.float32 and torch.equal(a, b)
    assert torch.isfinite(a).all()
    xmin, xmax, ymin, ymax = data.view
    assert xmax - xmin == pytest.approx(ymax - ymin)  # square
    inside = (a[:, 0] > xmin) & (a[:, 0] < xmax) & (a[:, 1] > ymin) & (a[:, 1] < ymax)
    assert inside.float().mean() > 0.99


def test_user_points_sample_only_the_given_points():
    pts = np.random.default_rng(0).normal(size=(50, 2))
    data = get_dataset("points", pts)
    x = data.sample(500, gen()).numpy()
    assert np.isin(x[:, 0], pts[:, 0].astype(np.float32)).all()


@pytest.mark.parametrize("bad, words", [
    (np.zeros((9, 2)), "10"), (np.zeros((100_001, 2)), "100,000"), (np.zeros((20, 3)), "shape"),
    (np.zeros(20), "shape"), (np.full((20, 2), np.nan), "finite"), (np.full((20, 2), np.inf), "finite"),
    ([["a", "b"]] * 20, "numbers"), (None, "shape"),
])
def test_user_points_are_validated(bad, words):
    with pytest.raises(ValueError, match="points") as e:
        validate_points(bad)
    assert words in str(e.value)


def test_validate_points_accepts_the_bounds():
    assert validate_points(np.zeros((10, 2))).shape == (10, 2)
    assert validate_points([[1, 2]] * 100_000).dtype == np.float64


def test_unknown_dataset_is_a_clear_error():
    with pytest.raises(ValueError, match="dataset"):
        get_dataset("imagenet")
    assert "ring8" in DATASETS and "digits" in DATASETS
