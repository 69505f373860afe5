"""Published mode-collapse results to show beside ours: Table 1 of PacGAN (Lin et al., NeurIPS 2018).

The protocol below was read from the authors' released code (github.com/fjxmlzn/PacGAN,
synthetic_data_experiments). The numbers were transcribed by hand from the paper's Table 1; the table is an
image in the authors' repository and could not be re-checked against a text copy here, so the page shows them
with that caveat. Rows: mean ± error over 10 trials; high quality in percent.
"""
import pandas as pd

CITATION = ("Z. Lin, A. Khetan, G. Fanti, S. Oh, \"PacGAN: The power of two samples in generative adversarial "
            "networks\", NeurIPS 2018 (arXiv:1712.04086), Table 1")
VERIFIED = False  # transcribed, not re-checked against a text copy of the paper

PROTOCOL = {
    "data": "ring of 8 (σ = 0.01) and grid of 25 (σ = 0.05), 100,000 training points drawn once",
    "generator": "z (2-d normal) → 4 × 400 ReLU with batch norm → 2",
    "discriminator": "3 maxout layers (200 units, 5 pieces) on m packed samples",
    "optimiser": "Adam, learning rate 1e-4, β1 = 0.8, batch of 100 packs",
    "length": "400,000 iterations (one D and one G update each)",
    "trials": "10 per method",
    "evaluation": "2,500 samples; high quality = within 3σ of the nearest mode; a mode is covered when it has "
                  "at least one high-quality sample",
}

# method -> (ring modes, ring high-quality %, ring reverse KL, grid modes, grid high-quality %, grid reverse KL)
RING_GRID = {
    "GAN": ("6.3 ± 0.5", "98.2 ± 0.2", "0.45 ± 0.09", "17.3 ± 0.8", "94.8 ± 0.7", "0.70 ± 0.07"),
    "PacGAN2": ("7.9 ± 0.1", "95.6 ± 2.0", "0.07 ± 0.03", "23.8 ± 0.7", "91.3 ± 0.8", "0.13 ± 0.04"),
    "PacGAN3": ("7.8 ± 0.1", "97.7 ± 0.3", "0.10 ± 0.02", "24.6 ± 0.4", "94.2 ± 0.4", "0.06 ± 0.02"),
    "PacGAN4": ("7.8 ± 0.1", "95.9 ± 0.8", "0.07 ± 0.02", "24.8 ± 0.2", "93.6 ± 0.6", "0.04 ± 0.01"),
}


def table() -> pd.DataFrame:
    cols = ["ring: modes (of 8)", "ring: high quality %", "ring: reverse KL",
            "grid: modes (of 25)", "grid: high quality %", "grid: reverse KL"]
    return pd.DataFrame.from_dict(RING_GRID, orient="index", columns=cols).rename_axis("method (published)")
