"""Section ① of the Interpretability page: six attribution methods on one input, side by side."""
import numpy as np
import streamlit as st

from explainer.deep_learning.cnn import CNNConfig
from explainer.interpretability.attributions import BASELINES, CAPS, METHODS, attribute_all, baseline, score_change
from explainer.runs.result import derived
from explainer.ui import charts, jobs, presenter
from explainer.ui.deep_learning import plots as dl_plots
from explainer.ui.interpretability import inputs, plots
from explainer.ui.interpretability.layout import method_grid
from explainer.ui.interpretability.model import trained
from explainer.ui.interpretability.params import BASELINE_LABELS


def render(url) -> None:
    st.header("Attributions side by side")
    presenter.prose(
        f"""
An **attribution map** says how much each pixel matters for the network's score of one class, here the class it
predicts. Six methods, six answers: the gradient of the score (signed here; Simonyan et al. show its absolute
value), the gradient integrated along a path from a baseline image (Integrated Gradients), gradients averaged over
noisy copies (SmoothGrad), conv2's feature maps weighted by their average gradient (Grad-CAM), a gradient that only
lets positive signals back through each ReLU (Guided Backprop), and the drop in the score when a 2×2 window is
blacked out (Occlusion). Two kinds of map share one colour scale: for the **contributions** (Integrated Gradients,
Occlusion) a red pixel pushes this score up and a blue one down; for the **sensitivities** (gradient, SmoothGrad)
red means raising that pixel would raise the score, blue that it would lower it, whatever the pixel holds now.
Guided Backprop is a modified gradient (negative signals are dropped at every ReLU), so its sign has no such
reading, and Grad-CAM is non-negative by construction. White is zero; the outline is the digit's ink.
Each map is computed live with Captum, capped so it costs milliseconds:
Integrated Gradients with {CAPS['ig_steps']} steps, SmoothGrad with
{CAPS['smoothgrad_samples']} noisy copies (σ = {CAPS['smoothgrad_sigma']:.0%} of the pixel range).
Section ② tests which of these maps actually depend on what the network learned.
""",
        label="How to read the maps")
    jobs.show(CNNConfig(), lambda run: _view(url, run), what="the digits CNN", key="interp-attr", autostart=True)


def _maps(run, chosen: inputs.Chosen, baseline_kind: str) -> dict[str, np.ndarray]:
    cnn = trained(run)
    return derived(run, "attributions", lambda: attribute_all(cnn.model, chosen.image, chosen.predicted,
                                                              baseline_kind), chosen.key(), baseline_kind)


def _view(url, run) -> None:
    cnn = trained(run)
    # on a phone: the answer and the pictures first, the choice of input after them
    c_in, c_pictures, c_probs = presenter.demo_first("attributions").columns([1.4, 0.8, 1.2], gap="medium")
    with c_in:
        chosen = inputs.pick(url, cnn, derived(run, "mistakes", lambda: inputs.mistakes(cnn)), key="attr")
        baseline_kind = url.widget(st.segmented_control, "baseline", "Integrated Gradients' baseline x′",
                                   format_func=BASELINE_LABELS.get, required=True,
                                   help="; ".join(f"{BASELINE_LABELS[k]}: {v}" for k, v in BASELINES.items()))
    if chosen is None:
        return
    with c_pictures:
        charts.show(dl_plots.digit_image(chosen.image, "The input x", 200), key="interp:attr:input")
        charts.show(dl_plots.digit_image(baseline(chosen.image, baseline_kind), "The baseline x′", 200),
                    key="interp:attr:baseline")
    with c_probs:
        charts.show(dl_plots.softmax_bars(chosen.probs, chosen.label, 300))
    maps = _maps(run, chosen, baseline_kind)
    st.subheader(f"Why {chosen.predicted}? Six maps of the score $z_{{{chosen.predicted}}}$")
    names = list(METHODS)
    method_grid(names, lambda name, height: charts.show(
        plots.attribution_map(maps[name], chosen.image,
                              METHODS[name].short_label if presenter.is_on() else METHODS[name].label,
                              METHODS[name].colour, height),
        key=f"interp:attr:{name}"))
    st.subheader("The six methods")
    for name in names:
        method = METHODS[name]
        c_name, c_formula = st.columns([1, 2.6], gap="medium", vertical_alignment="center")
        c_name.markdown(f"**{method.label}**  \n{method.paper}")
        with c_formula:
            st.latex(method.formula)
    _completeness(maps["integrated_gradients"], cnn, chosen, baseline_kind)


def _completeness(ig: np.ndarray, cnn, chosen, baseline_kind) -> None:
    gap = score_change(cnn.model, chosen.image, chosen.predicted, baseline_kind)
    presenter.prose(
        f"Integrated Gradients is **complete**: its attributions add up to the change in the score from the baseline "
        f"to the input. Here they sum to {ig.sum():.3f} and z(x) − z(x′) = {gap:.3f} (a difference of "
        f"{abs(ig.sum() - gap):.3f}, the error of a {CAPS['ig_steps']}-point integral). With the zero baseline, "
        "every black pixel gets exactly zero, whatever the network computes there: the factor (x − x′) sees to it.",
        label="Completeness")
