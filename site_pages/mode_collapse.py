"""Mode collapse: reproduce it across seeds, measure it with the PacGAN protocol, compare the remedies."""
import streamlit as st

from explainer.ui import presenter
from explainer.ui.mode_collapse import demo, params
from explainer.ui.url_state import UrlState

st.title("Mode collapse, measured")
presenter.prose(
    """
A GAN **collapses** when its generator finds a few outputs that fool the discriminator and keeps making only
those: asked for a ring of eight blobs, it draws only a few of them, each very crisp. The samples look good one by
one; what is missing is variety. It is hard to spot in a single run, so here the **same configuration is
trained with several seeds at once** (one batched model on the server), and every seed is scored.
""",
    label="What mode collapse is",
)

url = UrlState(params.PAGE, params.specs())
for section in params.SECTIONS:
    demo.render(url, section)
st.divider()
st.markdown(
    """
**References**
- Z. Lin, A. Khetan, G. Fanti, S. Oh, "PacGAN: The power of two samples in generative adversarial networks",
  NeurIPS 2018.
- A. Srivastava, L. Valkov, C. Russell, M. Gutmann, C. Sutton, "VEEGAN: Reducing Mode Collapse in GANs using
  Implicit Variational Learning", arXiv:1705.07761.
- L. Metz, B. Poole, D. Pfau, J. Sohl-Dickstein, "Unrolled Generative Adversarial Networks", ICLR 2017.
- T. Salimans, I. Goodfellow, W. Zaremba, V. Cheung, A. Radford, X. Chen, "Improved Techniques for Training
  GANs", NIPS 2016 (minibatch discrimination, aimed at mode collapse).
- T. Karras, T. Aila, S. Laine, J. Lehtinen, "Progressive Growing of GANs for Improved Quality, Stability, and
  Variation", ICLR 2018 (minibatch standard deviation, a simplified minibatch discrimination).
- I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin, A. Courville, "Improved Training of Wasserstein GANs",
  NIPS 2017.
- I. Goodfellow et al., "Generative Adversarial Nets", NIPS 2014.
"""
)
