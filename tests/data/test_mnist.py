"""MNIST is optional and read from a local copy."""
import numpy as np
import pytest

from explainer.data import IMAGE_SHAPES
from explainer.data.mnist import mnist, mnist_available


def test_mnist_is_optional(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    assert not mnist_available()
    with pytest.raises(FileNotFoundError):
        mnist(download=False)


def test_mnist_reads_a_local_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    (tmp_path / "mnist").mkdir()
    x = np.zeros((3, 28, 28), np.uint8)
    x[0, 0, 0] = 255
    np.savez(tmp_path / "mnist" / "mnist.npz", x_train=x, y_train=np.array([1, 2, 3]))
    m = mnist()
    assert m.images.shape == (3, 1, 28, 28) and m.images.max() == 1 and m.images.min() == -1
    assert m.shape == IMAGE_SHAPES["mnist"]
