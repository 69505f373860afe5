"""Views for the mode-collapse page: seeds as small multiples, per-seed scores, and the remedy comparison."""
import dataclasses

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from explainer.data import get_dataset
from explainer.gan.config import GANConfig
from explainer.gan.presets import PRESETS
from explainer.mode_collapse import published
from explainer.mode_collapse.summary import (
    COLLAPSED,
    COLLAPSED_MAX_MODES,
    COVERS,
    DIVERGED,
    NOT_CONVERGED,
    NOT_CONVERGED_HQ,
    outcome_counts,
    seed_outcome,
    summarize,
)
from explainer.runs.result import derived
from explainer.ui import charts, jobs, presenter
from explainer.ui.gan import plots
from explainer.ui.gan import views as gan_views
from explainer.ui.mode_collapse.params import COMPARED

LABELS = {"collapse": "Collapsing", "vanilla": "Vanilla", "minimax": "Minimax loss", "pacgan": "PacGAN2",
          "unrolled": "Unrolled D", "minibatch-std": "Minibatch std", "wgan-gp": "WGAN-GP", "best": "Best"}
DESCRIPTIONS = {
    "collapse": "A slow generator (learning rate 5e-5) against a fast discriminator (1e-3), with a 16-d z: "
                "the setting found to collapse (what this run did is measured below).",
    "vanilla": "The textbook GAN: non-saturating loss, Adam 1e-3 for both networks, small MLPs. Each remedy "
               "compared below is this configuration with one change.",
    "minimax": "Vanilla with the original, saturating minimax generator loss.",
    "pacgan": "Vanilla with PacGAN2: D judges two samples at once, so a generator that repeats itself is easy "
              "to catch.",
    "unrolled": "Vanilla with an unrolled discriminator: G's update looks 5 D steps ahead.",
    "minibatch-std": "Vanilla with the minibatch standard-deviation feature: D sees how varied a batch is.",
    "wgan-gp": "The Wasserstein loss with a gradient penalty and the optimiser of its paper (Adam 1e-4, "
               "β = (0, 0.9), 5 critic steps per G step), for as many G steps as the others.",
    "best": f"PacGAN2 plus an exponential moving average of G's weights (decay {PRESETS['best'].ema:g}), G and D "
            f"{PRESETS['best'].g_width} wide, batch {PRESETS['best'].batch_size}, {PRESETS['best'].steps:,} G steps.",
}
REMEDY_NOTES = """
- **PacGAN** (Lin et al., 2018): D sees *m* samples concatenated ("packed"); a generator that produces the same
  few points makes packs that look unlike real ones, so collapse is penalised.
- **Unrolled D** (Metz et al., 2017): G's loss is computed against the discriminator as it would be after *k*
  more of its own updates, so G cannot exploit the current D's blind spot.
- **Minibatch standard deviation** (Karras et al., 2018): D gets the spread of features across the batch as
  an extra input, a simplified form of the minibatch discrimination of Salimans et al. (2016).
- **WGAN-GP** (Gulrajani et al., 2017): a critic that estimates the Wasserstein distance, which needs it to be
  1-Lipschitz. That is not enforced: a soft penalty, λ(‖∇D(x̂)‖ − 1)², pulls the critic's gradient norm towards 1
  at random interpolates x̂ between real and generated points. Its gradients do not vanish when the
  distributions do not overlap.
- **EMA of G** (in "best"): evaluating an average of G's recent weights smooths out the oscillation of
  adversarial training.
"""


def snapshot_samples(snapshot) -> np.ndarray:
    """Every seed's generated points (K, n, 2) in a snapshot: the EMA generator's when the run keeps one."""
    arrays = snapshot.arrays
    return arrays["samples_ema"] if "samples_ema" in arrays else arrays["samples"]


def final_samples(result) -> np.ndarray:
    return snapshot_samples(result.snapshots[-1])


def seed_pictures(config, samples: np.ndarray, view) -> list[bytes]:
    """One small PNG per seed: its points over the real data (128 real points already mark every mode)."""
    real = gan_views.real_points(config.dataset, config.points)[:128]
    return [plots.scatter_png(real, seed_samples, view) for seed_samples in samples]


def seed_titles(seeds, arrays: dict) -> list[str]:
    """"seed s" over its score, from per-seed arrays (a snapshot's or the final metrics' columns)."""
    k = len(seeds)
    modes = np.nan_to_num(np.asarray(arrays.get("modes_covered", np.full(k, np.nan)), dtype=float))
    hq = np.nan_to_num(np.asarray(arrays.get("high_quality", np.full(k, np.nan)), dtype=float))
    dead = np.asarray(arrays.get("diverged", np.zeros(k)), dtype=bool)

    def title(seed, d, mc, q) -> str:
        if d:
            return f"**seed {int(seed)}**  \ndiverged"
        note = ", not converged" if seed_outcome(mc, q) == NOT_CONVERGED else ""
        return f"**seed {int(seed)}**  \n{mc:.0f}/8 modes, {100 * q:.0f}% HQ{note}"

    return [title(*row) for row in zip(seeds, dead, modes, hq, strict=True)]


def seed_grid(pictures: list[bytes], titles: list[str], cols: int = 5) -> None:
    cols = presenter.per_row(len(pictures), cols)
    for start in range(0, len(pictures), cols):
        for col, picture, title in zip(st.columns(cols), pictures[start:start + cols], titles[start:start + cols],
                                       strict=False):
            with col:
                st.markdown(title)
                st.image(picture, width="stretch")


RULE = (f"a seed collapsed when it covers at most {COLLAPSED_MAX_MODES} of the 8 modes with at least "
        f"{NOT_CONVERGED_HQ:.0%} of its samples high quality; under {NOT_CONVERGED_HQ:.0%} it has not converged, and "
        "its mode count says nothing about collapse")


def outcome(metrics: pd.DataFrame, steps: int) -> str:
    """What a run did, counted seed by seed (explainer.mode_collapse.summary.seed_outcome): how many collapsed,
    how many did not converge, how many diverged, how many cover more; in words chosen from those counts."""
    n, counts = len(metrics), outcome_counts(metrics)
    modes = summarize(metrics)["modes_covered"][0]
    if counts[NOT_CONVERGED] + counts[DIVERGED] == n:
        hq = summarize(metrics)["high_quality"][0]
        return (f"**Measured: not converged.** After {steps:,} G steps no seed has {NOT_CONVERGED_HQ:.0%} of its "
                f"samples high quality (mean {0 if np.isnan(hq) else hq:.1%}), so the modes they cover say it has "
                "not learned the ring yet, not that it collapsed.")
    if counts[COLLAPSED] == n:
        return (f"**Measured: collapsed.** Every one of the {n} seeds covers at most {COLLAPSED_MAX_MODES} of the 8 "
                f"modes (mean {modes:.1f}), each with at least {NOT_CONVERGED_HQ:.0%} of its samples high quality.")
    parts = [f"{counts[COLLAPSED]} collapsed (at most {COLLAPSED_MAX_MODES} of the 8 modes)" if counts[COLLAPSED]
             else "none collapsed",
             f"{counts[COVERS]} cover more than {COLLAPSED_MAX_MODES}" if counts[COVERS] else "",
             f"{counts[NOT_CONVERGED]} did not converge (under {NOT_CONVERGED_HQ:.0%} high-quality samples: their "
             "low mode counts are not collapse)" if counts[NOT_CONVERGED] else "",
             f"{counts[DIVERGED]} diverged" if counts[DIVERGED] else ""]
    return f"**Measured:** of the {n} seeds, " + "; ".join(p for p in parts if p) + "."


def seeds_view(result) -> None:
    """Small multiples of every seed's final samples, titled by its score, and the per-seed table."""
    c = GANConfig.of(result)
    gan_views.seed_note(result)
    m = result.metrics
    st.markdown(outcome(m, c.steps))
    pictures = derived(result, "multiples",
                                 lambda: seed_pictures(c, final_samples(result), gan_views.scene_view(result)))
    seed_grid(pictures, seed_titles(m["seed"], {name: m[name] for name in m.columns}))
    st.caption("Green: the real ring of 8; purple: each seed's generated samples at the end of training.")
    s = summarize(m)
    cols = st.columns(4)
    cols[0].metric("Modes covered (mean ± s.e.)", _pm(s["modes_covered"], "{:.1f}"))
    cols[1].metric("High quality", _pm(s["high_quality"], "{:.1%}"))
    cols[2].metric("Reverse KL", _pm(s["reverse_kl"], "{:.3f}"))
    counts = outcome_counts(m)
    cols[3].metric("Seeds collapsed", f"{counts[COLLAPSED]} of {len(m)}",
                   help=f"{RULE[0].upper()}{RULE[1:]}. Not converged here: {counts[NOT_CONVERGED]} of {len(m)}.")
    with st.expander("Scores per seed"):
        st.dataframe(m.assign(high_quality=m["high_quality"] * 100).rename(columns={
            "modes_covered": "modes covered", "high_quality": "high quality %", "reverse_kl": "reverse KL"}),
            hide_index=True)
    st.caption(f"{c.n_seeds} seeds × {c.steps:,} G steps, scored on 2,500 samples each"
               + (" from the EMA generator." if c.ema else "."))


def live_seeds(config):
    """A `draw(view)` for jobs.live: every seed's newest snapshot as it trains, scored, so the audience watches
    some seeds collapse and others not. Pictures are drawn once per snapshot, for every viewer (per_snapshot)."""
    view_box = get_dataset(config.dataset, config.points or None).view

    def draw(view) -> None:
        snap = view.snapshot
        if snap is None or "samples" not in snap.arrays:
            st.caption("Waiting for the first snapshot...")
            return
        pictures = charts.per_snapshot(snap, "mc-seeds", lambda: seed_pictures(config, snapshot_samples(snap),
                                                                                view_box))
        seed_grid(pictures, seed_titles(config.seeds, snap.arrays))
        st.caption(f"Newest snapshot: step {snap.step:,} of {config.steps:,}.")

    return draw


def _pm(mean_se: tuple[float, float], fmt: str) -> str:
    mean, se = mean_se
    return "n/a" if np.isnan(mean) else f"{fmt.format(mean)} ± {fmt.format(se)}"


def comparison_table() -> pd.DataFrame:
    """One row per compared preset that is trained (shipped or cached); the rest are listed as not trained.

    A run whose samples are mostly far from every mode has not converged: its low mode count is not collapse,
    and the note column says so."""
    rows = []
    for name in COMPARED:
        job = jobs.find(PRESETS[name])
        result = job.result if job is not None else None
        if result is None:
            state = job.view().state if job is not None else None
            note = {None: "not trained yet", "queued": "queued", "running": "training now"}.get(state, state)
            rows.append({"configuration": LABELS[name], "seeds": None, "G steps": PRESETS[name].steps, "note": note})
            continue
        s, counts = summarize(result.metrics), outcome_counts(result.metrics)
        hq = s["high_quality"][0]
        rows.append({
            "configuration": LABELS[name], "seeds": len(result.metrics), "G steps": PRESETS[name].steps,
            "modes (of 8)": s["modes_covered"][0], "± modes": s["modes_covered"][1],
            "high quality %": 100 * hq, "± HQ": 100 * s["high_quality"][1],
            "reverse KL": s["reverse_kl"][0], "± KL": s["reverse_kl"][1],
            "collapsed": counts[COLLAPSED], "not converged": counts[NOT_CONVERGED],
            "note": "not converged" if hq < NOT_CONVERGED_HQ else "",
        })
    return pd.DataFrame(rows).round(4)


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison as people read it: "mean ± s.e." in one column per score."""
    def pm(mean_col: str, se_col: str, fmt) -> pd.Series:
        """`fmt` a format, or a function of the mean that gives one (small numbers need more digits)."""
        if mean_col not in table:
            return pd.Series([""] * len(table))
        pick = fmt if callable(fmt) else lambda _: fmt
        return pd.Series(["" if pd.isna(m) else f"{pick(m).format(m)} ± {pick(m).format(e)}"
                          for m, e in zip(table[mean_col], table[se_col], strict=True)])

    def of_seeds(count_col: str) -> list[str]:
        """"7 of 10": a count of seeds out of the run's seeds ("" for a run not trained)."""
        if count_col not in table:
            return [""] * len(table)
        return [f"{int(c)} of {int(n)}" if pd.notna(n) else "" for c, n in
                zip(table[count_col], table["seeds"], strict=True)]

    return pd.DataFrame({
        "configuration": table["configuration"], "G steps": table["G steps"],
        "modes (of 8)": pm("modes (of 8)", "± modes", "{:.2f}"),
        "high quality": pm("high quality %", "± HQ", "{:.1f}%"),
        "reverse KL": pm("reverse KL", "± KL", lambda m: "{:.4f}" if abs(m) < 0.01 else "{:.3f}"),
        "seeds collapsed": of_seeds("collapsed"), "seeds not converged": of_seeds("not converged"),
        "note": table["note"],
    })


def preset_changes() -> str:
    """How each compared preset differs from vanilla, field by field (read from the presets: cannot drift)."""
    v = PRESETS["vanilla"]
    parts = []
    for name in COMPARED:
        if name == "vanilla":
            continue
        c = PRESETS[name]
        diff = [f"{f.name} {getattr(c, f.name)}" for f in dataclasses.fields(c)
                if getattr(c, f.name) != getattr(v, f.name)]
        parts.append(f"{LABELS[name]}: {', '.join(diff) or 'none'}")
    return "; ".join(parts)


OURS = "ours (the vanilla preset; other presets below)"


def protocol_table() -> pd.DataFrame:
    """Our setting (read from the presets, so it cannot drift) beside PacGAN's, aspect by aspect; a last row
    lists what each other compared preset changes."""
    ours = published.our_protocol()
    return pd.DataFrame({"": [*published.PROTOCOL, "other presets"],
                         OURS: [*(ours.get(k, "") for k in published.PROTOCOL), preset_changes()],
                         "PacGAN (authors' code)": [*published.PROTOCOL.values(), ""]})


def our_published_rows() -> dict[str, dict[str, tuple[int, dict] | None]]:
    """Our rows beside Table 1 from the shipped (or cached) runs (published.our_rows). Never trains."""
    def load(config):
        job = jobs.find(config)
        return job.result if job is not None else None

    return published.our_rows(load)


def comparison_charts(table: pd.DataFrame) -> tuple[go.Figure, go.Figure]:
    """Modes covered and the high-quality share, one chart each, to stand side by side (stacked on a phone): a
    remedy can buy coverage with blurrier samples. Bars run across, one row per configuration named on the
    left, so the names stay level and readable at any width."""
    t = table.dropna(subset=["modes (of 8)"]) if "modes (of 8)" in table else table.iloc[:0]
    stalled = (t["note"] == "not converged").tolist() if "note" in t else [False] * len(t)
    # a low bar that is not collapse says so where it cannot be covered: in its own axis label, and hatched
    labels = [f"{name} (not converged)" if x else name for name, x in zip(t.get("configuration", []), stalled,
                                                                          strict=True)]
    figures = []
    for column, err, color, title, top in (("modes (of 8)", "± modes", plots.FAKE, "modes covered (of 8)", 8.4),
                                           ("high quality %", "± HQ", plots.REAL, "high-quality samples, %", 100)):
        fig = go.Figure(go.Bar(y=labels, x=t.get(column, []), orientation="h", marker_color=color,
                               marker_pattern_shape=["/" if x else "" for x in stalled],
                               error_x=dict(type="data", array=t.get(err, [])), showlegend=False))
        fig.update_xaxes(range=[0, top], gridcolor="#eeeeee", title=title, dtick=2 if top < 10 else 25)
        fig.update_yaxes(autorange="reversed")  # the table's order, top to bottom
        charts.layout(fig, 90 + 30 * max(len(t), 1))
        figures.append(fig)
    figures[0].add_vline(x=8, line_dash="dot", line_color="#666666")
    return figures[0], figures[1]


def baseline_note(table: pd.DataFrame) -> str:
    """What the table can and cannot show, from vanilla's own count: every remedy is vanilla with one change, so
    if vanilla rarely collapses the table shows what a remedy costs or adds, not whether it prevents collapse."""
    row = table[table.configuration == LABELS["vanilla"]]
    if row.empty or pd.isna(row.iloc[0].get("seeds")):
        return ""
    vanilla = row.iloc[0]
    collapsed, seeds = int(vanilla["collapsed"]), int(vanilla["seeds"])
    if collapsed > seeds / 2:
        return (f"Every remedy below is vanilla with one change, and vanilla collapsed on {collapsed} of {seeds} "
                "seeds: the table shows which remedies prevent that.")
    return (f"Every remedy below is vanilla with one change, and vanilla itself collapsed on {collapsed} of {seeds} "
            "seeds here: the table shows what each remedy does to coverage and quality on a GAN that mostly does "
            "not collapse, not whether it rescues one that does (the collapsing configuration gets no remedy).")
