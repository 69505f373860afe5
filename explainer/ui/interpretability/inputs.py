"""The one input picker of the Interpretability page: a test digit, one of the model's mistakes, or a drawing."""
from dataclasses import dataclass

import numpy as np
import streamlit as st

from explainer.deep_learning.cnn import DigitsCNNResult, predict_proba
from explainer.ui.digit_canvas import draw_digit
from explainer.ui.interpretability.params import INPUTS

UNSURE = 0.5  # below this top probability, say that the drawing may not look like a digit to the network


@dataclass(frozen=True)
class Chosen:
    image: np.ndarray  # (8, 8) in 0..16
    label: int | None  # the true digit, when known
    name: str  # for captions: "test digit #12", "your drawing"
    probs: np.ndarray  # (10,) the model's softmax

    @property
    def predicted(self) -> int:
        return int(self.probs.argmax())

    def key(self) -> str:
        """Identifies the image in per-run caches."""
        return np.asarray(self.image, np.float32).tobytes().hex()


def mistakes(cnn: DigitsCNNResult) -> np.ndarray:
    """Indices of the test digits the model gets wrong."""
    return np.flatnonzero(predict_proba(cnn.model, cnn.test_images).argmax(1) != cnn.test_labels)


def pick(url, cnn: DigitsCNNResult, wrong: np.ndarray, key: str) -> Chosen | None:
    """Draw the picker; the chosen input with the model's answer, or None (after saying why) when a drawing is
    empty or unusable. `wrong`: mistakes(cnn), cached by the caller."""
    source = url.widget(st.segmented_control, "input", "Input", format_func=INPUTS.get, required=True)
    if source == "test":
        index = url.widget(st.number_input, "digit", f"Test digit number (0 to {len(cnn.test_labels) - 1})", step=1)
        image, label, name = cnn.test_images[index], int(cnn.test_labels[index]), f"test digit #{index}"
    elif source == "mistake":
        if len(wrong) == 0:
            st.info("The network gets every test digit right, so there is no mistake to show.")
            return None
        url.limit("mistake", len(wrong) - 1, "the last of this model's mistakes")  # the URL allows more
        n = url.widget(st.number_input, "mistake", f"Mistake number (0 to {len(wrong) - 1}, of {len(wrong)})",
                       step=1, max_value=len(wrong) - 1, help="The test digits it gets wrong, in test-set order.")
        index = int(wrong[min(n, len(wrong) - 1)])
        image, label, name = cnn.test_images[index], int(cnn.test_labels[index]), f"test digit #{index}"
    else:
        image = draw_digit(f"interp:{key}:canvas")
        if image is None:
            return None
        label, name = None, "your drawing"
    chosen = Chosen(np.asarray(image, np.float32), label, name, predict_proba(cnn.model, image))
    verdict = "" if label is None else (" ✓" if chosen.predicted == label else f" ✗ (it is a {label})")
    st.markdown(f"**{name}**: the network says **{chosen.predicted}** with probability "
                f"{chosen.probs[chosen.predicted]:.0%}{verdict}")
    if label is None and chosen.probs.max() < UNSURE:
        st.warning(f"The network is unsure (its best guess has {chosen.probs.max():.0%}): this may not look like a "
                   "digit to it. The maps below explain that guess anyway.", icon=":material/help:")
    return chosen
