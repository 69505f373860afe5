"""Samples from a stored run: rebuild G from the run's config and weights (explainer.gan.sampling) and draw."""
import numpy as np

from explainer.gan.result import TrainResult


def config_of(result: TrainResult):
    from explainer.gan.config import GANConfig

    return GANConfig.from_dict(result.config_dict)


def sample_run(result: TrainResult, n: int = 2500, seed_index: int = 0, ema: bool = True) -> np.ndarray:
    """n samples (n, *data_shape) of seed `seed_index` of a trained run.

    They come from that seed's fixed "eval" latent stream, so n = 2500 gives exactly the samples its final
    metrics were computed on. With ema (default), the EMA generator is used when the run has one.
    """
    from explainer.gan.sampling import generate

    config = config_of(result)
    k = len(config.seeds)
    if not 0 <= seed_index < k:
        raise ValueError(f"seed-index: must be in 0..{k - 1} for this run of {k} seed(s); got {seed_index}")
    if n < 1 or n > 1_000_000:
        raise ValueError(f"n: must be in 1..1,000,000; got {n}")
    if bool(np.asarray(result.diverged)[seed_index]):
        raise ValueError(f"seed index {seed_index} diverged during training: its generator gives NaN")
    return generate(config, result.weights, n, ema=ema)[seed_index]
