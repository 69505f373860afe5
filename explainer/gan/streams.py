"""The GAN trainer's random inputs: every seed's real data, latents and noise, drawn from its own generators."""
import numpy as np
import torch

from explainer.seeding import torch_generators

CHUNK_ELEMS = 1 << 20  # random numbers drawn per seed at a time (amortises the per-seed generator calls)
PER_D_STEP = {"x", "zd", "nr", "nf", "eps"}  # stream entries with one slice per D update


class Streams:
    """Per-seed random training inputs, drawn CHUNK steps at a time on the CPU and moved to the device.

    next() returns, for one G step (K seeds, N = batch_size · pack samples, B = batch_size packs):
        x (d_steps, K, N, *shape) real data; zd (d_steps, K, N, z) and zg (K, N, z) latents for the D and
        G updates; with instance noise nr, nf (d_steps, K, N, *shape) and ng (K, N, *shape) standard normal;
        with WGAN-GP eps (d_steps, K, B, 1, ...) uniform interpolation weights.
    The chunk size depends only on the config, so seed s sees the same numbers whatever K is.
    """

    def __init__(self, config, dataset, device):
        c = config
        self.dataset, self.device = dataset, device
        self.gens = torch_generators(c.seeds, "data")
        n, b, dsteps, shape = c.batch_size * c.pack, c.batch_size, c.d_steps, tuple(dataset.shape)
        self.spec = {"x": ("data", (dsteps, n)), "zd": ("normal", (dsteps, n, c.z_dim)), "zg": ("normal", (n, c.z_dim))}
        if c.instance_noise > 0:
            self.spec.update(nr=("normal", (dsteps, n, *shape)), nf=("normal", (dsteps, n, *shape)),
                             ng=("normal", (n, *shape)))
        if c.loss == "wgan-gp":
            self.spec["eps"] = ("uniform", (dsteps, b) + (1,) * len(shape))
        sample_size = int(np.prod(shape))
        per_step = sum(int(np.prod(s)) * (sample_size if kind == "data" else 1) for kind, s in self.spec.values())
        self.chunk = int(max(1, min(64, CHUNK_ELEMS // per_step)))
        self.i, self.buf = self.chunk, {}

    def _draw(self, kind: str, size: tuple, gen: torch.Generator) -> torch.Tensor:
        size = (self.chunk, *size)
        if kind == "data":
            flat = self.dataset.sample(int(np.prod(size)), gen)
            return flat.reshape(*size, *flat.shape[1:])
        return torch.randn(size, generator=gen) if kind == "normal" else torch.rand(size, generator=gen)

    def next(self) -> dict:
        if self.i == self.chunk:
            per_seed = [{name: self._draw(kind, size, g) for name, (kind, size) in self.spec.items()}
                        for g in self.gens]
            self.buf = {}
            for name in self.spec:
                t = torch.stack([s[name] for s in per_seed], dim=1)  # (chunk, K, ...)
                if name in PER_D_STEP:  # (chunk, K, d_steps, ...) -> (chunk, d_steps, K, ...)
                    t = t.transpose(1, 2)
                self.buf[name] = t.contiguous().to(self.device, non_blocking=True)
            self.i = 0
        out = {name: t[self.i] for name, t in self.buf.items()}
        self.i += 1
        return out
