"""What a snapshot holds: pictures of the K seeds' G and D at one step, as numpy arrays (seed axis first).

2D data (n = config.snapshot_samples, g = config.grid_size, m = Z_GRID, a = N_ARROWS rounded up to a
multiple of the pack size):
    samples      (K, n, 2)     G's samples from a fixed z (the raw G being trained)
    samples_ema  (K, n, 2)     the same z through the EMA of G (only when config.ema > 0)
    d_grid       (K, g, g)     D on a grid over the data's view box: d_grid[k, i, j] is D at
                               (x_j, y_i) with x = linspace(xmin, xmax, g), y = linspace(ymin, ymax, g),
                               so row i is a y value (image layout with the origin at the bottom-left).
                               BCE losses: probability "real" σ(f); other losses: the raw score f.
                               With packing, D judges a pack of m copies of the grid point; with
                               minibatch std, the statistic comes from G's current samples.
    g_grid       (K, m, m, 2)  G's image of a z grid (the warped manifold): g_grid[k, i, j] = G(z) with
                               z_0 = u_j, z_1 = u_i, u = linspace(−Z_EXTENT, Z_EXTENT, m), other z dims 0
                               (for z_dim = 1 only z_0 varies, so rows repeat)
    arrows_xy    (K, a, 2)     some generated points ...
    arrows_uv    (K, a, 2)     ... and −∂L_G/∂x at each: where G's loss pushes that point (per point, not
                               divided by the batch size)
Images (H×W, single channel):
    images       (K, 16, H, W) G's samples from a fixed z, in [0, 1]
    images_ema   (K, 16, H, W) the same from the EMA of G (only when config.ema > 0)
Both: "diverged" (K,) bool, and the quality scores of the evaluated G (the EMA when on) on N_EVAL samples:
modes_covered, high_quality, reverse_kl (mixtures) or classes_covered, min_class_share, confident_share
(digits), each (K,), NaN for a diverged seed.
"""
import numpy as np
import torch

from explainer.gan import losses
from explainer.gan.remedies import pack

Z_GRID = 24
Z_EXTENT = 2.0
N_ARROWS = 100
N_IMAGES = 16
BCE = ("minimax", "nonsaturating")


def grid_points(view, g: int) -> torch.Tensor:
    """(g·g, 2) points of the view box, row-major over y then x (see d_grid)."""
    xmin, xmax, ymin, ymax = view
    ys, xs = torch.meshgrid(torch.linspace(ymin, ymax, g), torch.linspace(xmin, xmax, g), indexing="ij")
    return torch.stack([xs.flatten(), ys.flatten()], dim=1)


def z_grid(z_dim: int, m: int = Z_GRID) -> torch.Tensor:
    """(m·m, z_dim): the first two z dims on a grid over ±Z_EXTENT (see g_grid), the others 0."""
    u = torch.linspace(-Z_EXTENT, Z_EXTENT, m)
    z = torch.zeros(m, m, z_dim)
    z[:, :, 0] = u[None, :]
    if z_dim > 1:
        z[:, :, 1] = u[:, None]
    return z.reshape(m * m, z_dim)


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().float().cpu().numpy()


def snapshot_2d(config, g, d, g_ema, fixed: dict, view) -> dict:
    """The 2D arrays above. `fixed` holds this run's fixed inputs: z_snap (K, n, z), z_arrows (K, a, z)."""
    k, m = config.n_seeds, config.pack
    dev = fixed["z_snap"].device
    with torch.no_grad():
        samples = g(fixed["z_snap"])
        ref = pack(samples[:, : len(samples[0]) // m * m], m) if config.minibatch_std else None
        pts = grid_points(view, config.grid_size).to(dev).expand(k, -1, -1)
        surface = d(pts.repeat(1, 1, m), ref).reshape(k, config.grid_size, config.grid_size)
        if config.loss in BCE:
            surface = torch.sigmoid(surface)
        zg = z_grid(config.z_dim).to(dev).expand(k, -1, -1)
        manifold = g(zg).reshape(k, Z_GRID, Z_GRID, 2)
    with torch.enable_grad():
        x = g(fixed["z_arrows"]).detach().requires_grad_(True)
        packed = pack(x, m)
        lg = losses.g_loss(config.loss, d(packed, ref)) * packed.shape[1]  # undo the mean: gradient per point
        (grad,) = torch.autograd.grad(lg.sum(), x)
    out = {"samples": _np(samples), "d_grid": _np(surface), "g_grid": _np(manifold),
           "arrows_xy": _np(x), "arrows_uv": _np(-grad)}
    if g_ema is not None:
        with torch.no_grad():
            out["samples_ema"] = _np(g_ema(fixed["z_snap"]))
    return out


def snapshot_images(g, g_ema, fixed: dict) -> dict:
    """The image arrays above, from fixed["z_images"] (K, 16, z)."""
    def grid(model):
        with torch.no_grad():
            x = model(fixed["z_images"])  # (K, 16, C, H, W) in [-1, 1]
        return _np(((x[:, :, 0] + 1) / 2).clamp(0, 1))

    out = {"images": grid(g)}
    if g_ema is not None:
        out["images_ema"] = grid(g_ema)
    return out
