"""The image GAN section: the fixed-z sample grid over training, which digits it makes, latent interpolation."""
import numpy as np
import streamlit as st
import torch

from explainer.data import mnist_available
from explainer.gan.config import GANConfig
from explainer.gan.presets import PRESETS
from explainer.gan.sampling import eval_z, load_generator
from explainer.ui import charts, jobs, presenter
from explainer.ui.gan import plots
from explainer.ui.gan import views as gan_views


def render(url) -> None:
    presenter.prose(
        "The same game on images: G maps a 16-number z to an 8×8 handwritten digit (scikit-learn's digits, "
        "which ship with the library). The grid shows the **same 16 z vectors** at every snapshot, so you watch "
        "each sample sharpen. A separate digits classifier then counts which digits G makes: a GAN that "
        "collapses makes only a few kinds.", label="About the image GAN")
    c1, c2, c3 = st.columns(3)
    with c1:
        dataset = url.widget(st.selectbox, "img_data", "Data", format_func={
            "digits": "Digits 8×8 (offline)", "mnist": "MNIST 28×28 (needs a local copy)"}.get)
    with c2:
        steps = url.widget(st.select_slider, "img_steps", "G steps", format_func=lambda n: f"{n:,}")
    with c3:
        seed = url.widget(st.number_input, "img_seed", "Seed", step=1)
    if dataset == "mnist" and not mnist_available():
        st.info("MNIST is not on this server, and the site never downloads at run time. To add it, run "
                "`python -c \"from explainer.data.mnist import download_mnist; download_mnist()\"` on the server "
                "once (it needs a network), or copy `mnist.npz` into the `mnist/` folder of the run cache. The 8×8 "
                "digits work offline.", icon=":material/cloud_off:")
        return
    base = PRESETS["digits"]
    config = base.replace(dataset=dataset, steps=steps, seed=int(seed), n_snapshots=min(base.n_snapshots, steps + 1),
                          arch=base.arch if dataset == "digits" else "dcgan")
    jobs.show(config, lambda result: image_result(result, url), gan_views.live_scene(config, ()), key="images")


def image_result(result, url) -> None:
    gan_views.seed_note(result)
    name = "images_ema" if "images_ema" in result.snapshots[-1].arrays else "images"
    left, right = st.columns([3, 2], gap="medium")
    with left:
        frames = [s.arrays[name][0] for s in result.snapshots if name in s.arrays]
        steps = [s.step for s in result.snapshots if name in s.arrays]
        fig = gan_views.figure(result, "image-replay", lambda: plots.image_replay(frames, steps, cols=4))
        charts.show(fig, key=f"img-replay-{result.key}")
        st.caption("Press ▶ Play to watch the same 16 latent vectors turn into digits.")
    with right:
        gan_views.scores_row(result, 0)
        m = result.metrics.iloc[0]
        shares = [float(m.get(f"class_{k}", np.nan)) for k in range(10)]
        if not np.isnan(shares).all():
            fig = plots.bars(range(10), shares, title="Which digits G makes (share of 2,500 samples)", y_title="share",
                             reference=0.1, x_title="digit (as the classifier labels it)")
            charts.show(fig, key=f"classes-{result.key}")
            st.caption("A digits classifier (trained once on real digits) labels each sample; the dotted line is "
                       "a perfectly even 10%.")
        charts.show(gan_views.loss_curves(result, 220), key=f"img-loss-{result.key}")
    interpolation(result, url)


def interpolation(result, url) -> None:
    st.subheader("Walk through latent space")
    c1, c2 = st.columns(2)
    with c1:
        a = url.widget(st.slider, "from", "From sample")
    with c2:
        b = url.widget(st.slider, "to", "To sample")
    config = GANConfig.of(result)
    g = load_generator(config, result.weights)
    z = eval_z(config, 16)[0]
    t = torch.linspace(0, 1, 10)[:, None]
    path = (1 - t) * z[a] + t * z[b]
    with torch.no_grad():
        images = ((g(path[None]).float()[0, :, 0] + 1) / 2).clamp(0, 1).numpy()
    charts.show(plots.image_grid(images, cols=10, height=170), key=f"interp-{result.key}-{a}-{b}")
    st.caption("Ten evenly spaced points on the straight line between two latent vectors. G is continuous by "
               "construction, so a smooth morph alone proves little; in-between images that still look like digits "
               "suggest G has not merely memorised training digits (comparing each with its nearest training digit "
               "is the direct test).")
