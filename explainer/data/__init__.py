"""Datasets for the demos: toy 2D distributions (toy.py) and the playground's labelled 2D sets (labelled.py),
scikit-learn's 8×8 digits, and MNIST when available.

`get_dataset(name, points)` returns an object with `.shape`, `.is_image` and `.sample(n, gen)`; 2D ones
also have `.view` (a square plotting box) and, for mixtures, `.modes` and `.sigma`.
"""
from explainer.data.digits import ImageSet, digits, load_digits_arrays, split_digits
from explainer.data.mnist import mnist, mnist_available
from explainer.data.toy import TOY_2D, Toy2D, circles, grid25, moons, points, ring8, spiral, validate_points

IMAGE_DATASETS = ("digits", "mnist")
IMAGE_SHAPES = {"digits": (1, 8, 8), "mnist": (1, 28, 28)}  # (C, H, W), known without loading the images
DATASETS = (*TOY_2D, "points", *IMAGE_DATASETS)


def get_dataset(name: str, points_data=None) -> Toy2D | ImageSet:
    """The dataset called `name`; "points" needs `points_data` (an (n, 2) array-like)."""
    if name in TOY_2D:
        return TOY_2D[name]()
    if name == "points":
        return points(points_data)
    if name == "digits":
        return digits()
    if name == "mnist":
        return mnist()
    raise ValueError(f"dataset: unknown {name!r}; choose one of {', '.join(DATASETS)}")


__all__ = [
    "DATASETS", "IMAGE_DATASETS", "IMAGE_SHAPES", "ImageSet", "Toy2D", "circles", "digits", "get_dataset", "grid25",
    "load_digits_arrays", "mnist", "mnist_available", "moons", "points", "ring8", "spiral", "split_digits",
    "validate_points",
]
