"""Section ③ of the Interpretability page: t-SNE of the CNN's codes, nearest neighbours, what each channel wants."""
import numpy as np
import streamlit as st

from explainer.data.digits import raw_digits
from explainer.deep_learning.cnn import CNNConfig
from explainer.interpretability.learned import FEATURE_VIS, LearnedConfig, codes, nearest
from explainer.runs.result import derived
from explainer.ui import charts, jobs, presenter
from explainer.ui.interpretability import plots
from explainer.ui.interpretability.model import trained
from explainer.ui.interpretability.params import CHANNELS


def render(url) -> None:
    st.header("What the network learned")
    presenter.prose(
        f"""
Before its last layer, the network turns each digit into 256 numbers (conv2's 16 feature maps, pooled to 4×4):
its **code** for the digit. t-SNE (van der Maaten & Hinton, 2008) places points in 2D so that neighbours in the
256-dimensional space stay neighbours on the page. Left, the codes of all 1,797 digits
({1 - CNNConfig().test_fraction:.0%} of them the network's own training digits, so tight clusters partly reflect
what it fitted); right, the same t-SNE of the raw 64 pixels. Karpathy's "t-SNE visualization of CNN codes" did
this for ImageNet images; this is that idea at digit scale. Hover a point to see its digit.
""",
        label="How to read it")
    jobs.show(CNNConfig(), lambda run: jobs.show(LearnedConfig(), lambda learned: _view(url, run, learned),
                                                 what="the t-SNE of the codes", key="interp-learned"),
              what="the digits CNN", key="interp-learned-cnn", autostart=True)


def _view(url, run, learned) -> None:
    arrays = {name: value[0] for name, value in learned.snapshots[-1].arrays.items()}
    images, labels = raw_digits()
    point = url.widget(st.number_input, "point", f"Chosen digit (0 to {len(labels) - 1} of all the digits)", step=1)
    c1, c2 = st.columns(2, gap="medium")
    for col, name, title in ((c1, "tsne_codes", "t-SNE of the CNN's codes (256 numbers)"),
                             (c2, "tsne_pixels", "t-SNE of the raw pixels (64 numbers)")):
        fig = charts.run_figure(learned, name, lambda n=name, t=title: plots.embedding(arrays[n], labels, images, t,
                                                                                       point), point)
        charts.show(fig, key=f"interp:{name}", container=col)
    st.caption(f"t-SNE with perplexity {learned.config_dict['perplexity']:g}, seed {learned.config_dict['seed']}. "
               "Distances between clusters in a t-SNE mean little; what it keeps is who is next to whom.")

    cnn = trained(run)
    feats = derived(run, "codes", lambda: codes(cnn.model, images))
    by_code, by_pixel = nearest(feats, point), nearest(images.reshape(len(images), -1), point)
    same_code, same_pixel = (labels[by_code] == labels[point]).mean(), (labels[by_pixel] == labels[point]).mean()
    st.subheader(f"Nearest neighbours of digit #{point} of all 1,797 (a {labels[point]})")
    charts.show(plots.digit_strip(np.concatenate([images[[point]], images[by_code]]),
                                  ["chosen"] + [str(labels[i]) for i in by_code], 170,
                                  f"In the CNN's code space: {same_code:.0%} are {labels[point]}s"),
                key="interp:nn:codes")
    charts.show(plots.digit_strip(np.concatenate([images[[point]], images[by_pixel]]),
                                  ["chosen"] + [str(labels[i]) for i in by_pixel], 170,
                                  f"In pixel space: {same_pixel:.0%} are {labels[point]}s"),
                key="interp:nn:pixels")

    st.subheader("What each conv2 channel responds to")
    presenter.prose(
        f"""
For one channel of conv2: the six digits (of all 1,797) on which it fires hardest at the centre of its map (the
mean of the middle 2×2 positions, after ReLU), and an input **optimised** to
make it fire (feature visualisation, Olah, Mordvintsev & Schubert, Distill 2017): start from near-black and take
{FEATURE_VIS['steps']} Adam steps (lr {FEATURE_VIS['lr']}) up the channel's activation at the centre of its map,
keeping pixels in range with a sigmoid and regularising with an L2 penalty (weight {FEATURE_VIS['l2']}) so that
only ink that helps stays. One conv2 unit sees a 5×5 patch of the image; the middle 2×2 units together see the
central 6×6 pixels, so the pattern lives there.
""",
        label="How the inputs are made")
    alive = arrays["active_share"] > 0
    charts.show(plots.digit_strip(arrays["feature_vis"], [f"#{k}" if alive[k] else "dead" for k in
                                                          range(len(alive))], 150,
                                  "Optimised inputs of all channels (a dead channel never fires on any digit)"),
                key="interp:vis:all")
    channel = url.widget(st.slider, "channel", "conv2 channel", min_value=0, max_value=CHANNELS - 1)
    top = arrays["top_images"][channel]
    active = float(arrays["active_share"][channel])
    if active == 0:
        st.info(f"Channel {channel} never fires on any of the 1,797 digits (its ReLU output is 0 everywhere): a "
                "dead channel, so it has no top digits and nothing to optimise.", icon=":material/block:")
        return
    c_top, c_vis = st.columns([2.2, 1], gap="large")
    charts.show(plots.digit_strip(images[top], [f"{labels[i]}" for i in top], 200,
                                  f"Channel {channel}'s top digits: centre activation up to "
                                  f"{arrays['digit_centre'][channel]:.2f}"), key="interp:top", container=c_top)
    charts.show(plots.digit_strip(arrays["feature_vis"][channel][None], ["optimised"], 200,
                                  f"Optimised: centre activation {arrays['vis_activation'][channel]:.2f}"),
                key="interp:vis", container=c_vis)
    st.caption(f"Channel {channel} fires (somewhere in its map) on {active:.0%} of the digits.")
