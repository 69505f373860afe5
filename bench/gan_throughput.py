"""GAN training throughput: a textbook PyTorch loop versus the batched engine, and both against the machine's peak.

    python bench/gan_throughput.py [--seconds 6] [--preset vanilla] [--ks 1,8,32]
    python -m explainer bench [same options]

All in one process on one machine, 2D ring of 8, the model sizes of the chosen preset, no remedies except its
packing (the textbook loop has none of the engine's extras, so the engine runs without EMA here too):
  - textbook: one seed, nn.Sequential G and D, separate D(real) and D(fake), D's weight gradients computed
    in G's step too (the usual tutorial loop);
  - engine: explainer.gan.trainer.train with K = 1, 8, 32 seeds batched (steps/s, seed-steps/s = K x steps/s);
  - FLOP/s: the matmul FLOPs of forward + backward per step, counted analytically per algorithm, times the
    measured step rate, as a share of a large fp32 matrix product's FLOP/s measured in the same run.
Each measurement runs for --seconds after a warm-up; the engine's rate comes from its own progress reports, so
model building and the final snapshot are not counted.
"""
import argparse
import os
import sys
import threading
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explainer.data import ring8  # noqa: E402
from explainer.gan.config import GANConfig  # noqa: E402
from explainer.runs.jobs import execute  # noqa: E402


def bench_config(preset: str) -> GANConfig:
    try:
        from explainer.gan.presets import PRESETS

        base = PRESETS[preset]
    except (ImportError, KeyError):
        base = GANConfig()
    return GANConfig(dataset="ring8", loss="nonsaturating", z_dim=base.z_dim, g_width=base.g_width,
                     g_depth=base.g_depth, d_width=base.d_width, d_depth=base.d_depth, pack=base.pack,
                     batch_size=base.batch_size, lr_g=base.lr_g, lr_d=base.lr_d, betas=base.betas, device="cpu")


# ---- analytic FLOPs -----------------------------------------------------------------------------------------


def layer_sizes(c: GANConfig) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    g = [c.z_dim] + [c.g_width] * c.g_depth + [2]
    d = [2 * c.pack] + [c.d_width] * c.d_depth + [1]
    return list(zip(g[:-1], g[1:], strict=True)), list(zip(d[:-1], d[1:], strict=True))


def mm(n: int, layers, fwd=True, w_grad=False, x_grad=False, first_x_grad=False) -> float:
    """Matmul FLOPs of a stack of linear layers on n rows: 2·n·in·out per product."""
    total = 0.0
    for i, (a, b) in enumerate(layers):
        per = 2.0 * n * a * b
        total += per * (fwd + w_grad + (x_grad and (i > 0 or first_x_grad)))
    return total


def flops_per_step(c: GANConfig, algorithm: str) -> float:
    """Matmul FLOPs of one GAN step (one D update, one G update) for one seed."""
    g, d = layer_sizes(c)
    n, b = c.batch_size * c.pack, c.batch_size  # G makes n samples; D sees b packs per side
    d_update = mm(n, g) + mm(2 * b, d, w_grad=True, x_grad=True)  # G(z) without grad; D on real+fake, backward
    if algorithm == "engine":  # G's update skips D's weight gradients (D frozen)
        g_update = mm(n, g, w_grad=True, x_grad=True) + mm(b, d, x_grad=True, first_x_grad=True)
    else:  # textbook: D's weight gradients are computed (then zeroed) in G's update too
        g_update = mm(n, g, w_grad=True, x_grad=True) + mm(b, d, w_grad=True, x_grad=True, first_x_grad=True)
    return d_update + g_update


def peak_flops(n: int = 2048, seconds: float = 2.0) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        a @ b
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        a @ b
        reps += 1
    return 2.0 * n**3 * reps / (time.perf_counter() - t0)


# ---- the textbook loop ------------------------------------------------------------------------------------


def mlp(sizes, act) -> nn.Sequential:
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(act())
    return nn.Sequential(*layers)


def textbook_steps_per_s(c: GANConfig, seconds: float, warmup_s: float = 1.0) -> float:
    torch.manual_seed(0)
    G = mlp([c.z_dim] + [c.g_width] * c.g_depth + [2], nn.ReLU)
    D = mlp([2 * c.pack] + [c.d_width] * c.d_depth + [1], lambda: nn.LeakyReLU(0.2))
    opt_g = torch.optim.Adam(G.parameters(), lr=c.lr_g, betas=c.betas)
    opt_d = torch.optim.Adam(D.parameters(), lr=c.lr_d, betas=c.betas)
    bce = nn.BCEWithLogitsLoss()
    data, gen = ring8(), torch.Generator().manual_seed(0)
    n, b = c.batch_size * c.pack, c.batch_size
    ones, zeros = torch.ones(b, 1), torch.zeros(b, 1)

    def step():
        real = data.sample(n, gen).reshape(b, -1)
        fake = G(torch.randn(n, c.z_dim)).detach().reshape(b, -1)
        loss_d = bce(D(real), ones) + bce(D(fake), zeros)
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        fake = G(torch.randn(n, c.z_dim)).reshape(b, -1)
        loss_g = bce(D(fake), ones)  # non-saturating: G maximises log D(G(z))
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()

    t_end_warm = time.perf_counter() + warmup_s
    while time.perf_counter() < t_end_warm:
        step()
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        steps += 1
    return steps / (time.perf_counter() - t0)


# ---- the engine -------------------------------------------------------------------------------------------


def engine_steps_per_s(c: GANConfig, k: int, seconds: float, warmup_s: float = 1.0) -> float:
    """Batched step rate of the real trainer, from its progress reports between warm-up and a timed stop."""
    reports, stop = [], threading.Event()

    def progress(p):
        if p.snapshot is None:
            reports.append((p.step, time.perf_counter()))
        if reports and time.perf_counter() - reports[0][1] > warmup_s + seconds:
            stop.set()

    execute(c.replace(n_seeds=k, steps=1_000_000, n_snapshots=1), progress, stop, threads=torch.get_num_threads())
    t_start = reports[0][1] + warmup_s
    timed = [r for r in reports if r[1] >= t_start]
    if len(timed) < 2:
        return float("nan")
    (s0, t0), (s1, t1) = timed[0], timed[-1]
    return (s1 - s0) / (t1 - t0)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=6.0, help="timed seconds per measurement")
    ap.add_argument("--preset", default="vanilla", help="take model sizes from this preset")
    ap.add_argument("--ks", default="1,8,32", help="seed counts for the engine")
    ap.add_argument("--threads", type=int, default=max(1, (os.cpu_count() or 1) // 2),
                    help="torch intra-op threads (default: as the job registry gives each of its 2 jobs)")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    c = bench_config(args.preset)
    ks = [int(k) for k in args.ks.split(",")]

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; ring8, z={c.z_dim}, "
          f"G {c.g_width}x{c.g_depth}, D {c.d_width}x{c.d_depth}, batch {c.batch_size}, pack {c.pack}, "
          f"{args.seconds:g} s per measurement")
    cores = os.cpu_count() or 1
    if cores != args.threads:  # for context: the whole machine's matmul rate
        torch.set_num_threads(cores)
        print(f"large matmul (2048^2 fp32), {cores} threads: {peak_flops() / 1e9:8.1f} GFLOP/s")
        torch.set_num_threads(args.threads)
    peak_before = peak_flops()
    rows = []
    rate = textbook_steps_per_s(c, args.seconds)
    rows.append(("textbook loop, 1 seed", 1, rate, flops_per_step(c, "textbook")))
    for k in ks:
        rate = engine_steps_per_s(c, k, args.seconds)
        rows.append((f"engine, K={k}", k, rate, flops_per_step(c, "engine")))
    # measured before and after: on a shared machine the larger is the nearer to what the cores can do
    peak_after = peak_flops()
    peak = max(peak_before, peak_after)
    print(f"large matmul (2048^2 fp32), {args.threads} thread(s): {peak_before / 1e9:.1f} GFLOP/s before, "
          f"{peak_after / 1e9:.1f} after; 'of peak' uses {peak / 1e9:.1f}")
    base = rows[0][2]
    print(f"{'':<24}{'steps/s':>10}{'seed-steps/s':>14}{'vs textbook':>13}{'GFLOP/s':>10}{'of peak':>9}")
    for name, k, rate, f in rows:
        achieved = rate * k * f
        print(f"{name:<24}{rate:>10.1f}{rate * k:>14.1f}{rate * k / base:>12.2f}x{achieved / 1e9:>10.2f}"
              f"{achieved / peak:>9.1%}")
    print(f"(FLOPs per seed-step: textbook {flops_per_step(c, 'textbook') / 1e6:.1f} M, "
          f"engine {flops_per_step(c, 'engine') / 1e6:.1f} M; matmuls only)")


if __name__ == "__main__":
    main()
