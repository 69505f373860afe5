"""Published mode-collapse results to set beside ours: Table 1 of PacGAN (Lin et al., NeurIPS 2018).

The protocol below was read from the authors' released code (github.com/fjxmlzn/PacGAN,
synthetic_data_experiments). The table's numbers are not here: the table is an image in the authors'
repository, and no text copy of it could be read from this project's machines, so no number could be
checked (docs/pacgan-table1-notes.md). Numbers that are not checked against the paper are not shown.
To add them, copy them from the paper (arXiv:1712.04086, Table 1) into RING_GRID and set VERIFIED.
"""
import pandas as pd

CITATION = ("Z. Lin, A. Khetan, G. Fanti, S. Oh, \"PacGAN: The power of two samples in generative adversarial "
            "networks\", NeurIPS 2018 (arXiv:1712.04086), Table 1")
VERIFIED = False  # True once RING_GRID is copied from the paper and checked

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

# method -> (ring modes, ring high-quality %, ring reverse KL, grid modes, grid high-quality %, grid reverse KL),
# as printed in Table 1 (mean ± error over 10 trials). Empty until someone checks them against the paper.
RING_GRID: dict[str, tuple[str, str, str, str, str, str]] = {}


def table() -> pd.DataFrame | None:
    """Table 1's rows, or None while no checked numbers are available."""
    if not (VERIFIED and RING_GRID):
        return None
    cols = ["ring: modes (of 8)", "ring: high quality %", "ring: reverse KL",
            "grid: modes (of 25)", "grid: high quality %", "grid: reverse KL"]
    return pd.DataFrame.from_dict(RING_GRID, orient="index", columns=cols).rename_axis("method (published)")
