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

from explainer.gan.presets import PRESETS  # noqa: E402
from explainer.mode_collapse import published  # noqa: E402
from explainer.mode_collapse.summary import summarize  # noqa: E402
from explainer.runs.store import default_store  # noqa: E402


def main() -> None:
    store = default_store()
    ours = {}
    for name, row in published.OURS.items():
        ours[name] = {}
        for part, preset in row.runs.items():
            key = PRESETS[preset].key()
            result = store.load(key) if store.has(key) else None
            ours[name][part] = None if result is None else (len(result.metrics), summarize(result.metrics))
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 80):
        for part in ("ring", "grid"):
            print(f"{part}:\n{published.table(part, ours).to_string(index=False)}\n")
    cells = {n: published.our_cells({part: run and run[1] for part, run in parts.items()}) for n, parts in ours.items()}
    for sentence in published.comparisons(cells):
        print("-", sentence)


if __name__ == "__main__":
    main()
