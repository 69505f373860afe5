"""Turn stored weights back into a generator and samples (for the CLI's `sample` and for pages)."""
import numpy as np
import torch

from explainer.data import IMAGE_SHAPES
from explainer.gan.models import build_models
from explainer.gan.rng import generators


def data_shape(config) -> tuple[int, ...]:
    """Shape of one data sample: (2,) for 2D, (1, H, W) for images."""
    return IMAGE_SHAPES[config.dataset] if config.is_image else (2,)


def eval_z(config, n: int, device="cpu") -> torch.Tensor:
    """The first n latent vectors of each seed's "eval" stream, (K, n, z_dim).

    The trainer draws its metric samples (N_EVAL of them) first from the same stream, so
    generate(config, weights, 2500) reproduces exactly the samples the final metrics were computed on.
    """
    return torch.stack([torch.randn(n, config.z_dim, generator=g) for g in generators(config.seeds, "eval")]).to(device)


def load_generator(config, weights: dict, ema: bool = True) -> torch.nn.Module:
    """G for all seeds from TrainResult.weights ("G.*" and, when trained with EMA, "G_ema.*")."""
    prefix = "G_ema." if ema and any(k.startswith("G_ema.") for k in weights) else "G."
    g, _ = build_models(config, data_shape(config))
    g.load_state_dict({k[len(prefix):]: v for k, v in weights.items() if k.startswith(prefix)})
    return g.eval()


@torch.no_grad()
def generate(config, weights: dict, n: int, ema: bool = True) -> np.ndarray:
    """n samples per seed, (K, n, *data_shape), float32, from the evaluated G (the EMA one when present)."""
    g = load_generator(config, weights, ema)
    return g(eval_z(config, n)).float().numpy()
