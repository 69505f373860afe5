"""GANs: GAN Lab in real PyTorch. Train live, replay the snapshots, compare two runs, the math, image GANs.

Layout only: each section is a `render(url)` in explainer/ui/gan/.
"""
import streamlit as st

from explainer.ui import presenter
from explainer.ui.gan import demo, params
from explainer.ui.url_state import UrlState

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
section = presenter.sections(url, params.SECTIONS)


demo.render(url, section)

st.divider()
st.markdown(
    """
**References**
- I. Goodfellow, J. Pouget-Abadie, M. Mirza, B. Xu, D. Warde-Farley, S. Ozair, A. Courville, Y. Bengio,
  "Generative Adversarial Nets", NIPS 2014.
- M. Arjovsky, L. Bottou, "Towards Principled Methods for Training Generative Adversarial Networks", ICLR 2017
  (the non-saturating loss with an optimal D; instance noise, proposed independently by Sønderby et al.).
- C. K. Sønderby, J. Caballero, L. Theis, W. Shi, F. Huszár, "Amortised MAP Inference for Image Super-resolution",
  ICLR 2017 (instance noise, in an appendix).
- Y. Yazıcı, C.-S. Foo, S. Winkler, K.-H. Yap, G. Piliouras, V. Chandrasekhar, "The Unusual Effectiveness of
  Averaging in GAN Training", ICLR 2019 (an EMA of G's weights).
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
