"""A small CNN on scikit-learn's 8×8 digits: trained once in seconds, cached as safetensors, opened up.

    input 1×8×8 → conv 3×3 (8 filters, pad 1) → ReLU → conv 3×3 (16 filters, pad 1) → ReLU
                → max-pool 2×2 → 16×4×4 → linear → 10 logits → softmax

A 3×3 convolution with padding 1 keeps the 8×8 size; each output pixel is  Σ_{c,i,j} w[c,i,j]·x[c,y+i,x+j] + b.
Max-pooling keeps the largest value of each 2×2 block. Pixels are divided by 16 before the first layer.

The weights are cached under `cache_dir()/nn/` in a safetensors file whose metadata holds a SHA-256 of the
tensors; a missing, unreadable, mismatched or corrupt file is rebuilt by training again (atomic write).
"""
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from explainer.data.digits import load_split
from explainer.deep_learning.drawing import preprocess_drawing  # noqa: F401  (part of this module's API: draw a digit)
from explainer.deep_learning.init import default_init_
from explainer.deep_learning.optim import Adam
from explainer.paths import cache_dir
from explainer.threads import one_thread

SCHEMA = 1  # bump when the architecture or the file layout changes: old cache files are then ignored
LAYERS = ("conv1", "relu1", "conv2", "relu2", "pool")


@dataclass(frozen=True)
class CNNConfig:
    channels1: int = 8
    channels2: int = 16
    epochs: int = 12
    batch_size: int = 64
    lr: float = 5e-3
    test_fraction: float = 0.2
    seed: int = 0

    def key(self) -> str:
        text = json.dumps({"schema": SCHEMA, **asdict(self)}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class DigitsCNN(nn.Module):
    def __init__(self, channels1: int = 8, channels2: int = 16):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels1, 3, padding=1)
        self.conv2 = nn.Conv2d(channels1, channels2, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(channels2 * 4 * 4, 10)

    def layers(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """Every intermediate activation by name (see LAYERS), and "logits". x: (N, 1, 8, 8) in 0..16."""
        out = {}
        out["conv1"] = self.conv1(x / 16)
        out["relu1"] = torch.relu(out["conv1"])
        out["conv2"] = self.conv2(out["relu1"])
        out["relu2"] = torch.relu(out["conv2"])
        out["pool"] = self.pool(out["relu2"])
        out["logits"] = self.fc(out["pool"].flatten(1))
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)["logits"]


@dataclass
class DigitsCNNResult:
    model: DigitsCNN
    test_accuracy: float
    confusion: np.ndarray  # (10, 10) int: rows = true digit, columns = predicted digit
    test_images: np.ndarray  # (n, 8, 8) float32 in 0..16, for "pick a test digit"
    test_labels: np.ndarray  # (n,) int64
    from_cache: bool
    seconds: float  # time spent training (or loading)
    path: Path  # the cache file


def _as_batch(images) -> torch.Tensor:
    """(8, 8), (64,), (n, 8, 8) or (n, 64) in 0..16 → float32 tensor (n, 1, 8, 8)."""
    x = torch.as_tensor(np.asarray(images, dtype=np.float32))
    if x.shape[-2:] != (8, 8):
        if x.shape[-1] != 64:
            raise ValueError(f"expected 8×8 images (or 64 values each), got shape {tuple(x.shape)}")
        x = x.reshape(*x.shape[:-1], 8, 8)
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3:
        raise ValueError(f"expected one image or a batch of images, got shape {tuple(x.shape)}")
    if not torch.isfinite(x).all():
        raise ValueError("image contains NaN or infinite values")
    return x[:, None]


def train_cnn(config: CNNConfig = CNNConfig(), progress: Callable[[float], None] | None = None) -> DigitsCNN:
    """Train from scratch with Adam and cross-entropy on one thread; deterministic for config.seed."""
    with one_thread():
        return _train(config, progress)


def _train(config: CNNConfig, progress: Callable[[float], None] | None) -> DigitsCNN:
    X_train, y_train, _, _ = load_split(config.test_fraction, config.seed)
    X, y = _as_batch(X_train), torch.from_numpy(y_train)
    gen = torch.Generator().manual_seed(config.seed)
    model = default_init_(DigitsCNN(config.channels1, config.channels2), gen)
    opt = Adam(model.parameters(), lr=config.lr)
    model.train()
    for epoch in range(config.epochs):
        order = torch.randperm(len(y), generator=gen)
        for start in range(0, len(y), config.batch_size):
            idx = order[start:start + config.batch_size]
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        if progress:
            progress((epoch + 1) / config.epochs)
    return model.eval()


def _digest(tensors: dict[str, torch.Tensor]) -> str:
    h = hashlib.sha256()
    for name in sorted(tensors):
        h.update(name.encode())
        h.update(tensors[name].contiguous().numpy().tobytes())
    return h.hexdigest()


def save_weights(model: nn.Module, path: Path, key: str) -> None:
    """Write the weights atomically (temporary file + rename) with the key and a SHA-256 in the metadata."""
    from safetensors.torch import save_file

    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        save_file(tensors, tmp, metadata={"schema": str(SCHEMA), "key": key, "sha256": _digest(tensors)})
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def load_weights(model: nn.Module, path: Path, key: str) -> bool:
    """Load cached weights into `model` if the file exists and is intact and current; False otherwise."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            tensors = {name: f.get_tensor(name) for name in f.keys()}
        if meta.get("schema") != str(SCHEMA) or meta.get("key") != key or meta.get("sha256") != _digest(tensors):
            return False
        model.load_state_dict(tensors, strict=True)
        return True
    except Exception:  # missing, truncated, garbage header, wrong shapes: all mean "train again"
        return False


def evaluate(model: DigitsCNN, images: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Accuracy and the 10×10 confusion matrix (rows true, columns predicted)."""
    with torch.no_grad(), one_thread():
        predicted = model(_as_batch(images)).argmax(1).numpy()
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    return float((predicted == labels).mean()), confusion


_lock = threading.Lock()  # one training at a time per process: a second caller waits, then loads the cache


def get_digits_cnn(progress: Callable[[float], None] | None = None, config: CNNConfig = CNNConfig()
                   ) -> DigitsCNNResult:
    """The trained CNN from the cache, or trained now (a few seconds on CPU) and cached.

    `progress(fraction)` is called after each epoch when training, and with 1.0 at the end.
    """
    start = time.perf_counter()
    key = config.key()
    path = cache_dir() / "nn" / f"digits_cnn-{key}.safetensors"
    _, _, X_test, y_test = load_split(config.test_fraction, config.seed)
    with _lock:
        model = DigitsCNN(config.channels1, config.channels2).eval()
        from_cache = load_weights(model, path, key)
        if not from_cache:
            model = train_cnn(config, progress)
            save_weights(model, path, key)
    accuracy, confusion = evaluate(model, X_test, y_test)
    if progress:
        progress(1.0)
    return DigitsCNNResult(model, accuracy, confusion, X_test, y_test, from_cache, time.perf_counter() - start, path)


def predict_proba(model: DigitsCNN, image) -> np.ndarray:
    """Softmax probabilities: (10,) for one 8×8 image in 0..16, (n, 10) for a batch."""
    single = np.shape(image) in ((8, 8), (64,))
    with torch.no_grad(), one_thread():
        probs = torch.softmax(model(_as_batch(image)), dim=1).numpy()
    return probs[0] if single else probs


def feature_maps(model: DigitsCNN, image8x8) -> dict[str, np.ndarray]:
    """Activation maps of one image: {"conv1": (8, 8, 8), "relu1", "conv2": (16, 8, 8), "relu2", "pool": (16, 4, 4)}.

    Each value is (channels, height, width); conv* are before the ReLU, relu* after it.
    """
    x = _as_batch(image8x8)
    if x.shape[0] != 1:
        raise ValueError(f"feature_maps takes one image, got {x.shape[0]}")
    with torch.no_grad(), one_thread():
        out = model.layers(x)
    return {name: out[name][0].numpy() for name in LAYERS}


def filters(model: DigitsCNN) -> dict[str, np.ndarray]:
    """The convolution kernels: {"conv1": (8, 1, 3, 3), "conv2": (16, 8, 3, 3)} as (out, in, kh, kw)."""
    return {"conv1": model.conv1.weight.detach().numpy().copy(), "conv2": model.conv2.weight.detach().numpy().copy()}
