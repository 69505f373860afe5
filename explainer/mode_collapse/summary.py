"""Summaries of per-seed scores: mean ± standard error over the seeds that did not diverge, and what each seed did.

A seed's outcome, from its final scores (the PacGAN protocol's, explainer.gan.metrics):
    diverged       its training hit NaN/inf (no scores)
    not converged  under NOT_CONVERGED_HQ of its samples are high quality: it has not learned the ring yet, and a
                   low mode count then says nothing about collapse
    collapsed      converged, and covers at most COLLAPSED_MAX_MODES modes
    covers         converged, and covers more
"""
import math
from collections import Counter

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


NOT_CONVERGED_HQ = 0.05
COLLAPSED_MAX_MODES = 4
DIVERGED, NOT_CONVERGED, COLLAPSED, COVERS = "diverged", "not converged", "collapsed", "covers"


def seed_outcome(modes_covered: float, high_quality: float, diverged: bool = False) -> str:
    """One seed's outcome (see the module docstring)."""
    if diverged or not (np.isfinite(modes_covered) and np.isfinite(high_quality)):
        return DIVERGED
    if high_quality < NOT_CONVERGED_HQ:
        return NOT_CONVERGED
    return COLLAPSED if modes_covered <= COLLAPSED_MAX_MODES else COVERS


def seed_outcomes(metrics: pd.DataFrame) -> list[str]:
    """Every seed's outcome, in the metrics' row order."""
    dead = metrics["diverged"] if "diverged" in metrics else [False] * len(metrics)
    return [seed_outcome(float(m), float(q), bool(d))
            for m, q, d in zip(metrics["modes_covered"], metrics["high_quality"], dead, strict=True)]


def outcome_counts(metrics: pd.DataFrame) -> Counter:
    """How many seeds ended each way: {DIVERGED: ..., NOT_CONVERGED: ..., COLLAPSED: ..., COVERS: ...}."""
    return Counter(seed_outcomes(metrics))


def collapsed_seeds(metrics: pd.DataFrame) -> int:
    """How many seeds collapsed: converged and covering at most COLLAPSED_MAX_MODES modes."""
    return outcome_counts(metrics)[COLLAPSED]
