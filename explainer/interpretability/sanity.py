"""Sanity checks for saliency maps (Adebayo, Gilmer, Muelly, Goodfellow, Hardt & Kim, NeurIPS 2018).

An explanation of a model should change when the model changes. Two tests:
- *cascading model randomisation*: re-initialise the layers one by one from the logits down (fc, then conv2, then
  conv1) and recompute every map at each stage; a method whose maps barely move is not explaining what the
  network learned. Similarity is Spearman's rank correlation of the absolute maps with the trained model's.
- *data randomisation*: the same network trained on shuffled labels memorises the training set; its maps
  should differ from those of the network that learned digits (see `cnn.CNNConfig(shuffle_labels=True)`).
"""
import copy
import math

import numpy as np
import torch
from scipy.stats import spearmanr

from explainer.deep_learning.init import default_init_
from explainer.interpretability.attributions import METHODS, attribute_all
from explainer.seeding import torch_generator

CASCADE = ("fc", "conv2", "conv1")  # from the logits down
STAGE_LABELS = ("trained", "fc random", "fc, conv2 random", "all layers random")


def randomised(model: torch.nn.Module, stage: int, seed: int = 0) -> torch.nn.Module:
    """A copy of `model` with its top `stage` layers (CASCADE order) re-initialised from a seeded generator;
    stage 0 is the trained model itself (copied)."""
    if not 0 <= stage <= len(CASCADE):
        raise ValueError(f"stage must be 0 to {len(CASCADE)}, got {stage}")
    model = copy.deepcopy(model).eval()
    gen = torch_generator(seed, "reinit")
    for name in CASCADE[:stage]:
        default_init_(getattr(model, name), gen)
    return model


def rank_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation of |a| and |b| over pixels; nan when either map is constant (e.g. all 0)."""
    a, b = np.abs(np.ravel(a)), np.abs(np.ravel(b))
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return math.nan
    return float(spearmanr(a, b).statistic)


def cascade(model, image, target: int, baseline_kind: str = "zero", seed: int = 0) -> dict:
    """Every method's map at every stage of the cascade, and its similarity to the trained model's map.

    Returns {"maps": {method: (stages, 8, 8)}, "similarity": {method: (stages,)}, "predicted": (stages,) the
    randomised models' answers}."""
    stages = len(CASCADE) + 1
    maps = {name: np.zeros((stages, 8, 8), np.float32) for name in METHODS}
    predicted = np.zeros(stages, np.int64)
    for stage in range(stages):
        net = randomised(model, stage, seed)
        for name, a in attribute_all(net, image, target, baseline_kind, seed).items():
            maps[name][stage] = a
        with torch.no_grad():
            predicted[stage] = int(net(torch.as_tensor(np.asarray(image, np.float32)).reshape(1, 1, 8, 8)).argmax())
    similarity = {name: np.array([rank_similarity(m[0], m[s]) for s in range(stages)]) for name, m in maps.items()}
    return {"maps": maps, "similarity": similarity, "predicted": predicted}


def compare_models(model_a, model_b, image, target: int, baseline_kind: str = "zero", seed: int = 0) -> dict:
    """The data-randomisation check for one image: both models' maps and their rank similarity per method."""
    maps_a = attribute_all(model_a, image, target, baseline_kind, seed)
    maps_b = attribute_all(model_b, image, target, baseline_kind, seed)
    return {"a": maps_a, "b": maps_b, "similarity": {n: rank_similarity(maps_a[n], maps_b[n]) for n in METHODS}}
