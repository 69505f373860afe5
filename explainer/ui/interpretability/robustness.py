"""Section ④ of the Interpretability page: adversarial examples (FGSM, PGD), their effect and their maps."""
import numpy as np
import streamlit as st

from explainer.deep_learning.cnn import CNNConfig, predict_proba
from explainer.interpretability.attributions import METHODS, attribute_all
from explainer.interpretability.robustness import (
    EPSILONS,
    PGD_STEPS,
    PIXEL_MAX,
    accuracy_curve,
    attack,
    confidence_curve,
    success_rate,
)
from explainer.runs.result import derived
from explainer.ui import charts, jobs, presenter
from explainer.ui.deep_learning import plots as dl_plots
from explainer.ui.interpretability import inputs, plots
from explainer.ui.interpretability.model import trained
from explainer.ui.interpretability.params import ATTACK_LABELS, MAX_EPSILON

SHOWN = ("saliency", "integrated_gradients", "gradcam")  # the maps of clean vs adversarial input


def render(url) -> None:
    st.header("Adversarial examples")
    presenter.prose(
        f"""
A network that reads digits well can be fooled by small, bounded changes to every pixel (at 8×8 pixels they are
visible: the background turns grey). **FGSM** (Goodfellow,
Shlens & Szegedy, ICLR 2015) moves every pixel by ε in the direction that raises the loss most, one step:
x′ = clip(x + ε·sign(∇ₓ L(x, y))). **PGD** (Madry et al., ICLR 2018) takes {PGD_STEPS} smaller steps and projects
back into the ε-box after each (here without Madry et al.'s random start, with steps of 2.5ε/{PGD_STEPS}).
ε is a fraction of the pixel range (0..16): ε = 0.1 moves a pixel by at most 1.6.
""",
        label="The attacks")
    st.latex(r"x' = \mathrm{clip}_{[0,16]}\big(x + \varepsilon \cdot 16 \cdot \mathrm{sign}(\nabla_x L(x, y))\big)")
    jobs.show(CNNConfig(), lambda run: _view(url, run), what="the digits CNN", key="interp-robust", autostart=True)


def _view(url, run) -> None:
    cnn = trained(run)
    c_in, c_knobs = st.columns([1, 1.4], gap="large")
    with c_in:
        chosen = inputs.pick(url, cnn, derived(run, "mistakes", lambda: inputs.mistakes(cnn)), key="robust")
    with c_knobs:
        eps = url.widget(st.slider, "eps", "ε (fraction of the pixel range)", step=0.01, max_value=MAX_EPSILON)
        method = url.widget(st.segmented_control, "attack", "Attack", format_func=ATTACK_LABELS.get, required=True)
    curves = derived(run, "accuracy_curve", lambda: accuracy_curve(cnn.model, cnn.test_images, cnn.test_labels))
    c_all, c_one = st.columns([1.4, 1], gap="medium")
    charts.show(plots.accuracy_over_epsilon(EPSILONS, curves, ATTACK_LABELS, eps), key="interp:robust:curve",
                container=c_all)
    rates = {m: derived(run, "success_rate", lambda m=m: success_rate(cnn.model, cnn.test_images, cnn.test_labels,
                                                                         eps, m), m, round(eps, 4)) for m in curves}
    right = next(iter(rates.values()))[1]
    st.markdown(f"On the {len(cnn.test_labels)} test digits: {cnn.test_accuracy:.1%} right on clean inputs. At ε = "
                f"{eps:.2f} the attack turns " + " and ".join(
                    f"{rates[m][0]:.0%} ({ATTACK_LABELS[m]})" for m in curves)
                + f" of the {right} digits it reads correctly into mistakes (measured at this ε).")
    if chosen is None:
        return
    if chosen.label is None:
        target = chosen.predicted
        st.caption(f"A drawing has no true label: the attack pushes away from the network's own answer, {target}.")
    else:
        target = chosen.label
    probs_over_eps = confidence_curve(cnn.model, chosen.image, target, method=method)
    with c_one:
        st.markdown(f"**{chosen.name}** under {ATTACK_LABELS[method]}, ε by ε")
        charts.show(plots.confidence_over_epsilon(EPSILONS, probs_over_eps, target, eps), key="interp:robust:one")
    adv = attack(cnn.model, chosen.image[None], [target], eps, method)[0]
    probs = predict_proba(cnn.model, adv)
    guess = int(probs.argmax())
    st.subheader(f"{chosen.name}: {chosen.predicted} ({chosen.probs.max():.0%}) → {guess} ({probs[guess]:.0%}) "
                 f"at ε = {eps:.2f}")
    cols = st.columns(4, gap="medium")
    charts.show(dl_plots.digit_image(chosen.image, "Clean input", 240), key="interp:robust:clean", container=cols[0])
    charts.show(plots.attribution_map(adv - chosen.image, chosen.image, "Perturbation x′ − x", "pixel change", 240),
                key="interp:robust:delta", container=cols[1])
    charts.show(dl_plots.digit_image(adv, "Adversarial input", 240), key="interp:robust:adv", container=cols[2])
    charts.show(dl_plots.softmax_bars(probs, chosen.label, 240), key="interp:robust:probs", container=cols[3])
    st.caption(f"Largest pixel change: {np.abs(adv - chosen.image).max():.2f} of {PIXEL_MAX:.0f}.")
    st.markdown(f"**Attribution maps of the score $z_{{{guess}}}$, clean and adversarial**")
    clean = attribute_all(cnn.model, chosen.image, guess, methods=SHOWN)
    attacked = attribute_all(cnn.model, adv, guess, methods=SHOWN)
    for name in SHOWN:
        c1, c2 = st.columns(2, gap="medium")
        charts.show(plots.attribution_map(clean[name], chosen.image, f"{METHODS[name].label}: clean",
                                          METHODS[name].colour, 240), key=f"interp:robust:c:{name}", container=c1)
        charts.show(plots.attribution_map(attacked[name], adv, f"{METHODS[name].label}: adversarial",
                                          METHODS[name].colour, 240), key=f"interp:robust:a:{name}", container=c2)
