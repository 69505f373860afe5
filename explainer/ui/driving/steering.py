"""Section ② of the driving page: end-to-end steering (PilotNet in miniature) and what it looks at."""
import numpy as np
import streamlit as st
import torch

from explainer.driving import pilotnet, sim
from explainer.driving.presets import PILOTNET
from explainer.runs.result import derived
from explainer.ui import charts, jobs, presenter
from explainer.ui.driving import plots


def render(url) -> None:
    st.header("End-to-end steering: from pixels to the wheel")
    presenter.prose(
        f"""
Instead of a pipeline of hand-built stages, one network can map the camera image straight to a steering angle,
learned by copying a driver. ALVINN (Pomerleau, 1989) was an early autonomous land vehicle driven by a neural
network; NVIDIA's DAVE-2, later called PilotNet (Bojarski et al. 2016), learned steering end to end with a CNN.
Here is a miniature: the
simulator's {pilotnet.SIZE}×{pilotnet.SIZE} grayscale top-down view of the racetrack, three strided convolutions and
two dense layers, trained on {PILOTNET.drives} expert drives ({PILOTNET.drive_steps} frames each, from starts up to
1 m off the centre line) to output the expert's steering. It never sees the car's position or heading as numbers:
only pixels.

What does it look at? **VisualBackProp** (Bojarski et al. 2016; ICRA 2018) averages each convolutional layer's
feature maps over channels, then, from the deepest layer back, scales the running mask up (bilinearly, here) to
the next shallower layer's size and multiplies it in, down to the input: pixels that stay active through every
layer light up.
**Grad-CAM** (here Captum's LayerGradCam) weights the last convolution's maps by the gradient of the steering
output instead. Steering is signed, and Grad-CAM keeps only evidence that *raises* its target, so the target here
is the steering times its sign: the map shows evidence for steering the way the network steers at that frame.
Each map is scaled to its own maximum: compare where they light up, not how brightly.
""", label="What end-to-end steering is")
    jobs.show(PILOTNET, lambda run: _result(url, run), what="the steering network", key="pilotnet")


def _result(url, run) -> None:
    arrays = run.snapshots[0].arrays
    frames, expert, predicted = arrays["test_frames"], arrays["expert"], arrays["predicted"]
    m = run.metrics.iloc[0]
    c1, c2, c3 = presenter.one_row("steering-scores").columns(3)
    c1.metric("Steering error on the held-out drive (RMS)", f"{m.test_rmse_deg:.1f}°")
    c2.metric("Correlation with the expert", f"{m.test_corr:.2f}")
    c3.metric("Frames it learned from", f"{int(m.train_frames):,}")
    last = len(frames) - 1
    url.limit("sframe", last, "the drive's last frame")
    t = url.widget(st.slider, "sframe", "Frame of the held-out drive", min_value=0, max_value=last)
    # a slide holds the trace and the three maps below it: a shorter trace in presenter mode
    charts.show(plots.steering_trace(expert, predicted, t, height=250 if presenter.is_on() else 400),
                key="drive:steer:trace")
    model = derived(run, "pilotnet-model", lambda: pilotnet.model_of(run))
    x = torch.from_numpy(frames[t:t + 1, None].astype(np.float32) / 255)
    masks = {"VisualBackProp": pilotnet.visual_backprop(model, x)[0],
             "Grad-CAM (Captum)": pilotnet.grad_cam(model, x)[0]}
    charts.show(plots.saliency(frames[t], masks, height=280 if presenter.is_on() else 330),
                key="drive:steer:saliency")
    presenter.prose(
        f"At this frame the expert steers {np.degrees(expert[t] * sim.STEER_RANGE):+.1f}° and the network "
        f"{np.degrees(predicted[t] * sim.STEER_RANGE):+.1f}°. Over the whole held-out drive its error is "
        f"{m.test_rmse_deg:.1f}° RMS (correlation {m.test_corr:.2f}){_after_start(expert, predicted)}; it trained in "
        f"{run.extra.get('wall_s', 0):.0f} s on one CPU thread. This is open-loop: the network is scored on the "
        "expert's frames, never its own; how a cloned policy does when it drives is the next section's question "
        "(there, a small policy on kinematic inputs, not on pixels).",
        label="What this run measured")


def _after_start(expert: np.ndarray, predicted: np.ndarray) -> str:
    """The error without the drive's first second, where the car starts off the centre line and the expert steers
    hard back: one frame there can dominate the RMS."""
    skip = sim.FREQUENCY
    if len(expert) <= 2 * skip:
        return ""
    e, p = expert[skip:] * sim.STEER_RANGE, predicted[skip:] * sim.STEER_RANGE
    rms = float(np.degrees(np.sqrt(np.mean((e - p) ** 2))))
    corr = float(np.corrcoef(e, p)[0, 1])
    return (f"; without the first second (the start off the centre line, where the expert steers hard back) "
            f"{rms:.1f}° RMS, correlation {corr:.2f}")
