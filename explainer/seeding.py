"""Private random streams: every random draw in the engine comes from a generator made here from a seed and a purpose.

    gen = torch_generator(seed, "init")           # a torch.Generator for initial weights
    rng = numpy_rng(seed, "fleet")                # a numpy Generator
    episode = derive_seed(seed, "held_out", i) % SIM_SEEDS   # an int seed for a simulator episode

Never torch's or numpy's global generator: a web server trains several viewers' jobs in threads of one process,
and a draw from a shared generator in one thread changes the numbers another thread gets. Each purpose has its
own stream, so adding a draw for one purpose (say, the data order) leaves every other stream as it was.

A purpose is a name from PURPOSES (its number is part of the stream: never renumber one, add new names at the
end). The GAN trainer's four purposes kept the numbers they had before this module, so its runs are unchanged.
"""
import numpy as np
import torch

PURPOSES = {
    "g_init": 1, "d_init": 2, "data": 3, "eval": 4,  # the GAN trainer's, per seed
    "init": 5,  # a model's initial weights
    "order": 6,  # minibatch order
    "labels": 7,  # a label permutation (the data-randomisation check)
    "noise": 8,  # input noise: augmentation, SmoothGrad, a noise baseline
    "split": 9,  # which examples are held out
    "reinit": 10,  # re-initialised layers (the model-randomisation check)
    "feature_vis": 11,  # the starting image of feature visualisation
    "tsne": 12,  # t-SNE's random state
    "demo": 13, "learner": 14, "held_out": 15, "fleet": 16, "fleet_mix": 17,  # driving: episode seeds
    "perturb": 18,  # a driving episode's start off the lane centre
    "toy_data": 19,  # 2D toy data points
    "preview": 20,  # data drawn for a picture, not for training
}
SIM_SEEDS = 2**31  # simulator (gymnasium) seeds are taken modulo this


def derive_seed(seed: int, purpose: str, *more: int) -> int:
    """A well-mixed 63-bit seed for (seed, purpose, *more), stable across platforms and versions.
    `more` tells apart several streams of one purpose (the i-th episode, the k-th layer)."""
    if purpose not in PURPOSES:
        raise KeyError(f"unknown random stream purpose {purpose!r}: add it to explainer.seeding.PURPOSES")
    state = np.random.SeedSequence([int(seed), PURPOSES[purpose], *map(int, more)]).generate_state(2, np.uint32)
    return (int(state[0]) << 31) ^ int(state[1])


def torch_generator(seed: int, purpose: str, *more: int, device: str | torch.device = "cpu") -> torch.Generator:
    return torch.Generator(device=device).manual_seed(derive_seed(seed, purpose, *more))


def torch_generators(seeds, purpose: str) -> list[torch.Generator]:
    """One generator per seed of a multi-seed run (the GAN trainer's K seeds): seed s draws the same numbers
    whether it trains alone or beside others."""
    return [torch_generator(s, purpose) for s in seeds]


def numpy_rng(seed: int, purpose: str, *more: int) -> np.random.Generator:
    return np.random.default_rng(derive_seed(seed, purpose, *more))


def episode_seeds(seed: int, purpose: str, n: int, *more: int) -> list[int]:
    """n simulator seeds for one purpose of a run (demonstrations, held-out drives, ...), `more` telling apart
    several sets of one purpose (one per training seed of an experiment). They are hashes, not a
    counter: two of them (of one purpose or of two) coincide with probability about 2^-31 per pair, which for the
    few dozen drives a run uses is about one in ten million; no code relies on them being distinct."""
    return [derive_seed(seed, purpose, *more, i) % SIM_SEEDS for i in range(n)]
