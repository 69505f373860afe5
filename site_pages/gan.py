"""GANs: GAN Lab in real PyTorch. Train live, replay the snapshots, compare two runs, the math, image GANs."""
import streamlit as st

from explainer.ui import charts, jobs, presenter
from explainer.ui.gan import controls, params, plots, views
from explainer.ui.gan.images import image_section
from explainer.ui.gan.points_input import points_input
from explainer.ui.url_state import UrlState

# (name, what D minimises, what G minimises), checked against each paper.
OTHER_LOSSES = [
    ("**WGAN-GP** (Gulrajani et al., 2017), λ = 10, x̂ = εx + (1−ε)x̃",
     r"\mathbb{E}[D(\tilde x)] - \mathbb{E}[D(x)] + \lambda\,\mathbb{E}_{\hat x}"
     r"\big[(\lVert\nabla_{\hat x} D(\hat x)\rVert_2 - 1)^2\big]",
     r"-\mathbb{E}[D(\tilde x)]"),
    ("**Hinge** (Lim & Ye, 2017)", r"\mathbb{E}[\max(0, 1 - D(x))] + \mathbb{E}[\max(0, 1 + D(\tilde x))]",
     r"-\mathbb{E}[D(\tilde x)]"),
    ("**Least squares** (Mao et al.)", r"\tfrac12\mathbb{E}[(D(x) - 1)^2] + \tfrac12\mathbb{E}[D(\tilde x)^2]",
     r"\tfrac12\mathbb{E}[(D(\tilde x) - 1)^2]"),
]

st.title("GANs, trained live")
presenter.prose(
    """
A **generative adversarial network** (Goodfellow et al., 2014) is two networks in a game. The **generator** G
turns random noise z into samples; the **discriminator** D looks at a sample and says how likely it is to be
real. D is trained to tell real from generated, G is trained to fool D. Here both are real PyTorch models,
trained on this server: pick a data set and the knobs, train, then replay the training step by step.
""",
    label="What a GAN is",
)

url = UrlState(params.PAGE, params.specs())
section = url.widget(st.segmented_control, "section", "Section", format_func=params.SECTIONS.get, required=True,
                     label_visibility="collapsed")


def config_or_stop(values: dict, points) -> object:
    try:
        return controls.make_config(values, points or ())
    except ValueError as e:
        st.error(f"This configuration cannot be trained: {e}", icon=":material/error:")
        st.stop()


if section == "lab":
    knobs, main = st.columns([1, 3], gap="large")
    with knobs:
        values = controls.lab_widgets(url)
        points = points_input(url) if values["dataset"] == "points" else ()
    with main:
        if points is None:
            st.stop()
        config = config_or_stop(values, points)
        layers = views.layer_toggles(url)
        jobs.show(config, lambda result: views.lab_result(result, layers),
                  views.live_scene(config, layers), key="lab")

elif section == "compare":
    presenter.prose("Two configurations side by side, same seed: change one thing in B (the loss, a remedy) and "
                    "see what it does. A is the Lab's configuration.", label="How to compare")
    col_a, col_b = st.columns(2, gap="large")
    with col_a, st.expander("Configuration A", expanded=False):
        values_a = controls.lab_widgets(url, compact=True)
    with col_b, st.expander("Configuration B", expanded=False):
        values_b = controls.lab_widgets(url, "_b", compact=True)
    if "points" in (values_a["dataset"], values_b["dataset"]):
        st.info("Comparisons use the built-in data sets; draw your own in the Lab.", icon=":material/info:")
        st.stop()
    configs = [config_or_stop(values_a, ()), config_or_stop(values_b, ())]
    layers = views.layer_toggles(url)
    for col, config, name in zip((col_a, col_b), configs, ("A", "B"), strict=True):
        with col:
            jobs.show(config, lambda result, name=name: views.compact_result(result, layers, name),
                      views.live_scene(config, layers), what=f"configuration {name}", key=f"cmp-{name}")

elif section == "math":
    st.subheader("The game")
    st.latex(r"\min_G \max_D \; V(D,G) = \mathbb{E}_{x\sim p_\text{data}}[\log D(x)]"
             r" + \mathbb{E}_{z\sim p_z}[\log(1 - D(G(z)))]")
    presenter.prose(
        r"""
D maximises $V$: it wants $D(x) \to 1$ on real data and $D(G(z)) \to 0$ on generated data. For a fixed G the
best discriminator is $D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}$, and with it
$V = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g)$, so G minimises the Jensen–Shannon divergence
between the data and its samples; the game's optimum is $p_g = p_\text{data}$ with $D^* = \tfrac12$
everywhere (Goodfellow et al., 2014).
""",
        label="What the optimum is",
    )
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**Minimax (saturating) generator**: minimise")
        st.latex(r"\mathcal{L}_G^\text{minimax} = \mathbb{E}_z[\log(1 - D(G(z)))]")
        st.markdown("**Non-saturating generator** (the fix the same paper recommends): minimise")
        st.latex(r"\mathcal{L}_G^\text{NS} = -\mathbb{E}_z[\log D(G(z))]")
        st.markdown("**Discriminator** (both cases): minimise")
        st.latex(r"\mathcal{L}_D = -\mathbb{E}_x[\log D(x)] - \mathbb{E}_z[\log(1 - D(G(z)))]")
    with right:
        presenter.prose(
            r"""
Early in training G is poor and D rejects its samples confidently: $D(G(z)) \approx 0$. Write
$D = \sigma(a)$ with $a$ the discriminator's logit. Then
$\frac{\partial}{\partial a}\log(1-\sigma(a)) = -\sigma(a) = -D(G(z)) \to 0$: the minimax loss **saturates**
and G gets almost no gradient exactly when it most needs one. The non-saturating loss has
$\frac{\partial}{\partial a}\bigl(-\log\sigma(a)\bigr) = -(1 - D(G(z))) \to -1$: a strong signal. Both losses
have the same fixed point.
""",
            label="Why the minimax loss stalls",
        )
        dgz = url.widget(st.slider, "dgz", "How real D thinks a generated sample is: D(G(z))", step=0.01)
        charts.show(plots.saturation(dgz), key="saturation")
        c1, c2 = st.columns(2)
        c1.metric("Minimax gradient size", f"{dgz:.2f}")
        c2.metric("Non-saturating gradient size", f"{1 - dgz:.2f}")
    st.subheader("The other losses on this page")
    st.caption(r"Here $\tilde x = G(z)$; for these three losses D outputs an unbounded score, not a probability.")
    for name, d_loss, g_loss in OTHER_LOSSES:
        c0, c1, c2 = st.columns([1, 3, 1.4])
        c0.markdown(name)
        with c1:
            st.latex(d_loss)
        with c2:
            st.latex(g_loss)

else:
    image_section(url)

st.divider()
st.markdown(
    """
**References**
- I. Goodfellow, J. Pouget-Abadie, M. Mirza, B. Xu, D. Warde-Farley, S. Ozair, A. Courville, Y. Bengio,
  "Generative Adversarial Nets", NIPS 2014.
- A. Radford, L. Metz, S. Chintala, "Unsupervised Representation Learning with Deep Convolutional Generative
  Adversarial Networks" (DCGAN), ICLR 2016.
- I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin, A. Courville, "Improved Training of Wasserstein GANs",
  NIPS 2017.
- J. H. Lim, J. C. Ye, "Geometric GAN", arXiv:1705.02894, 2017 (the hinge loss).
- X. Mao, Q. Li, H. Xie, R. Y. K. Lau, Z. Wang, S. P. Smolley, "Least Squares Generative Adversarial Networks",
  arXiv:1611.04076.
- Z. Lin, A. Khetan, G. Fanti, S. Oh, "PacGAN: The power of two samples in generative adversarial networks",
  NeurIPS 2018.
- L. Metz, B. Poole, D. Pfau, J. Sohl-Dickstein, "Unrolled Generative Adversarial Networks", ICLR 2017.
- T. Karras, T. Aila, S. Laine, J. Lehtinen, "Progressive Growing of GANs for Improved Quality, Stability, and
  Variation", ICLR 2018 (minibatch standard deviation).
- T. Miyato, T. Kataoka, M. Koyama, Y. Yoshida, "Spectral Normalization for Generative Adversarial Networks",
  ICLR 2018.
- M. Heusel, H. Ramsauer, T. Unterthiner, B. Nessler, S. Hochreiter, "GANs Trained by a Two Time-Scale Update
  Rule Converge to a Local Nash Equilibrium", NIPS 2017.
- A. Karpathy et al., "Generative Models", OpenAI blog, 16 Jun 2016.
- The page's idea follows GAN Lab (github.com/poloclub/ganlab), which trains small GANs in the browser.
"""
)
