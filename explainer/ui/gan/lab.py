"""The GAN page's Lab: one config's knobs beside its run (replayed when trained, live while training)."""
import streamlit as st

from explainer.gan.presets import PRESETS
from explainer.ui import jobs, presenter
from explainer.ui.gan import controls, views
from explainer.ui.gan.points_input import points_input


def config_or_stop(values: dict, points) -> object:
    """The config the knobs describe, or a clear error and the end of this run when it cannot be trained."""
    try:
        return controls.make_config(values, points or ())
    except ValueError as e:
        st.error(f"This configuration cannot be trained: {e}", icon=":material/error:")
        st.stop()



def render(url) -> None:
    """The Lab: knobs on the left, the run on the right."""
    knobs, main = presenter.demo_first("lab").columns([1, 3], gap="large")
    with knobs:
        values = controls.lab_widgets(url)
    with main:
        # the drawing canvas needs the wide column: in the knobs' column almost half of it was hidden
        points = points_input(url) if values["dataset"] == "points" else ()
        if points is None:
            st.stop()
        config = config_or_stop(values, points)
        layers = views.layer_toggles(url)
        jobs.show(config, lambda result: views.lab_result(result, layers),
                  views.live_scene(config, layers), key="lab", preview=views.untrained_scene(config, layers),
                  controls_below=True)  # the picture where the finished run's is, whatever the state
        if config.key() == PRESETS["lab"].key():
            st.caption(f"The default seed ({config.seed}) was chosen as one where this GAN converges in "
                       f"{config.steps:,} steps. Other seeds of the same configuration can cover fewer modes or fail "
                       "to converge: change the seed, or see the Mode collapse page, which counts outcomes over 10 "
                       "seeds (trained as one batch, which rounds differently, so its seed "
                       f"{config.seed} ends a little differently from this one).")
