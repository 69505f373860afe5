"""Print PacGAN's Table 1 beside our rows and the generated better/worse sentences (what the Mode collapse
page shows), from the shipped runs: trains nothing.

    python bench/pacgan_table.py
Our rows are the shipped runs that published.OURS names (mean ± s.e. over their seeds): "vanilla", "pacgan" and
"best" on the ring, "best-grid" (the same recipe as "best") on the grid.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from explainer.mode_collapse import published  # noqa: E402
from explainer.runs.store import default_store  # noqa: E402


def main() -> None:
    store = default_store()
    ours = published.our_rows(lambda config: store.load(config.key()) if store.has(config.key()) else None)
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 80):
        for part in ("ring", "grid"):
            print(f"{part}:\n{published.table(part, ours).to_string(index=False)}\n")
    for sentence in published.comparisons(published.cells_of(ours)):
        print("-", sentence)


if __name__ == "__main__":
    main()
