"""A small digits classifier that judges the image GAN: which digits does G draw, and how clearly?

An MLP 64 -> 256 -> 256 -> 10 trained on scikit-learn's 8×8 digits (a fixed 75/25 split, inputs in [-1, 1]
like the GAN's; Gaussian input noise σ = 0.3 as augmentation; AdamW, batch 128, 40 epochs, learning rate 2e-3
with cosine decay; ≈98.7% test accuracy). `ClassifierConfig` trains it into a TrainResult like every run, kept
in the run store (checksummed, safetensors, no pickle) and shipped as a preset; a missing or corrupt entry is
trained again (about a second on one CPU core), once per process.
"""
import math
import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from explainer.runs.result import DONE, RunConfig, TrainResult
from explainer.runs.store import load_or_train

VERSION = 1  # bump when the recipe changes: the run's key changes with it
CONFIDENT = 0.9  # a sample is "confident" when its top class probability is at least this
_lock = threading.Lock()
_loaded: "DigitsClassifier | None" = None


def _net() -> nn.Sequential:
    return nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))


class DigitsClassifier:
    def __init__(self, state: dict, test_accuracy: float):
        self.net = _net()
        self.net.load_state_dict(state)
        self.net.eval()
        self.test_accuracy = test_accuracy

    @torch.no_grad()
    def predict_proba(self, images) -> np.ndarray:
        """Class probabilities (n, 10) for images (n, 8, 8) or (n, 1, 8, 8) with pixels in [-1, 1]."""
        x = torch.as_tensor(np.asarray(images), dtype=torch.float32).reshape(-1, 64)
        return self.net(x).softmax(1).numpy()


@dataclass(frozen=True)
class ClassifierConfig(RunConfig):
    """The classifier as a run (the registry's contract): its key names the recipe version and settings."""
    epochs: int = 40
    seed: int = 0

    @property
    def steps(self) -> int:
        return self.epochs

    def identity(self) -> dict:
        return {"model": "gan-digits-classifier", "version": VERSION}

    def train(self, progress=None, stop=None) -> TrainResult:
        state, acc = train_classifier(self.epochs, self.seed)
        return TrainResult(config_dict=self.to_dict(), key=self.key(), status=DONE, diverged=np.zeros(1, bool),
                           history=pd.DataFrame({"step": [self.epochs]}), snapshots=[],
                           metrics=pd.DataFrame({"test_accuracy": [acc]}), weights=state)


def train_classifier(epochs: int = 40, seed: int = 0) -> tuple[dict, float]:
    """(state_dict, test accuracy) of a freshly trained classifier; deterministic for a seed on CPU.

    Runs on one intra-op thread (restored afterwards): these tiny matrix products gain nothing from more,
    and on a busy 2-core machine two threads made training ~50× slower (75 s instead of 1.5 s).
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _train(epochs, seed)
    finally:
        torch.set_num_threads(threads)


def _train(epochs: int, seed: int) -> tuple[dict, float]:
    from explainer.data import split_digits

    x_tr, y_tr, x_te, y_te = split_digits()
    x_tr, x_te = torch.from_numpy(x_tr).reshape(-1, 64), torch.from_numpy(x_te).reshape(-1, 64)
    y_tr, y_te = torch.from_numpy(y_tr), torch.from_numpy(y_te)
    g = torch.Generator().manual_seed(seed)
    net = _net()
    with torch.no_grad():
        for layer in net:  # nn.Linear's default init U(±1/√fan_in), drawn from our generator, not the global one
            if isinstance(layer, nn.Linear):
                bound = 1 / math.sqrt(layer.in_features)
                layer.weight.uniform_(-bound, bound, generator=g)
                layer.bias.uniform_(-bound, bound, generator=g)
    opt = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=1e-4)
    batch = 128
    batches = math.ceil(len(x_tr) / batch)
    for epoch in range(epochs):
        order = torch.randperm(len(x_tr), generator=g)
        for b in range(batches):
            lr = 1e-3 * (1 + math.cos(math.pi * (epoch * batches + b) / (epochs * batches)))  # cosine decay
            for group in opt.param_groups:
                group["lr"] = lr
            idx = order[b * batch:(b + 1) * batch]
            x = x_tr[idx] + 0.3 * torch.randn(len(idx), 64, generator=g)  # noise: robust to GAN speckle
            loss = F.cross_entropy(net(x), y_tr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    with torch.no_grad():
        acc = (net(x_te).argmax(1) == y_te).float().mean().item()
    return {k: v.detach().clone() for k, v in net.state_dict().items()}, acc


def load_classifier(config: ClassifierConfig = ClassifierConfig()) -> DigitsClassifier:
    """The classifier from the run store (shipped, or trained and stored first); one per process.

    Called from inside image-GAN jobs (see load_or_train)."""
    global _loaded
    with _lock:
        if _loaded is None:
            run = load_or_train(config)
            _loaded = DigitsClassifier(run.weights, float(run.metrics["test_accuracy"].iloc[0]))
        return _loaded


def digit_score(probs: np.ndarray) -> dict:
    """Scores of one seed's generated images from their class probabilities (n, 10):

    classes_covered: classes that are the top class of at least one image; min_class_share: the smallest
    share of images any class gets (0 when a class is missing); confident_share: share of images whose top
    probability is ≥ 0.9; class_k: share of images whose top class is k.
    """
    top = probs.argmax(1)
    share = np.bincount(top, minlength=10) / max(len(top), 1)
    row = {
        "classes_covered": int((share > 0).sum()),
        "min_class_share": float(share.min()),
        "confident_share": float((probs.max(1) >= CONFIDENT).mean()),
    }
    row.update({f"class_{k}": float(share[k]) for k in range(10)})
    return row


def digit_scores(images: np.ndarray) -> pd.DataFrame:
    """One row per seed for generated images (K, n, [1,] 8, 8) in [-1, 1]; see digit_score."""
    clf = load_classifier()
    return pd.DataFrame([digit_score(clf.predict_proba(imgs)) for imgs in images])
