"""Generators and discriminators for K seeds at once: every weight has a leading seed axis K.

A batched linear layer computes y[k] = x[k] @ W[k] + b[k] for k = 1..K with one torch.baddbmm, and a
batched convolution is a grouped convolution with groups = K. Seeds never mix, so one optimiser over the
stacked tensors trains K independent models, and summing the K losses gives each model its own gradient.
Each seed's weights are drawn from that seed's own generator (explainer.seeding), so seed s starts from the
same weights whether it trains alone or beside others.

Shapes: G maps z (K, N, z_dim) -> samples (K, N, *data_shape); D maps inputs (K, N, *d_in_shape)
-> scores (K, N, 1), where d_in_shape is the data shape with its first axis multiplied by the pack size.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from explainer.gan.remedies import minibatch_std, spectral_sigma
from explainer.seeding import torch_generators

LEAK = 0.2  # D's LeakyReLU slope


def _draw(gen: torch.Generator, shape, init: str, fan_in: int = 1) -> torch.Tensor:
    """One seed's initial weights: "uniform" is nn.Linear's default U(±1/√fan_in); "normal" is N(0, 0.02²)."""
    if init == "uniform":
        return (torch.rand(shape, generator=gen) * 2 - 1) / math.sqrt(fan_in)
    return torch.randn(shape, generator=gen) * 0.02


class SpectralNorm(nn.Module):
    """Holds the power-iteration vector u (K, b) of a weight viewed as K matrices (a, b); returns W/σ(W)."""

    def __init__(self, gens, b: int):
        super().__init__()
        self.register_buffer("u", F.normalize(torch.stack([torch.randn(b, generator=g) for g in gens]), dim=1))

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        k = w.shape[0]
        sigma, u = spectral_sigma(w.reshape(k, w.shape[1], -1), self.u)
        if self.training:  # one power-iteration step per training forward, as torch's spectral_norm does
            self.u.copy_(u)
        return w / sigma.view(k, *([1] * (w.dim() - 1)))


class BatchedLinear(nn.Module):
    """K linear layers: x (K, N, n_in) -> (K, N, n_out). weight (K, n_in, n_out), bias (K, 1, n_out)."""

    def __init__(self, gens, n_in: int, n_out: int, init: str = "uniform", spectral: bool = False):
        super().__init__()
        w, b = [], []
        for g in gens:  # weight then bias from each seed's generator, in that order
            w.append(_draw(g, (n_in, n_out), init, n_in))
            b.append(_draw(g, (1, n_out), init, n_in) if init == "uniform" else torch.zeros(1, n_out))
        self.weight = nn.Parameter(torch.stack(w))
        self.bias = nn.Parameter(torch.stack(b))
        self.sn = SpectralNorm(gens, n_out) if spectral else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.sn(self.weight) if self.sn is not None else self.weight
        return torch.baddbmm(self.bias, x, w)


def to_groups(x: torch.Tensor) -> torch.Tensor:
    """(K, N, C, H, W) -> (N, K·C, H, W), the layout of a grouped convolution with groups = K."""
    k, n, c, h, w = x.shape
    return x.transpose(0, 1).reshape(n, k * c, h, w)


def from_groups(x: torch.Tensor, k: int) -> torch.Tensor:
    """(N, K·C, H, W) -> (K, N, C, H, W)."""
    n, kc, h, w = x.shape
    return x.reshape(n, k, kc // k, h, w).transpose(0, 1)


class BatchedConv2d(nn.Module):
    """K convolutions on grouped layout (N, K·C_in, H, W). weight (K, C_out, C_in, k, k), N(0, 0.02²) init."""

    def __init__(self, gens, c_in: int, c_out: int, kernel=4, stride=2, padding=1, spectral=False):
        super().__init__()
        self.k, self.stride, self.padding = len(gens), stride, padding
        self.weight = nn.Parameter(torch.stack([_draw(g, (c_out, c_in, kernel, kernel), "normal") for g in gens]))
        self.bias = nn.Parameter(torch.zeros(len(gens), c_out))
        self.sn = SpectralNorm(gens, c_in * kernel * kernel) if spectral else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.sn(self.weight) if self.sn is not None else self.weight
        return F.conv2d(x, w.flatten(0, 1), self.bias.flatten(), self.stride, self.padding, groups=self.k)


class BatchedConvTranspose2d(nn.Module):
    """K transposed convolutions on grouped layout. weight (K, C_in, C_out, k, k), N(0, 0.02²) init."""

    def __init__(self, gens, c_in: int, c_out: int, kernel=4, stride=2, padding=1):
        super().__init__()
        self.k, self.stride, self.padding = len(gens), stride, padding
        self.weight = nn.Parameter(torch.stack([_draw(g, (c_in, c_out, kernel, kernel), "normal") for g in gens]))
        self.bias = nn.Parameter(torch.zeros(len(gens), c_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv_transpose2d(x, self.weight.flatten(0, 1), self.bias.flatten(), self.stride, self.padding,
                                  groups=self.k)


class MLP(nn.Module):
    """Batched MLP sizes[0] -> ... -> sizes[-1]; `act` between layers, optional tanh at the end.

    With `mbstd_at` = i, the minibatch-std feature is appended to the input of layer i. `ref` (D only)
    takes that statistic from another batch (used to draw D's surface on a grid, where the batch is a grid).
    """

    def __init__(self, gens, sizes, act: str, tanh_out=False, spectral=False, mbstd_at: int | None = None):
        super().__init__()
        n_in = [s + (1 if i == mbstd_at else 0) for i, s in enumerate(sizes[:-1])]
        pairs = zip(n_in, sizes[1:], strict=True)
        self.layers = nn.ModuleList(BatchedLinear(gens, a, b, spectral=spectral) for a, b in pairs)
        self.act, self.tanh_out, self.mbstd_at = act, tanh_out, mbstd_at

    def forward(self, x: torch.Tensor, ref: torch.Tensor | None = None) -> torch.Tensor:
        h = x.flatten(2)
        r = ref.flatten(2) if ref is not None else None
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            if i == self.mbstd_at:
                s = minibatch_std(r if r is not None else h).to(h.dtype)  # (K, 1)
                h = torch.cat([h, s.unsqueeze(1).expand(-1, h.shape[1], 1)], dim=2)
                if r is not None:
                    r = torch.cat([r, s.unsqueeze(1).expand(-1, r.shape[1], 1)], dim=2)
            h = layer(h)
            r = layer(r) if r is not None else None
            if i < last:
                h = F.relu(h) if self.act == "relu" else F.leaky_relu(h, LEAK)
                if r is not None:
                    r = F.relu(r) if self.act == "relu" else F.leaky_relu(r, LEAK)
        return torch.tanh(h) if self.tanh_out else h


class Generator(nn.Module):
    """MLP generator: z (K, N, z_dim) -> (K, N, *out_shape). Linear output for 2D, tanh for images."""

    def __init__(self, gens, z_dim: int, width: int, depth: int, out_shape: tuple[int, ...]):
        super().__init__()
        self.out_shape = tuple(out_shape)
        self.net = MLP(gens, [z_dim] + [width] * depth + [math.prod(out_shape)], "relu", tanh_out=len(out_shape) > 1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).reshape(*z.shape[:2], *self.out_shape)


class Discriminator(nn.Module):
    """MLP discriminator: x (K, N, *in_shape) -> (K, N, 1), LeakyReLU(0.2).

    Minibatch std, when on, enters the last hidden layer (or the output layer when depth is 1).
    """

    def __init__(self, gens, in_shape, width: int, depth: int, spectral=False, mbstd=False):
        super().__init__()
        sizes = [math.prod(in_shape)] + [width] * depth + [1]
        self.net = MLP(gens, sizes, "lrelu", spectral=spectral, mbstd_at=max(depth - 1, 1) if mbstd else None)

    def forward(self, x: torch.Tensor, ref: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(x, ref)


class DCGenerator(nn.Module):
    """Small DCGAN generator for (C, H, W) images with H, W divisible by 4 (8×8 digits, 28×28 MNIST):

    z -> linear -> (2w, H/4, W/4) -> ReLU -> convT 4×4/2 -> (w, H/2, W/2) -> ReLU -> convT 4×4/2 -> (C, H, W) -> tanh.
    Weights N(0, 0.02²) as in Radford et al. (DCGAN, ICLR 2016); no batch norm, so seeds stay independent.
    """

    def __init__(self, gens, z_dim: int, width: int, out_shape: tuple[int, int, int]):
        super().__init__()
        c, h, w = out_shape
        self.w, self.s = width, (h // 4, w // 4)
        self.fc = BatchedLinear(gens, z_dim, 2 * width * self.s[0] * self.s[1], init="normal")
        self.up1 = BatchedConvTranspose2d(gens, 2 * width, width)
        self.up2 = BatchedConvTranspose2d(gens, width, c)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        k, n = z.shape[:2]
        h = F.relu(self.fc(z)).reshape(k, n, 2 * self.w, *self.s)
        h = F.relu(self.up1(to_groups(h)))
        return from_groups(torch.tanh(self.up2(h)), k)


class DCDiscriminator(nn.Module):
    """Small DCGAN discriminator: conv 4×4/2 (w) -> LeakyReLU -> conv 4×4/2 (2w) -> LeakyReLU -> linear -> 1.

    Minibatch std, when on, is appended as one constant feature map before the second convolution.
    """

    def __init__(self, gens, in_shape: tuple[int, int, int], width: int, spectral=False, mbstd=False):
        super().__init__()
        c, h, w = in_shape
        self.k, self.mbstd = len(gens), mbstd
        self.conv1 = BatchedConv2d(gens, c, width, spectral=spectral)
        self.conv2 = BatchedConv2d(gens, width + (1 if mbstd else 0), 2 * width, spectral=spectral)
        self.fc = BatchedLinear(gens, 2 * width * (h // 4) * (w // 4), 1, init="normal", spectral=spectral)

    def forward(self, x: torch.Tensor, ref: torch.Tensor | None = None) -> torch.Tensor:
        k, n = x.shape[:2]
        h = F.leaky_relu(self.conv1(to_groups(x)), LEAK)
        if self.mbstd:
            hk = from_groups(h, k)  # (K, N, C, h, w)
            s = minibatch_std(hk).to(h.dtype)  # (K, 1)
            feat = s.view(k, 1, 1, 1, 1).expand(k, n, 1, *hk.shape[3:])
            h = to_groups(torch.cat([hk, feat], dim=2))
        h = F.leaky_relu(self.conv2(h), LEAK)
        return self.fc(from_groups(h, k).flatten(2))


def build_models(config, data_shape: tuple[int, ...]) -> tuple[nn.Module, nn.Module]:
    """(G, D) for all of config.seeds. D's input has the pack size folded into its first axis."""
    seeds = config.seeds
    g_gens, d_gens = torch_generators(seeds, "g_init"), torch_generators(seeds, "d_init")
    d_shape = (data_shape[0] * config.pack, *data_shape[1:])
    if config.arch == "dcgan":
        g = DCGenerator(g_gens, config.z_dim, config.g_width, data_shape)
        d = DCDiscriminator(d_gens, d_shape, config.d_width, config.spectral_norm, config.minibatch_std)
    else:
        g = Generator(g_gens, config.z_dim, config.g_width, config.g_depth, data_shape)
        d = Discriminator(d_gens, d_shape, config.d_width, config.d_depth, config.spectral_norm, config.minibatch_std)
    return g, d
