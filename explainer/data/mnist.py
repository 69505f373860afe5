"""MNIST 28×28 (optional): read from a local copy under cache_dir()/mnist, or download it when asked.

Never used by tests. Accepted local copy: `mnist.npz` with arrays `x_train` (60000, 28, 28) uint8 and
`y_train` (the layout of the copy Keras hosts). Loaded with allow_pickle=False.
"""
import os
import urllib.request

import numpy as np
import torch

from explainer.data.digits import ImageSet
from explainer.paths import cache_dir

URL = "https://storage.googleapis.com/tensorflow/keras-datasets/mnist.npz"


def mnist_path():
    return cache_dir() / "mnist" / "mnist.npz"


def mnist_available() -> bool:
    return mnist_path().is_file()


def download_mnist(timeout_s: float = 60.0) -> None:
    """Fetch mnist.npz (about 11 MB) into the cache; written to a temp file and renamed, so never half there."""
    path = mnist_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with urllib.request.urlopen(URL, timeout=timeout_s) as response, open(tmp, "wb") as f:
        f.write(response.read())
    np.load(tmp, allow_pickle=False)["x_train"]  # fail here, not later, on a broken download
    os.replace(tmp, path)


def mnist(download: bool = False) -> ImageSet:
    """The 60,000 training images scaled to [-1, 1]. FileNotFoundError when absent and download=False."""
    if not mnist_available():
        if not download:
            raise FileNotFoundError(f"MNIST not found at {mnist_path()}; place mnist.npz there or download it")
        download_mnist()
    with np.load(mnist_path(), allow_pickle=False) as f:
        x, y = f["x_train"], f["y_train"]
    images = torch.from_numpy(x.astype(np.float32) / 255.0 * 2 - 1).unsqueeze(1)
    return ImageSet("mnist", images, y.astype(np.int64))
