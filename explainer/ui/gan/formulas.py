"""The GAN page's math: the game, the two generator losses, why the minimax one saturates, the other losses."""
import streamlit as st

from explainer.ui import charts, presenter
from explainer.ui.gan import plots

# (name, what D minimises, what G minimises), checked against each paper.
OTHER_LOSSES = [
    ("**WGAN-GP** (Gulrajani et al., 2017), λ = 10, x̂ = εx + (1−ε)x̃ with ε ~ U[0, 1] drawn per sample",
     r"\mathbb{E}[D(\tilde x)] - \mathbb{E}[D(x)] + \lambda\,\mathbb{E}_{\hat x}"
     r"\big[(\lVert\nabla_{\hat x} D(\hat x)\rVert_2 - 1)^2\big]",
     r"-\mathbb{E}[D(\tilde x)]"),
    ("**Hinge** (Lim & Ye, 2017)", r"\mathbb{E}[\max(0, 1 - D(x))] + \mathbb{E}[\max(0, 1 + D(\tilde x))]",
     r"-\mathbb{E}[D(\tilde x)]"),
    ("**Least squares** (Mao et al.)", r"\tfrac12\mathbb{E}[(D(x) - 1)^2] + \tfrac12\mathbb{E}[D(\tilde x)^2]",
     r"\tfrac12\mathbb{E}[(D(\tilde x) - 1)^2]"),
]


def render(url) -> None:
    """The formulas, each beside what it means."""
    st.subheader("The game")
    st.latex(r"\min_G \max_D \; V(D,G) = \mathbb{E}_{x\sim p_\text{data}}[\log D(x)]"
             r" + \mathbb{E}_{z\sim p_z}[\log(1 - D(G(z)))]")
    presenter.prose(
        r"""
D maximises $V$: it wants $D(x) \to 1$ on real data and $D(G(z)) \to 0$ on generated data. For a fixed G the
best discriminator is $D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}$, and with it
$V = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g)$. So **if D is optimal for the current G and G
minimises the minimax loss** (that is, $V$), G minimises the Jensen–Shannon divergence between the data and
its samples; the game's optimum is $p_g = p_\text{data}$ with $D^* = \tfrac12$ everywhere
(Goodfellow et al., 2014). Neither condition holds in practice: D is trained a step at a time, and this page
defaults to the non-saturating loss. With that loss and an optimal D, G's expected gradient is the gradient of
$\mathrm{KL}(p_g \,\|\, p_\text{data}) - 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g)$, not of the JSD (Arjovsky &
Bottou, ICLR 2017, Theorem 2.5: an equality of gradients at that point, not of objectives).
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
        in_practice = measured_in_practice()
        if in_practice:
            presenter.prose(in_practice, label="What the two losses did on this page's ring")
    st.subheader("The other losses on this page")
    st.caption(r"Here $\tilde x = G(z)$; for these three losses D outputs an unbounded score, not a probability.")
    h0, h1, h2 = st.columns([1, 3, 1.4])
    h0.markdown("**Loss**")
    h1.markdown("**D minimises**")
    h2.markdown("**G minimises**")
    for name, d_loss, g_loss in OTHER_LOSSES:
        c0, c1, c2 = st.columns([1, 3, 1.4])
        c0.markdown(name)
        with c1:
            st.latex(d_loss)
        with c2:
            st.latex(g_loss)


def measured_in_practice() -> str | None:
    """What the shipped 10-seed runs of the two losses (the Mode collapse page's) show, or None when they are not
    on disk: the saturation bounds a gradient; whether it stalls training is measured, not assumed."""
    from explainer.gan.presets import PRESETS
    from explainer.ui import jobs

    found = {name: jobs.find(PRESETS[name]) for name in ("vanilla", "minimax")}
    if any(job is None or not job.view().finished for job in found.values()):
        return None
    return losses_compared(found["vanilla"].result.metrics, found["minimax"].result.metrics)


def losses_compared(nonsaturating, minimax) -> str:
    from explainer.mode_collapse.summary import COLLAPSED_MAX_MODES, COVERS, NOT_CONVERGED_HQ, outcome_counts

    def said(metrics):
        return (f"{outcome_counts(metrics)[COVERS]} of {len(metrics)} seeds covered more than {COLLAPSED_MAX_MODES} "
                f"modes with at least {NOT_CONVERGED_HQ:.0%} of samples high quality")

    ok_ns, ok_mm = (outcome_counts(m)[COVERS] for m in (nonsaturating, minimax))
    verdict = ("so here the minimax loss did no worse: the small gradient is real, but whether it stalls training "
               "depends on how confident D gets" if ok_mm >= ok_ns else "so here the minimax loss did worse")
    return (f"Measured on this page's ring of 8 (3,000 steps, Adam; the Mode collapse page's runs): with the "
            f"non-saturating loss {said(nonsaturating)}, with the minimax loss {said(minimax)}; {verdict}.")
