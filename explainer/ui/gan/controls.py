"""The GAN lab's knobs: the widgets bound to the URL parameters of `params.lab_specs`, and the config they make."""
import streamlit as st

from explainer.gan.config import GANConfig
from explainer.ui.gan.params import DATASET_LABELS, LAB
from explainer.ui.url_state import UrlState

LOSS_LABELS = {"minimax": "Minimax (saturating)", "nonsaturating": "Non-saturating", "wgan-gp": "WGAN-GP",
               "hinge": "Hinge", "lsgan": "Least squares"}


# the expander's two groups: what targets collapse itself, and what steadies training in general
REMEDY_GROUPS = (
    "**Against mode collapse**: each lets D notice, or G anticipate, a generator that repeats itself.",
    "**Stabilisers**: they steady D or G's training; they are not aimed at collapse itself.",
)


def _lr(x: float) -> str:
    return f"{x:g}"


def lab_widgets(url: UrlState, suffix: str = "", compact: bool = False) -> dict:
    """Draw the knobs of one config (bound to `url`) and return their values by parameter name (no suffix)."""
    s, w = suffix, url.widget
    v = {}
    v["dataset"] = w(st.selectbox, "dataset" + s, "Data", format_func=DATASET_LABELS.get)
    v["loss"] = w(st.selectbox, "loss" + s, "Loss", format_func=LOSS_LABELS.get)
    c1, c2 = st.columns(2)
    with c1:
        v["lr_g"] = w(st.select_slider, "lr_g" + s, "G learning rate", format_func=_lr)
    with c2:
        v["lr_d"] = w(st.select_slider, "lr_d" + s, "D learning rate", format_func=_lr)
    c1, c2 = st.columns(2)
    with c1:
        v["steps"] = w(st.select_slider, "steps" + s, "G steps", format_func=lambda n: f"{n:,}")
    with c2:
        v["seed"] = w(st.number_input, "seed" + s, "Seed", step=1)
    with st.expander("Remedies for mode collapse, and stabilisers", expanded=not compact):
        st.caption(REMEDY_GROUPS[0])
        v["pack"] = w(st.slider, "pack" + s, "PacGAN packing m (1 = off)")
        v["unrolled"] = w(st.slider, "unrolled" + s, "Unrolled D steps k (0 = off)")
        v["mbstd"] = w(st.toggle, "mbstd" + s, "Minibatch standard deviation")
        st.caption(REMEDY_GROUPS[1])
        v["sn"] = w(st.toggle, "sn" + s, "Spectral norm on D")
        v["noise"] = w(st.select_slider, "noise" + s, "Instance noise σ (annealed to 0)")
        v["ema"] = w(st.select_slider, "ema" + s, "EMA of G's weights (0 = off)")
    with st.expander("Architecture and schedule", expanded=False):
        v["width"] = w(st.select_slider, "width" + s, "Width of G and D")
        v["depth"] = w(st.slider, "depth" + s, "Hidden layers in G and D")
        v["z"] = w(st.slider, "z" + s, "Latent size z")
        v["batch"] = w(st.select_slider, "batch" + s, "Batch size")
        v["d_steps"] = w(st.slider, "d_steps" + s, "D steps per G step")
    return v


def make_config(values: dict, points: tuple = (), base: GANConfig = LAB) -> GANConfig:
    """The validated config for widget values (ValueError with a clear message when it cannot be trained)."""
    return base.replace(
        dataset=values["dataset"], points=points if values["dataset"] == "points" else (), loss=values["loss"],
        lr_g=values["lr_g"], lr_d=values["lr_d"], d_steps=values["d_steps"], batch_size=values["batch"],
        steps=values["steps"], seed=int(values["seed"]), g_width=values["width"], d_width=values["width"],
        g_depth=values["depth"], d_depth=values["depth"], z_dim=values["z"], pack=values["pack"],
        unrolled_steps=values["unrolled"], minibatch_std=values["mbstd"], instance_noise=values["noise"],
        spectral_norm=values["sn"], ema=values["ema"], n_snapshots=min(base.n_snapshots, values["steps"] + 1),
    )


def describe(c: GANConfig) -> str:
    """One line saying what a config is, for captions (e.g. under each side of a comparison)."""
    remedies = [name for name, on in (
        (f"PacGAN{c.pack}", c.pack > 1), (f"unrolled k={c.unrolled_steps}", c.unrolled_steps > 0),
        ("minibatch std", c.minibatch_std), (f"instance noise {c.instance_noise:g}", c.instance_noise > 0),
        ("spectral norm", c.spectral_norm), (f"EMA {c.ema:g}", c.ema > 0)) if on]
    return (f"{LOSS_LABELS[c.loss]} loss · lr G {c.lr_g:g}, D {c.lr_d:g} · {c.steps:,} G steps · width {c.g_width} · "
            f"seed {c.seed}" + (f" · {', '.join(remedies)}" if remedies else ""))
