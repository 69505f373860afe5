"""Print PacGAN's Table 1 beside our rows and the generated better/worse sentences (what the Mode collapse
page shows), from the shipped runs: trains nothing.

    python bench/pacgan_table.py
Our ring rows are the shipped "vanilla", "pacgan" and "best" runs (mean ± s.e. over their seeds); our grid
row is the offline bench figure stored in explainer/mode_collapse/published.py (OFFLINE_GRID).
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
    for name in published.OURS:
        key = PRESETS[name].key()
        result = store.load(key) if store.has(key) else None
        ours[name] = (None, None) if result is None else (len(result.metrics), summarize(result.metrics))
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 80):
        for part in ("ring", "grid"):
            print(f"{part}:\n{published.table(part, ours).to_string(index=False)}\n")
    for sentence in published.comparisons({n: published.our_cells(n, ring) for n, (_, ring) in ours.items()}):
        print("-", sentence)


if __name__ == "__main__":
    main()
