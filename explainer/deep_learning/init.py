"""Reproducible weight initialisation from a private torch.Generator (no global seeding).

`default_init_` draws weights and biases of every nn.Linear and nn.Conv2d from U(−1/√fan_in, 1/√fan_in),
the distribution PyTorch's own default initialisation gives (kaiming_uniform with a = √5, which reduces to
that bound), so models behave as usual but two runs with one seed match exactly, even across threads.
"""
import math

import torch
from torch import nn


@torch.no_grad()
def default_init_(module: nn.Module, generator: torch.Generator) -> nn.Module:
    """Re-initialise every Linear/Conv2d in `module` in place, in registration order; returns `module`."""
    for layer in module.modules():
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            fan_in = layer.weight[0].numel()  # inputs per output unit: in_features, or in_channels·kh·kw
            bound = 1 / math.sqrt(fan_in)
            layer.weight.uniform_(-bound, bound, generator=generator)
            if layer.bias is not None:
                layer.bias.uniform_(-bound, bound, generator=generator)
    return module
