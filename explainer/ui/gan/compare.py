"""The GAN page's comparison: two configs side by side, each with its own run."""
import numpy as np
import streamlit as st

from explainer.gan.presets import PRESETS
from explainer.ui import jobs, presenter
from explainer.ui.gan import controls, formulas, views
from explainer.ui.gan.lab import config_or_stop


def render(url) -> None:
    """Configurations A and B side by side."""
    presenter.prose("Two configurations side by side. A is the Lab's configuration; B starts as the same GAN with the "
                    "saturating minimax loss. Change one thing in B (the loss, a remedy) and see what it does; each "
                    "side keeps its own seed, so set them equal to compare like with like.", label="How to compare")
    col_a, col_b = st.columns(2, gap="large")
    with col_a, st.expander("Configuration A", expanded=False):
        values_a = controls.lab_widgets(url, compact=True)
    with col_b, st.expander("Configuration B", expanded=False):
        values_b = controls.lab_widgets(url, "_b", compact=True)
    if "points" in (values_a["dataset"], values_b["dataset"]):
        st.info("Comparisons use the built-in data sets; draw your own in the Lab.", icon=":material/info:")
        st.stop()
    configs = [config_or_stop(values_a, ()), config_or_stop(values_b, ())]
    layers = views.layer_toggles(url)
    found = [jobs.find(config) for config in configs]
    y_range = views.loss_range([job.result for job in found if job is not None and job.view().finished])
    # rows, not two independent columns: each row starts at the same height on both sides. A phone stacks them:
    # A's header and picture, then B's (stacked rows would put both headers above both pictures)
    sides = [st.container(), st.container()] if presenter.is_phone() else None
    for col, config, name in zip(sides or st.columns(2, gap="large"), configs, ("A", "B"), strict=True):
        with col:
            views.compact_header(config, layers, name)
    for col, config, name in zip(sides or st.columns(2, gap="large"), configs, ("A", "B"), strict=True):
        with col:
            jobs.show(config, lambda result: views.compact_result(result, layers, y_range),
                      views.live_scene(config, layers, compact=True), what=f"configuration {name}",
                      key=f"cmp-{name}", preview=views.untrained_scene(config, layers, name),
                      controls_below=True)  # a live side's picture level with the finished side's
    done = [job.result for job in map(jobs.find, configs) if job is not None and job.view().finished]
    if len(done) == 2 and configs[0].dataset == configs[1].dataset and configs[0].dataset in MODES:
        text = difference(*(r.metrics.iloc[0] for r in done), MODES[configs[0].dataset])
        if [c.key() for c in configs] == [PRESETS["lab"].key(), PRESETS["lab-b"].key()]:  # the default pair
            text += " " + (formulas.measured_in_practice() or "")
        presenter.prose(text, label="What these two runs show")


MODES = {"ring8": 8, "grid25": 25}  # the data sets whose modes the scores count


def _said(m, modes: int) -> str:
    if m.get("diverged", False) or not np.isfinite(m.high_quality):
        return "diverged"
    return (f"{m.modes_covered:.0f} of {modes} modes covered, {m.high_quality:.0%} of samples high quality, reverse "
            f"KL {m.reverse_kl:.2f}")


def difference(a, b, modes: int) -> str:
    """What one finished run a side shows, and that it is one run a side. A side is said to cover more modes or
    give more high-quality samples only when it does; nothing is said to be better in general."""
    text = f"A: {_said(a, modes)}. B: {_said(b, modes)}."
    if a.modes_covered != b.modes_covered:
        more = "A" if a.modes_covered > b.modes_covered else "B"
        text += f" {more} covered more modes."
    elif abs(a.high_quality - b.high_quality) >= 0.05:
        more = "A" if a.high_quality > b.high_quality else "B"
        text += f" Both covered {a.modes_covered:.0f} modes; {more} put more of its samples on them."
    else:
        text += " On these seeds the two did about the same."
    return text + (" One run a side: a different seed can turn the result around. The Mode collapse page trains "
                   "each configuration on 10 seeds and counts the outcomes.")
