"""Per-seed random number streams: each seed of a run gets its own generators, one per purpose.

Seed s draws the same numbers whether it trains alone or beside other seeds, so its results do not
depend on how many seeds share the batch.
"""
import numpy as np
import torch

PURPOSES = {"g_init": 1, "d_init": 2, "data": 3, "eval": 4}


def derive_seed(seed: int, purpose: str) -> int:
    """A well-mixed 63-bit seed for (seed, purpose), stable across platforms and versions."""
    state = np.random.SeedSequence([int(seed), PURPOSES[purpose]]).generate_state(2, dtype=np.uint32)
    return (int(state[0]) << 31) ^ int(state[1])


def generators(seeds, purpose: str) -> list[torch.Generator]:
    """One CPU torch.Generator per seed, seeded for `purpose`."""
    return [torch.Generator().manual_seed(derive_seed(s, purpose)) for s in seeds]
