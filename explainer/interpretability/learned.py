"""What the digits CNN learned: its codes for every digit, embedded with t-SNE, and what its channels respond to.

- *Codes*: the 256 numbers the last layer reads (conv2's 16 pooled 4×4 maps, flattened), for all 1,797 digits.
  t-SNE (van der Maaten & Hinton, JMLR 2008; scikit-learn's implementation) embeds them in 2D beside the t-SNE of
  the raw 64 pixels: Karpathy's "t-SNE visualization of CNN codes", at digit scale.
- *Channels*: for each of conv2's channels, the digits that excite it most (their largest activation), and an
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

SCHEMA = 1
FEATURE_VIS = {"steps": 300, "lr": 0.05, "l2": 0.02, "blur_every": 10, "jitter": 1}


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
    """(n, channels) each conv2 channel's largest activation (after ReLU) on each image."""
    with torch.no_grad(), one_thread():
        return model.layers(_as_batch(images))["relu2"].amax(dim=(2, 3)).numpy()


def top_images(peaks: np.ndarray, k: int = 6) -> np.ndarray:
    """(channels, k) indices of the k images with the largest peak, per channel, largest first."""
    return np.argsort(-peaks, axis=0, kind="stable")[:k].T


def tsne(points: np.ndarray, perplexity: float = 30.0, seed: int = 0) -> np.ndarray:
    from sklearn.manifold import TSNE  # a slow import, needed only when the embedding is computed

    return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed,
                n_jobs=1).fit_transform(points).astype(np.float32)


def nearest(points: np.ndarray, index: int, k: int = 8) -> np.ndarray:
    """Indices of the k points nearest (Euclidean) to points[index], nearest first, itself excluded."""
    d = np.linalg.norm(points - points[index], axis=1)
    d[index] = np.inf
    return np.argsort(d, kind="stable")[:k]


def blur3(x: torch.Tensor) -> torch.Tensor:
    kernel = torch.tensor([1.0, 2.0, 1.0])
    kernel = (kernel[:, None] * kernel[None, :] / 16).reshape(1, 1, 3, 3)
    return torch.nn.functional.conv2d(x, kernel, padding=1)


def visualise_channels(model: DigitsCNN, seed: int = 0) -> np.ndarray:
    """(channels, 8, 8) inputs in 0..16, each optimised to maximise the mean of one conv2 channel (before ReLU).

    Regularised as in FEATURE_VIS (Olah et al. 2017, "Regularization"): pixels kept in range by a sigmoid,
    an L2 penalty on the image, a small random shift (jitter) each step and a 3×3 blur every few steps, which
    keep the optimum from being high-frequency noise the network happens to like."""
    cfg = FEATURE_VIS
    n = model.conv2.out_channels
    gen = torch.Generator().manual_seed(seed)
    logits = (torch.randn(n, 1, 8, 8, generator=gen) * 0.1 - 1).requires_grad_()
    opt = torch.optim.Adam([logits], lr=cfg["lr"])
    channel = torch.arange(n)
    with one_thread():
        for step in range(cfg["steps"]):
            image = 16 * torch.sigmoid(logits)
            dy, dx = torch.randint(-cfg["jitter"], cfg["jitter"] + 1, (2,), generator=gen).tolist()
            shifted = torch.roll(image, shifts=(dy, dx), dims=(2, 3))
            act = model.layers(shifted)["conv2"][channel, channel].mean(dim=(1, 2))
            loss = -act.sum() + cfg["l2"] * (image / 16).pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            if (step + 1) % cfg["blur_every"] == 0:
                with torch.no_grad():
                    target = blur3(torch.sigmoid(logits)).clamp(1e-4, 1 - 1e-4)
                    logits.copy_(torch.logit(target))
    return (16 * torch.sigmoid(logits)).detach()[:, 0].numpy()


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
    vis = visualise_channels(model, config.seed)
    report(3)
    n = len(vis)
    arrays = {"tsne_codes": emb_codes[None], "tsne_pixels": emb_pixels[None],
              "feature_vis": vis[None].astype(np.float32), "top_images": top_images(peaks)[None],
              "vis_peak": channel_peaks(model, vis)[np.arange(n), np.arange(n)][None],  # what the optimum reaches
              "digit_peak": peaks.max(axis=0)[None], "active_share": (peaks > 0).mean(axis=0)[None]}
    return TrainResult(config_dict=config.to_dict(), key=config.key(), status=DONE, diverged=np.array([False]),
                       history=pd.DataFrame({"step": [1, 2, 3]}), snapshots=[Snapshot(step=3, arrays=arrays)],
                       metrics=pd.DataFrame({"points": [len(images)]}), weights={},
                       extra={"wall_s": round(time.perf_counter() - start, 3)})
