"""What the digits CNN learned: its codes for every digit, embedded with t-SNE, and what its channels respond to.

- *Codes*: the 256 numbers the last layer reads (conv2's 16 pooled 4×4 maps, flattened), for all 1,797 digits.
  t-SNE (van der Maaten & Hinton, JMLR 2008; scikit-learn's implementation) embeds them in 2D beside the t-SNE of
  the raw 64 pixels: Karpathy's "t-SNE visualization of CNN codes", at digit scale.
- *Channels*: for each of conv2's channels, the digits that excite it most (largest activation), and an
  input optimised to excite it (feature visualisation, Olah, Mordvintsev & Schubert, Distill 2017) with the
  regularisers in `FEATURE_VIS`.

`LearnedConfig` computes the slow parts (two t-SNEs, the optimised inputs) as a run, so the page ships them.
"""
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from explainer.data.digits import raw_digits
from explainer.deep_learning.cnn import CNNConfig, DigitsCNN, _as_batch, digits_cnn
from explainer.runs.result import DONE, Progress, RunConfig, Snapshot, TrainResult, cancelled
from explainer.runs.store import load_or_train
from explainer.threads import one_thread

SCHEMA = 3
FEATURE_VIS = {"steps": 300, "lr": 0.1, "l2": 0.05}  # Adam steps, its learning rate, the L2 penalty's weight
CENTRE = slice(3, 5)  # the 2×2 positions at the middle of conv2's 8×8 map: one place, so a pattern can form


@dataclass(frozen=True)
class LearnedConfig(RunConfig):
    perplexity: float = 30.0
    seed: int = 0

    @property
    def steps(self) -> int:
        return 3  # progress units: codes, the two embeddings, the optimised inputs

    def identity(self) -> dict:
        # the model it describes is part of what it is: a retrained CNN is a new run
        return {"schema": SCHEMA, "model": "digits_cnn_learned", "cnn": CNNConfig().key(), **FEATURE_VIS}

    def train(self, progress=None, stop=None) -> TrainResult:
        return learn_run(self, progress, stop)


def codes(model: DigitsCNN, images) -> np.ndarray:
    """(n, 256) penultimate-layer features: what the linear layer reads."""
    with torch.no_grad(), one_thread():
        return model.layers(_as_batch(images))["pool"].flatten(1).numpy()


def channel_peaks(model: DigitsCNN, images) -> np.ndarray:
    """(n, channels) each conv2 channel's largest activation (after ReLU, anywhere in its map) on each image."""
    with torch.no_grad(), one_thread():
        return model.layers(_as_batch(images))["relu2"].amax(dim=(2, 3)).numpy()


def top_images(scores: np.ndarray, k: int = 6) -> np.ndarray:
    """(channels, k) indices of the k images with the highest score, per channel, highest first."""
    return np.argsort(-scores, axis=0, kind="stable")[:k].T


def tsne(points: np.ndarray, perplexity: float = 30.0, seed: int = 0) -> np.ndarray:
    from sklearn.manifold import TSNE  # a slow import, needed only when the embedding is computed

    return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed,
                n_jobs=1).fit_transform(points).astype(np.float32)


def nearest(points: np.ndarray, index: int, k: int = 8) -> np.ndarray:
    """Indices of the k points nearest (Euclidean) to points[index], nearest first, itself excluded."""
    d = np.linalg.norm(points - points[index], axis=1)
    d[index] = np.inf
    return np.argsort(d, kind="stable")[:k]


def centre_activation(model: DigitsCNN, images: torch.Tensor, relu: bool) -> torch.Tensor:
    """(channels,) channel k's mean activation over the CENTRE positions of its map, for image k."""
    k = torch.arange(len(images))
    out = model.layers(images)["relu2" if relu else "conv2"]
    return out[k, k, CENTRE, CENTRE].mean(dim=(1, 2))


def visualise_channels(model: DigitsCNN, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """For each conv2 channel, an input (8, 8) in 0..16 optimised to maximise its activation (before ReLU) at the
    centre of its map, and the activation (after ReLU) it reaches: ((channels, 8, 8), (channels,)).

    Regularised as in Olah et al. (2017): pixels kept in range by a sigmoid, and an L2 penalty on the image, so
    only the ink that raises the activation stays. Maximising the mean over the whole 8×8 map instead gives an
    all-white or all-black square on a network this small: the mean only measures overall brightness."""
    cfg = FEATURE_VIS
    n = model.conv2.out_channels
    gen = torch.Generator().manual_seed(seed)
    logits = (torch.randn(n, 1, 8, 8, generator=gen) * 0.1 - 2).requires_grad_()  # start nearly black
    opt = torch.optim.Adam([logits], lr=cfg["lr"])
    with one_thread():
        for _ in range(cfg["steps"]):
            image = 16 * torch.sigmoid(logits)
            loss = -centre_activation(model, image, relu=False).sum() + cfg["l2"] * (image / 16).pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        image = (16 * torch.sigmoid(logits)).detach()
        with torch.no_grad():
            reached = centre_activation(model, image, relu=True).numpy()
    return image[:, 0].numpy(), reached


def learn_run(config: LearnedConfig, progress=None, stop=None) -> TrainResult:
    start = time.perf_counter()
    model = digits_cnn(load_or_train(CNNConfig())).model
    images, labels = raw_digits()

    def report(step):
        if progress:
            elapsed = time.perf_counter() - start
            progress(Progress(step=step, total_steps=config.steps, elapsed_s=elapsed, losses={}))

    feats = codes(model, images)
    peaks = channel_peaks(model, images)
    report(1)
    if stop is not None and stop.is_set():
        return cancelled(config)
    with one_thread():
        emb_codes = tsne(feats, config.perplexity, config.seed)
        emb_pixels = tsne(images.reshape(len(images), -1), config.perplexity, config.seed)
    report(2)
    if stop is not None and stop.is_set():
        return cancelled(config)
    vis, reached = visualise_channels(model, config.seed)
    report(3)
    arrays = {"tsne_codes": emb_codes[None], "tsne_pixels": emb_pixels[None],
              "feature_vis": vis[None].astype(np.float32), "top_images": top_images(peaks)[None],
              "vis_activation": reached[None], "digit_peak": peaks.max(axis=0)[None],
              "active_share": (peaks > 0).mean(axis=0)[None]}
    return TrainResult(config_dict=config.to_dict(), key=config.key(), status=DONE, diverged=np.array([False]),
                       history=pd.DataFrame({"step": [1, 2, 3]}), snapshots=[Snapshot(step=3, arrays=arrays)],
                       metrics=pd.DataFrame({"points": [len(images)]}), weights={},
                       extra={"wall_s": round(time.perf_counter() - start, 3)})
