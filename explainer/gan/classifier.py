"""A small digits classifier that judges the image GAN: which digits does G draw, and how clearly?

An MLP 64 -> 256 -> 256 -> 10 trained on scikit-learn's 8×8 digits (a fixed 75/25 split, inputs in [-1, 1]
like the GAN's; Gaussian input noise σ = 0.3 as augmentation; AdamW, batch 128, 40 epochs, learning rate 2e-3
with cosine decay; ≈98.7% test accuracy). `ClassifierConfig` trains it into a TrainResult like every run, kept
in the run store (checksummed, safetensors, no pickle) and shipped as a preset; an image-GAN run asks for it with
`run.require(ClassifierConfig())`, which trains it through the registry when it is missing (about a second).
"""
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from explainer.checks import Range
from explainer.deep_learning.init import default_init_
from explainer.runs.config import RunConfig
from explainer.runs.result import TrainResult, derived

CONFIDENT = 0.9  # a sample is "confident" when its top class probability is at least this


def _net() -> nn.Sequential:
    return nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))


class DigitsClassifier:
    def __init__(self, state: dict, test_accuracy: float):
        self.net = _net()
        self.net.load_state_dict(state)
        self.net.eval()
        self.test_accuracy = test_accuracy

    @classmethod
    def of(cls, run: TrainResult) -> "DigitsClassifier":
        """The classifier of a finished run, built once per run and shared (runs.result.derived)."""
        return derived(run, "digits_classifier",
                       lambda: cls(run.weights, float(run.metrics["test_accuracy"].iloc[0])))

    @torch.no_grad()
    def predict_proba(self, images) -> np.ndarray:
        """Class probabilities (n, 10) for images (n, 8, 8) or (n, 1, 8, 8) with pixels in [-1, 1]."""
        x = torch.as_tensor(np.asarray(images), dtype=torch.float32).reshape(-1, 64)
        return self.net(x).softmax(1).numpy()


@dataclass(frozen=True)
class ClassifierConfig(RunConfig):
    """The classifier as a run: stored, shipped, and required by image-GAN runs (run.require)."""
    MODEL, SCHEMA = "gan-digits-classifier", 2  # 2: private streams per purpose (explainer.seeding)
    RULES = {"epochs": Range(1, 200, int), "seed": Range(0, 2**31 - 1, int)}
    epochs: int = 40
    seed: int = 0

    @property
    def steps(self) -> int:
        return self.epochs

    def train(self, run) -> TrainResult:
        state, acc = train_classifier(run)
        return run.result(history=pd.DataFrame({"step": [self.epochs]}),
                          metrics=pd.DataFrame({"test_accuracy": [acc]}), weights=state)


def train_classifier(run) -> tuple[dict, float]:
    """(state_dict, test accuracy) of a freshly trained classifier; deterministic for the config's seed on CPU.
    One progress unit per epoch."""
    from explainer.data import split_digits

    epochs = run.config.epochs
    x_tr, y_tr, x_te, y_te = split_digits()
    x_tr, x_te = torch.from_numpy(x_tr).reshape(-1, 64), torch.from_numpy(x_te).reshape(-1, 64)
    y_tr, y_te = torch.from_numpy(y_tr), torch.from_numpy(y_te)
    net = default_init_(_net(), run.generator("init"))
    order_gen, noise_gen = run.generator("order"), run.generator("noise")
    opt = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=1e-4)
    batch = 128
    batches = math.ceil(len(x_tr) / batch)
    for epoch in range(epochs):
        order = torch.randperm(len(x_tr), generator=order_gen)
        for b in range(batches):
            lr = 1e-3 * (1 + math.cos(math.pi * (epoch * batches + b) / (epochs * batches)))  # cosine decay
            for group in opt.param_groups:
                group["lr"] = lr
            idx = order[b * batch:(b + 1) * batch]
            x = x_tr[idx] + 0.3 * torch.randn(len(idx), 64, generator=noise_gen)  # noise: robust to GAN speckle
            loss = F.cross_entropy(net(x), y_tr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        run.tick()
    with torch.no_grad():
        acc = (net(x_te).argmax(1) == y_te).float().mean().item()
    return {k: v.detach().clone() for k, v in net.state_dict().items()}, acc


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


def digit_scores(classifier_run: TrainResult, images: np.ndarray) -> pd.DataFrame:
    """One row per seed for generated images (K, n, [1,] 8, 8) in [-1, 1], judged by the classifier of
    `classifier_run` (a finished ClassifierConfig run); see digit_score."""
    clf = DigitsClassifier.of(classifier_run)
    return pd.DataFrame([digit_score(clf.predict_proba(imgs)) for imgs in images])
