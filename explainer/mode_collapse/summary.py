"""Summaries of per-seed scores: mean ± standard error over the seeds that did not diverge."""
import math

import numpy as np
import pandas as pd

MIXTURE_COLUMNS = ("modes_covered", "high_quality", "reverse_kl")


def mean_se(values) -> tuple[float, float]:
    """Mean and standard error (sample std / √n) of the finite values; (nan, nan) when there are none."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return math.nan, math.nan
    se = float(v.std(ddof=1) / math.sqrt(len(v))) if len(v) > 1 else 0.0
    return float(v.mean()), se


def summarize(metrics: pd.DataFrame, columns=MIXTURE_COLUMNS) -> dict[str, tuple[float, float]]:
    """{column: (mean, standard error)} over seeds; diverged seeds (NaN scores) are left out."""
    return {c: mean_se(metrics[c]) for c in columns if c in metrics}


def collapsed_seeds(metrics: pd.DataFrame, max_modes: int = 4) -> int:
    """How many seeds cover at most `max_modes` modes (diverged seeds count as collapsed: they cover none)."""
    return int((metrics["modes_covered"].fillna(0) <= max_modes).sum())
