"""Section ② of the Interpretability page: the sanity checks of Adebayo et al. (NeurIPS 2018), run live."""
import math

import numpy as np
import streamlit as st

from explainer.deep_learning.cnn import CNNConfig
from explainer.interpretability.attributions import METHODS
from explainer.interpretability.presets import SHUFFLED_CNN
from explainer.interpretability.sanity import CASCADE, STAGE_LABELS, cascade, compare_models
from explainer.runs.result import derived
from explainer.ui import charts, jobs, presenter
from explainer.ui.interpretability import inputs, plots
from explainer.ui.interpretability.layout import method_grid
from explainer.ui.interpretability.model import trained

CHANGES, STAYS = 0.3, 0.5  # ρ below: the map follows the model; at or above: it barely changed
LABELS = {name: m.label for name, m in METHODS.items()}


def verdicts(similarity: dict[str, float]) -> str:
    """One sentence per group of methods, from the measured rank correlations (never fixed prose)."""
    groups = {f"changed with the model (ρ < {CHANGES:.1f})": [], "partly changed": [],
              f"barely changed (ρ ≥ {STAYS:.1f})": [], "were blank (no ρ)": []}
    keys = list(groups)
    for name, rho in similarity.items():
        if math.isnan(rho):
            group = keys[3]
        else:
            group = keys[0] if rho < CHANGES else keys[2] if rho >= STAYS else keys[1]
        groups[group].append(f"{LABELS[name]} (ρ = {rho:.2f})" if not math.isnan(rho) else LABELS[name])
    return "; ".join(f"**{what}**: {', '.join(names)}" for what, names in groups.items() if names) + "."


def render(url) -> None:
    st.header("Sanity checks: does the map depend on the model?")
    presenter.prose(
        """
A map that explains a network should change when the network changes. Adebayo et al. (NeurIPS 2018) test this
two ways. **Model randomisation**: re-initialise the trained weights layer by layer, from the logits down, and
recompute the maps; a method whose map survives a scrambled network was showing the input, not what the network
learned. **Data randomisation**: train the same network on shuffled labels, so all it can do is memorise; its maps
should look different from those of the network that learned digits. Similarity is Spearman's rank correlation ρ
of the absolute maps (1: the same pixels matter in the same order; 0: unrelated). Everything here is computed live
for the input you choose.
""",
        label="The two checks")
    jobs.show(CNNConfig(), lambda run: _cascade_view(url, run), what="the digits CNN", key="interp-sanity",
              autostart=True)


def _cascade_view(url, run) -> None:
    cnn = trained(run)
    c_in, c_stage = st.columns([1, 1.4], gap="large")
    with c_in:
        chosen = inputs.pick(url, cnn, derived(run, "mistakes", lambda: inputs.mistakes(cnn)), key="sanity")
    if chosen is None:
        return
    baseline_kind = url.get("baseline")
    with st.spinner("Re-initialising the layers and recomputing every map..."):
        result = derived(run, "cascade", lambda: cascade(cnn.model, chosen.image, chosen.predicted, baseline_kind),
                         chosen.key(), baseline_kind)
    with c_stage:
        stage = url.widget(st.select_slider, "stage", "Layers re-initialised (cascading from the logits down)",
                           options=list(range(len(CASCADE) + 1)), format_func=STAGE_LABELS.__getitem__)
        answer = int(result["predicted"][stage])
        st.markdown(f"At this stage the network answers **{answer}** for {chosen.name} "
                    f"(the trained one said {chosen.predicted}). Maps are of the score $z_{{{chosen.predicted}}}$.")
    st.subheader(f"The maps with {STAGE_LABELS[stage]}")
    names = list(METHODS)

    def draw(name, height):
        rho = result["similarity"][name][stage]
        label = METHODS[name].short_label if presenter.is_on() else LABELS[name]
        title = f"{label} · ρ = {rho:.2f}" if not math.isnan(rho) else f"{label} · blank"
        charts.show(plots.attribution_map(result["maps"][name][stage], chosen.image, title, METHODS[name].colour,
                                          height), key=f"interp:sanity:{name}")

    method_grid(names, draw)
    stages = list(STAGE_LABELS)
    charts.show(plots.similarity_over_stages(result["similarity"], LABELS, stages, stages[stage],
                                             300 if presenter.is_on() else 380),
                key="interp:sanity:rho")
    final = {name: float(values[-1]) for name, values in result["similarity"].items()}
    st.markdown(f"With every layer re-initialised, for {chosen.name}: " + verdicts(final))
    presenter.prose(
        "A method whose map *barely changed* fails the check for this input: what it shows is not what the weights "
        "learned. Integrated Gradients with a zero baseline multiplies every gradient by the input (x − 0), so the "
        "digit's own shape survives any scrambling; try the blurred baseline in section ①. Adebayo et al. found "
        "Guided Backprop largely invariant to the higher layers of deep ImageNet networks; this network is only two "
        "conv layers deep, so how much of it survives here is what the numbers above say.",
        label="What this means")
    st.divider()
    _data_randomisation(url, run, chosen, baseline_kind)


def _data_randomisation(url, run, chosen, baseline_kind) -> None:
    st.subheader("Data randomisation: the same network trained on shuffled labels")
    jobs.show(SHUFFLED_CNN, lambda shuffled: _compare(run, shuffled, chosen, baseline_kind),
              what="the shuffled-label CNN", key="interp-shuffled")


def _compare(run, shuffled_run, chosen, baseline_kind) -> None:
    cnn, memoriser = trained(run), trained(shuffled_run)
    c1, c2 = st.columns(2)
    c1.metric("Learned digits: test accuracy", f"{cnn.test_accuracy:.1%}",
              help=f"Training accuracy {cnn.train_accuracy:.1%}.")
    c2.metric("Shuffled labels: test accuracy", f"{memoriser.test_accuracy:.1%}",
              help="Chance is 10%: the labels it learned say nothing about the images.")
    st.markdown(f"On the shuffled labels it trained on, the second network is right {memoriser.train_accuracy:.1%} "
                f"of the time: it memorised them, and on new digits it is at {memoriser.test_accuracy:.0%}, chance "
                "being 10%. Below, each method's map of the same score for both networks.")
    result = derived(shuffled_run, "compare", lambda: compare_models(cnn.model, memoriser.model, chosen.image,
                                                                     chosen.predicted, baseline_kind),
                     chosen.key(), baseline_kind, run.key)
    for name in METHODS:
        rho = result["similarity"][name]
        cols = st.columns([1, 1, 1.2], gap="medium")
        charts.show(plots.attribution_map(result["a"][name], chosen.image, f"{LABELS[name]}: learned digits",
                                          METHODS[name].colour, 240), key=f"interp:data:a:{name}", container=cols[0])
        charts.show(plots.attribution_map(result["b"][name], chosen.image, f"{LABELS[name]}: shuffled labels",
                                          METHODS[name].colour, 240), key=f"interp:data:b:{name}", container=cols[1])
        cols[2].metric(f"ρ between the two ({LABELS[name]})", "—" if np.isnan(rho) else f"{rho:.2f}")
    st.markdown("For this input, between the two networks: " + verdicts(result["similarity"]))
