"""Section ③ of the "Deep learning" page: the digits CNN, a test digit or a drawn one, its filters and maps."""

import streamlit as st

from explainer.deep_learning.cnn import LAYERS, CNNConfig, digits_cnn, feature_maps, filters, predict_proba
from explainer.runs.result import derived
from explainer.ui import charts, jobs, presenter
from explainer.ui.deep_learning import plots
from explainer.ui.deep_learning.params import (
    INPUTS,
)
from explainer.ui.digit_canvas import draw_digit


def render(url) -> None:
    """Section ③: the digits CNN, a test digit or a drawn one, its filters, feature maps and mistakes."""
    st.header("A CNN on 8×8 digits")
    config = CNNConfig()
    presenter.prose(
        f"""
Each digit is an 8×8 grid of numbers from 0 to 16 (scikit-learn's copy of the UCI handwritten digits). A
**convolution** slides a small 3×3 filter over the image and, at each position, adds up the 3×3 patch weighted by
the filter, plus a bias: the resulting **feature map** is large where the patch looks like the filter. This
network has two: {config.channels1} filters on the image, then {config.channels2} filters that each look at all
{config.channels1} maps of the first. ReLU keeps the positive part, max-pooling keeps the largest value of each
2×2 block, and a linear layer turns the {config.channels2}×4×4 = {config.channels2 * 16} numbers into 10 scores,
which the softmax makes probabilities. It trains for {config.epochs} epochs with Adam on 80% of the digits and is
tested on the other 20%.
""",
        label="How it works",
    )
    st.latex(r"\text{map}_k(i,j) = b_k + \sum_{c}\sum_{u,v=-1}^{1} W_{k,c,u,v}\; x_c(i+u,\, j+v)"
             r"\qquad p(d \mid x) = \frac{e^{z_d}}{\sum_{d'=0}^{9} e^{z_{d'}}}")
    jobs.show(config, lambda run: _trained(url, config, derived(run, "digits_cnn", lambda: digits_cnn(run))),
              what="the digits CNN", key="cnn", autostart=True)


def _trained(url, config, result) -> None:
    """Everything that needs the trained network: its input, prediction, filters, maps and mistakes."""
    model = result.model
    n_test = len(result.test_labels)
    source = url.widget(st.segmented_control, "input", "Input", format_func=INPUTS.get, required=True)
    c_in, c_seen, c_out = st.columns([1.05, 1, 1.5], gap="medium")
    image, true_label = None, None
    with c_in:
        if source == "test":
            index = url.widget(st.number_input, "digit", f"Test digit number (0 to {n_test - 1})", step=1)
            image, true_label = result.test_images[index], int(result.test_labels[index])
            st.markdown(f"True label: **{true_label}**")
        else:
            st.markdown("**Draw a digit**")
            image = draw_digit("dl:cnn:canvas")
    with c_seen:
        if image is not None:
            charts.show(plots.digit_image(image, "What the network sees (8×8)", 300))
    with c_out:
        st.metric("Test accuracy", f"{result.test_accuracy:.1%}",
                  help=f"On the {n_test} test digits the network never trained on.")
        if image is not None:
            probs = predict_proba(model, image)
            guess = int(probs.argmax())
            verdict = "" if true_label is None else (" ✓" if guess == true_label else f" ✗ (it is a {true_label})")
            st.markdown(f"Prediction: **{guess}** with probability {probs[guess]:.0%}{verdict}")
            charts.show(plots.softmax_bars(probs, true_label, 280))

    filters_part, maps_part, mistakes_part = presenter.parts(
        ["The filters it learned", "Every feature map", "Where it goes wrong: the confusion matrix"])
    with filters_part:
        _filters(config, model)
    with maps_part:
        _feature_maps(model, image)
    with mistakes_part:
        _mistakes(result, n_test)


def _filters(config, model) -> None:
    w = filters(model)
    f1, f2 = st.columns([1, 1.25], gap="large")
    with f1:
        st.markdown(f"**conv1**: {config.channels1} filters of 3×3 on the image")
        charts.show(plots.map_grid(w["conv1"][:, 0], signed=True, cols=4, width=440, value="weight"))
        presenter.prose(
            f"""
Red weights add the pixel under them, blue ones subtract it, so a filter responds most where the image looks like
its red part and not like its blue part. A conv1 filter sees 3×3 pixels; a conv2 filter sees 3×3 positions of all
{config.channels1} conv1 maps at once (one row of the picture on the right: {config.channels1} small kernels), so it
responds to combinations of the first layer's patterns over a 5×5 patch of the image. Hover over any cell for its
value.
""",
            label="Reading the filters")
    with f2:
        st.markdown(f"**conv2**: {config.channels2} filters, each 3×3 on all {config.channels1} conv1 maps")
        charts.show(plots.conv2_filters(w["conv2"]))



def _feature_maps(model, image) -> None:
    if image is None:
        st.info("Pick a test digit or draw one to see its feature maps.", icon=":material/draw:")
    else:
        maps = feature_maps(model, image)
        captions = {
            "conv1": "conv1: the image convolved with each of the 8 filters (before ReLU; blue is negative)",
            "relu1": "relu1 = max(0, conv1): only the positive responses go on",
            "conv2": "conv2: 16 maps, each a sum over all 8 relu1 maps convolved with its filter",
            "relu2": "relu2 = max(0, conv2)",
            "pool": "pool: the largest value in each 2×2 block (8×8 → 4×4); these 256 numbers feed the linear layer",
        }
        for name in LAYERS:
            st.markdown(f"**{captions[name]}**")
            charts.show(plots.map_grid(maps[name], signed=name.startswith("conv"), cols=8,
                                       width=1000 if name != "pool" else 700), key=f"dl:cnn:{name}")



def _mistakes(result, n_test: int) -> None:
    c1, c2 = st.columns([1.3, 1], gap="large")
    charts.show(plots.confusion_matrix(result.confusion), container=c1)
    with c2:
        wrong = int(result.confusion.sum() - result.confusion.trace())
        st.metric("Mistakes on the test set", f"{wrong} of {n_test}", help=f"Accuracy {result.test_accuracy:.1%}.")
        presenter.prose(
            f"Row = the true digit, column = the network's answer, so the diagonal counts the test digits it got "
            f"right and every number off the diagonal is a mistake: {wrong} of {n_test} here. "
            f"It trained in {result.seconds:.1f} s.",
            label="Reading the matrix")


