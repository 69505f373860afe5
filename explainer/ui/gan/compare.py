"""The GAN page's comparison: two configs side by side, each with its own run."""
import streamlit as st

from explainer.ui import jobs, presenter
from explainer.ui.gan import controls, views
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
    # rows, not two independent columns: each row starts at the same height on both sides
    for col, config, name in zip(st.columns(2, gap="large"), configs, ("A", "B"), strict=True):
        with col:
            views.compact_header(config, layers, name)
    for col, config, name in zip(st.columns(2, gap="large"), configs, ("A", "B"), strict=True):
        with col:
            jobs.show(config, lambda result: views.compact_result(result, layers, y_range),
                      views.live_scene(config, layers, compact=True), what=f"configuration {name}",
                      key=f"cmp-{name}", preview=views.untrained_scene(config, layers, name),
                      controls_below=True)  # a live side's picture level with the finished side's
