"""Turn a stored run's weights back into a generator and samples (for the CLI's `sample` and for pages)."""
import numpy as np
import torch

from explainer.data import IMAGE_SHAPES
from explainer.gan.models import build_models
from explainer.seeding import torch_generators


def data_shape(config) -> tuple[int, ...]:
    """Shape of one data sample: (2,) for 2D, (1, H, W) for images."""
    return IMAGE_SHAPES[config.dataset] if config.is_image else (2,)


def eval_z(config, n: int, device="cpu") -> torch.Tensor:
    """The first n latent vectors of each seed's "eval" stream, (K, n, z_dim).

    The trainer draws its metric samples (N_EVAL of them) first from the same stream, so
    generate(config, weights, 2500) reproduces exactly the samples the final metrics were computed on.
    """
    gens = torch_generators(config.seeds, "eval")
    return torch.stack([torch.randn(n, config.z_dim, generator=g) for g in gens]).to(device)


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


def sample_run(result, n: int = 2500, seed_index: int = 0, ema: bool = True) -> np.ndarray:
    """n samples (n, *data_shape) of seed `seed_index` of a trained run.

    They come from that seed's fixed "eval" latent stream, so n = 2500 gives exactly the samples its final
    metrics were computed on. With ema (default), the EMA generator is used when the run has one.
    """
    from explainer.gan.config import GANConfig

    config = GANConfig.of(result)
    k = len(config.seeds)
    if not 0 <= seed_index < k:
        raise ValueError(f"seed-index: must be in 0..{k - 1} for this run of {k} seed(s); got {seed_index}")
    if n < 1 or n > 1_000_000:
        raise ValueError(f"n: must be in 1..1,000,000; got {n}")
    if bool(np.asarray(result.diverged)[seed_index]):
        raise ValueError(f"seed index {seed_index} diverged during training: its generator gives NaN")
    return generate(config, result.weights, n, ema=ema)[seed_index]
