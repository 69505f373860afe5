"""Named configs for the demos. Ring of 8 (PacGAN) unless the name says otherwise.

Sizes of what a preset keeps are modest on purpose (the trained presets ship with the repository):
a few snapshots, 256 points per snapshot and a 32×32 D grid.
"""
from explainer.gan.config import GANConfig

# The textbook GAN on the ring: small MLPs (z=2, G z→64→64→2 ReLU, D 64→64 LeakyReLU(0.2)),
# non-saturating loss, Adam 1e-3 with betas (0.5, 0.999), batch 128, 3k steps. Every config of the
# mode-collapse comparison is this one with one change, 10 seeds each (as PacGAN's 10 trials), sized so that a
# cold comparison of three of them (bench/collapse_demo.py) trains in about a minute on a 2-core CPU: the hidden
# 64×64 layers run near the CPU's matmul peak, so batch × steps is the cost (256 × 4k costs about 3× as much).
VANILLA = GANConfig(
    dataset="ring8", z_dim=2, g_width=64, g_depth=2, d_width=64, d_depth=2, loss="nonsaturating",
    optimizer="adam", lr_g=1e-3, lr_d=1e-3, betas=(0.5, 0.999), batch_size=128, steps=3000,
    seed=0, n_seeds=10, n_snapshots=6, snapshot_samples=256, grid_size=32,
)

# the best recipe found, one for both of PacGAN's data sets: PacGAN2 + an EMA of G's weights (decay 0.999),
# evaluated at the end; batch 256, 20k G steps, G and D 128 wide (64 wide reached only 87.6% high quality on the
# grid: bench/RESULTS.md); "best-grid" is the same recipe on the grid of 25
BEST = VANILLA.replace(pack=2, ema=0.999, batch_size=256, steps=20000, n_seeds=10, g_width=128, d_width=128)

PRESETS: dict[str, GANConfig] = {
    "smoke": VANILLA.replace(steps=200, n_seeds=2, n_snapshots=3, g_width=16, d_width=16, batch_size=64),
    "vanilla": VANILLA,
    # the GAN page's Lab: one seed of vanilla with many snapshots to replay; seed 7 converges cleanly (8/8 modes,
    # 61% high quality; seeds 1, 3, 5 and 0 reached 33%, 28%, 49% and 35%: bench/RESULTS.md), and the page says the
    # seed was chosen; "lab-b" is the Compare view's default second run (the saturating minimax loss, same seed)
    "lab": VANILLA.replace(n_seeds=1, steps=3000, n_snapshots=16, snapshot_samples=512, grid_size=40, seed=7),
    "lab-b": VANILLA.replace(n_seeds=1, steps=3000, n_snapshots=16, snapshot_samples=512, grid_size=40, seed=7,
                             loss="minimax"),
    # one remedy each on the vanilla base, for the mode-collapse comparison table
    "minimax": VANILLA.replace(loss="minimax"),
    "pacgan": VANILLA.replace(pack=2),
    "unrolled": VANILLA.replace(unrolled_steps=5),
    "minibatch-std": VANILLA.replace(minibatch_std=True),
    # WGAN-GP with the optimiser settings of Gulrajani et al. (Adam 1e-4, betas (0, 0.9), 5 critic steps)
    # (it does not converge on the ring in 3k steps: few samples land within 3σ of a mode)
    "wgan-gp": VANILLA.replace(loss="wgan-gp", lr_g=1e-4, lr_d=1e-4, betas=(0.0, 0.9), d_steps=5),
    # a clean collapse: G learns slowly (lr 5e-5) against a fast D (1e-3), with a 16-dim z
    "collapse": VANILLA.replace(z_dim=16, lr_g=5e-5, lr_d=1e-3, n_seeds=10),
    "best": BEST,
    "best-grid": BEST.replace(dataset="grid25"),
    # image GAN on the 8×8 digits: MLPs 256×2, minibatch std (without it, some digits got < 2% of samples),
    # EMA of G; ≈50 s on one CPU core of a busy 2-core machine (all 10 digits ≥ 3% from ~4,800 steps on)
    "digits": GANConfig(
        dataset="digits", arch="mlp", z_dim=16, g_width=256, g_depth=2, d_width=256, d_depth=2,
        loss="nonsaturating", minibatch_std=True, lr_g=2e-4, lr_d=2e-4, betas=(0.5, 0.999), batch_size=64,
        steps=5000, ema=0.999, seed=0, n_seeds=1, n_snapshots=6,
    ),
}
