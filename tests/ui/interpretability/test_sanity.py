"""The sanity section's verdicts, written from the numbers."""
import math

from explainer.ui.interpretability.sanity import CHANGES, STAYS, verdicts


def test_verdicts_are_written_from_the_numbers():
    text = verdicts({"saliency": CHANGES - 0.1, "guided_backprop": STAYS + 0.1, "gradcam": math.nan,
                     "smoothgrad": (CHANGES + STAYS) / 2})
    assert f"Gradient (saliency) (ρ = {CHANGES - 0.1:.2f})" in text.split("barely")[0]
    assert f"Guided Backprop (ρ = {STAYS + 0.1:.2f})" in text.split("barely")[1]
    assert "partly changed**: SmoothGrad" in text and "blank (no ρ)**: Grad-CAM" in text
