"""A small CNN on scikit-learn's 8×8 digits: trained once in seconds, cached as safetensors, opened up.

    input 1×8×8 → conv 3×3 (8 filters, pad 1) → ReLU → conv 3×3 (16 filters, pad 1) → ReLU
                → max-pool 2×2 → 16×4×4 → linear → 10 logits → softmax

A 3×3 convolution with padding 1 keeps the 8×8 size; each output pixel is  Σ_{c,i,j} w[c,i,j]·x[c,y+i,x+j] + b.
Max-pooling keeps the largest value of each 2×2 block. Pixels are divided by 16 before the first layer.

Training goes through the job registry like every run (`CNNConfig.train` returns a TrainResult: weights,
per-epoch loss, test accuracy and confusion), so it is stored in the run store and shipped as a preset;
`digits_cnn(run)` turns a stored run back into a model.
"""
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn

from explainer.checks import Flag, Range
from explainer.data.digits import load_split
from explainer.deep_learning.init import default_init_
from explainer.deep_learning.optim import Adam
from explainer.runs.config import RunConfig
from explainer.runs.result import DIVERGED, DONE, Snapshot, TrainResult
from explainer.threads import one_thread

LAYERS = ("conv1", "relu1", "conv2", "relu2", "pool")


@dataclass(frozen=True)
class CNNConfig(RunConfig):
    MODEL, SCHEMA = "digits_cnn", 3  # 3: private streams per purpose (explainer.seeding)
    RULES = {"channels1": Range(1, 64, int), "channels2": Range(1, 64, int), "epochs": Range(1, 1000, int),
             "batch_size": Range(1, 1437, int), "lr": Range(0.0, 1.0, lo_open=True),
             "test_fraction": Range(0.05, 0.5), "seed": Range(0, 2**31 - 1, int), "shuffle_labels": Flag()}
    channels1: int = 8
    channels2: int = 16
    epochs: int = 12
    batch_size: int = 64
    lr: float = 5e-3
    test_fraction: float = 0.2
    seed: int = 0
    shuffle_labels: bool = False  # train on randomly permuted labels (the data-randomisation sanity check)

    @property
    def steps(self) -> int:
        """Progress units: one per epoch."""
        return self.epochs

    def train(self, run) -> TrainResult:
        """Train (deterministic for the seed) and measure on the test split."""
        return train_run(run)


class DigitsCNN(nn.Module):
    def __init__(self, channels1: int = 8, channels2: int = 16):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels1, 3, padding=1)
        self.relu1 = nn.ReLU()  # one module per activation: attribution hooks (Guided Backprop, DeepLift) need them
        self.conv2 = nn.Conv2d(channels1, channels2, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(channels2 * 4 * 4, 10)

    def layers(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """Every intermediate activation by name (see LAYERS), and "logits". x: (N, 1, 8, 8) in 0..16."""
        out = {}
        out["conv1"] = self.conv1(x / 16)
        out["relu1"] = self.relu1(out["conv1"])
        out["conv2"] = self.conv2(out["relu1"])
        out["relu2"] = self.relu2(out["conv2"])
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
    seconds: float  # time the training took
    train_accuracy: float = math.nan  # on the labels it trained on (runs from before it was recorded: nan)


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


def train_run(run) -> TrainResult:
    """Train from scratch with Adam and cross-entropy; deterministic for the config's seed. One progress unit per
    epoch; a non-finite loss ends it as diverged."""
    config = run.config
    X_train, y_train, X_test, y_test = load_split(config.test_fraction, config.seed)
    if config.shuffle_labels:  # the labels no longer say anything about the images: it can only memorise them
        y_train = y_train[torch.randperm(len(y_train), generator=run.generator("labels")).numpy()]
    X, y = _as_batch(X_train), torch.from_numpy(y_train)
    model = default_init_(DigitsCNN(config.channels1, config.channels2), run.generator("init"))
    opt = Adam(model.parameters(), lr=config.lr)
    order_gen = run.generator("order")
    rows, status = [], DONE
    model.train()
    for epoch in range(1, config.epochs + 1):
        order, total = torch.randperm(len(y), generator=order_gen), 0.0
        for first in range(0, len(y), config.batch_size):
            idx = order[first:first + config.batch_size]
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        rows.append({"step": epoch, "train_loss": total / len(y)})
        run.tick(train_loss=rows[-1]["train_loss"])
        if not math.isfinite(rows[-1]["train_loss"]):
            status = DIVERGED
            break
    model.eval()
    accuracy, confusion = evaluate(model, X_test, y_test)
    train_accuracy, _ = evaluate(model, X_train, y_train)  # on the labels it trained on (shuffled ones included)
    return run.result(
        status=status, diverged=[status == DIVERGED], history=pd.DataFrame(rows),
        snapshots=[Snapshot(step=len(rows), arrays={"confusion": confusion[None]})],
        metrics=pd.DataFrame({"test_accuracy": [accuracy], "train_accuracy": [train_accuracy]}),
        weights={k: v.detach().clone() for k, v in model.state_dict().items()})


def digits_cnn(run: TrainResult) -> DigitsCNNResult:
    """The trained model, its test scores and the test split, from a finished run (stored or fresh)."""
    config = CNNConfig.of(run)
    model = DigitsCNN(config.channels1, config.channels2)
    model.load_state_dict(run.weights)
    _, _, X_test, y_test = load_split(config.test_fraction, config.seed)
    return DigitsCNNResult(model.eval(), float(run.metrics["test_accuracy"].iloc[0]),
                           np.asarray(run.snapshots[-1].arrays["confusion"][0]), X_test, y_test,
                           float(run.extra.get("wall_s", 0.0)),
                           float(run.metrics.get("train_accuracy", pd.Series([math.nan])).iloc[0]))


def evaluate(model: DigitsCNN, images: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Accuracy and the 10×10 confusion matrix (rows true, columns predicted)."""
    with torch.no_grad(), one_thread():
        predicted = model(_as_batch(images)).argmax(1).numpy()
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    return float((predicted == labels).mean()), confusion


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
