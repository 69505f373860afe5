"""What the digits CNN learned: its codes for every digit, embedded with t-SNE, and what its channels respond to.

- *Codes*: the 256 numbers the last layer reads (conv2's 16 pooled 4×4 maps, flattened), for all 1,797 digits.
  t-SNE (van der Maaten & Hinton, JMLR 2008; scikit-learn's implementation) embeds them in 2D beside the t-SNE of
  the raw 64 pixels: Karpathy's "t-SNE visualization of CNN codes", at digit scale.
- *Channels*: for each of conv2's channels, the digits that excite it most (largest activation), and an
  input optimised to excite it (feature visualisation, Olah, Mordvintsev & Schubert, Distill 2017) with the
  regularisers in `FEATURE_VIS`.

`LearnedConfig` computes the slow parts (two t-SNEs, the optimised inputs) as a run, so the page ships them.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from explainer.checks import Range
from explainer.data.digits import raw_digits
from explainer.deep_learning.cnn import CNNConfig, DigitsCNN, _as_batch, digits_cnn
from explainer.runs.config import RunConfig
from explainer.runs.result import Snapshot, TrainResult
from explainer.seeding import derive_seed
from explainer.threads import one_thread

FEATURE_VIS = {"steps": 300, "lr": 0.1, "l2": 0.05}  # Adam steps, its learning rate, the L2 penalty's weight
CENTRE = slice(3, 5)  # the 2×2 positions at the middle of conv2's 8×8 map: one place, so a pattern can form


@dataclass(frozen=True)
class LearnedConfig(RunConfig):
    MODEL, SCHEMA = "digits_cnn_learned", 5  # 5: top digits and their activation at the map's centre
    RULES = {"perplexity": Range(5.0, 50.0), "seed": Range(0, 2**31 - 1, int)}
    perplexity: float = 30.0
    seed: int = 0

    @property
    def steps(self) -> int:
        return 3  # progress units: codes, the two embeddings, the optimised inputs

    def key_fields(self) -> dict:
        # the model it describes is part of what it is: a retrained CNN is a new run
        return {**self.to_dict(), "cnn": CNNConfig().key(), **FEATURE_VIS}

    def train(self, run) -> TrainResult:
        return learn_run(run)


def codes(model: DigitsCNN, images) -> np.ndarray:
    """(n, 256) penultimate-layer features: what the linear layer reads."""
    with torch.no_grad(), one_thread():
        return model.layers(_as_batch(images))["pool"].flatten(1).numpy()


def channel_peaks(model: DigitsCNN, images) -> np.ndarray:
    """(n, channels) each conv2 channel's largest activation (after ReLU, anywhere in its map) on each image."""
    with torch.no_grad(), one_thread():
        return model.layers(_as_batch(images))["relu2"].amax(dim=(2, 3)).numpy()


def channel_centres(model: DigitsCNN, images) -> np.ndarray:
    """(n, channels) each conv2 channel's mean activation (after ReLU) over the CENTRE of its map on each image:
    the statistic feature visualisation maximises, so real digits and the optimised input are compared alike."""
    with torch.no_grad(), one_thread():
        return model.layers(_as_batch(images))["relu2"][:, :, CENTRE, CENTRE].mean(dim=(2, 3)).numpy()


def top_images(scores: np.ndarray, k: int = 6) -> np.ndarray:
    """(channels, k) indices of the k images with the highest score, per channel, highest first."""
    return np.argsort(-scores, axis=0, kind="stable")[:k].T


def tsne(points: np.ndarray, perplexity: float, random_state: int) -> np.ndarray:
    from sklearn.manifold import TSNE  # a slow import, needed only when the embedding is computed

    return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=random_state,
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


def visualise_channels(model: DigitsCNN, gen: torch.Generator) -> tuple[np.ndarray, np.ndarray]:
    """For each conv2 channel, an input (8, 8) in 0..16 optimised to maximise its activation (before ReLU) at the
    centre of its map, and the activation (after ReLU) it reaches: ((channels, 8, 8), (channels,)).

    Regularised as in Olah et al. (2017): pixels kept in range by a sigmoid, and an L2 penalty on the image, so
    only the ink that raises the activation stays. Maximising the mean over the whole 8×8 map instead gives an
    all-white or all-black square on a network this small: the mean only measures overall brightness."""
    cfg = FEATURE_VIS
    n = model.conv2.out_channels
    logits = (torch.randn(n, 1, 8, 8, generator=gen) * 0.1 - 2).requires_grad_()  # start nearly black
    opt = torch.optim.Adam([logits], lr=cfg["lr"])
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


def learn_run(run) -> TrainResult:
    config = run.config
    model = digits_cnn(run.require(CNNConfig())).model
    images, _ = raw_digits()
    feats = codes(model, images)
    peaks, centres = channel_peaks(model, images), channel_centres(model, images)
    run.tick()
    state = derive_seed(config.seed, "tsne") % 2**32  # scikit-learn takes a 32-bit random state
    emb_codes = tsne(feats, config.perplexity, state)
    emb_pixels = tsne(images.reshape(len(images), -1), config.perplexity, state)
    run.tick()
    vis, reached = visualise_channels(model, run.generator("feature_vis"))
    run.tick()
    arrays = {"tsne_codes": emb_codes[None], "tsne_pixels": emb_pixels[None],
              "feature_vis": vis[None].astype(np.float32), "top_images": top_images(centres)[None],
              "vis_activation": reached[None], "digit_centre": centres.max(axis=0)[None],
              "active_share": (peaks > 0).mean(axis=0)[None]}  # fires anywhere: what tells a dead channel
    return run.result(history=pd.DataFrame({"step": [1, 2, 3]}), snapshots=[Snapshot(step=3, arrays=arrays)],
                      metrics=pd.DataFrame({"points": [len(images)]}))
