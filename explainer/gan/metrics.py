"""Mode-collapse metrics for 2D Gaussian mixtures, following the PacGAN / VEEGAN protocol.

For n generated samples x_i (2,500 in the protocol), mixture means μ_1..μ_M and component std σ:
    nearest mode      k_i = argmin_k ‖x_i − μ_k‖₂
    high quality      ‖x_i − μ_{k_i}‖₂ < 3σ
    counts            c_k = #{i : x_i high quality and k_i = k}
    modes covered     #{k : c_k ≥ 1}
    high quality      Σ_k c_k / n   (a fraction in [0, 1]; the papers print it as a percentage)
    reverse KL        KL(p ‖ u) = Σ_k p_k ln(p_k / (1/M)) = ln M + Σ_k p_k ln p_k,   p_k = c_k / Σ_j c_j
                      (natural log; an empty bin contributes 0, the convention 0 ln 0 = 0 of the PacGAN
                      code's KL helper, so the value is finite: 0 for a uniform spread, ln M for one mode;
                      NaN when no sample is high quality, since p is then undefined)
A non-finite sample counts as low quality. A true ring-8 sample lies within 3σ of its mean with probability
1 − exp(−9/2) ≈ 0.9889 (the radius of a 2D Gaussian is Rayleigh distributed).
"""
import numpy as np
import pandas as pd

N_EVAL = 2500  # samples per seed, as in the protocol
HQ_SIGMAS = 3.0


def mode_counts(samples: np.ndarray, modes: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """(counts c_k (M,), high-quality mask (n,)) for samples (n, 2)."""
    x = np.asarray(samples, dtype=np.float64)
    dist = np.linalg.norm(x[:, None, :] - np.asarray(modes, dtype=np.float64)[None], axis=2)  # (n, M)
    nearest = np.argmin(np.nan_to_num(dist, nan=np.inf), axis=1)
    hq = np.take_along_axis(dist, nearest[:, None], axis=1)[:, 0] < HQ_SIGMAS * sigma  # NaN compares False
    return np.bincount(nearest[hq], minlength=len(modes)), hq


def reverse_kl(counts: np.ndarray) -> float:
    """KL(p ‖ uniform) in nats for the high-quality mode histogram `counts`; NaN if it is empty."""
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    if total == 0:
        return float("nan")
    p = counts[counts > 0] / total
    return float(np.log(len(counts)) + np.sum(p * np.log(p)))


def mixture_score(samples: np.ndarray, modes: np.ndarray, sigma: float) -> dict:
    """{"modes_covered", "high_quality" (fraction), "reverse_kl"} for one seed's samples (n, 2)."""
    counts, hq = mode_counts(samples, modes, sigma)
    return {
        "modes_covered": int((counts > 0).sum()),
        "high_quality": float(hq.mean()) if len(hq) else float("nan"),
        "reverse_kl": reverse_kl(counts),
    }


def mixture_scores(samples: np.ndarray, modes: np.ndarray, sigma: float) -> pd.DataFrame:
    """One row per seed for samples (K, n, 2): columns modes_covered, high_quality, reverse_kl."""
    return pd.DataFrame([mixture_score(s, modes, sigma) for s in samples])
