"""Interpretability: attribution maps side by side, the sanity checks that test them, what the network learned,
adversarial examples. Layout only: each section is a `render(url)` in explainer/ui/interpretability/, the methods
live in explainer/interpretability/. One URL-bound section picker, so a run draws one section."""
import streamlit as st

from explainer.ui import presenter
from explainer.ui.interpretability import demo, params
from explainer.ui.url_state import UrlState

st.title("Interpretability: looking inside a trained network")
presenter.prose(
    """
How do we see what a trained network does? This page opens the Deep learning page's digits CNN four ways, every
number computed live: six **attribution** methods that colour the pixels a prediction depends on; the **sanity
checks** that show which of those maps depend on the network at all (a pretty saliency map is not yet an
explanation); what the network **learned**, as a t-SNE of its internal codes and the inputs its channels want;
and **adversarial examples** that flip its answer with small, bounded changes to the pixels.
""",
    label="What this page shows",
)
url = UrlState(params.PAGE, params.specs())
section = presenter.sections(url, params.SECTIONS)

demo.render(url, section)

st.header("References")
st.markdown(
    """
- N. Kokhlikyan et al., "Captum: A unified and generic model interpretability library for PyTorch",
  arXiv:2009.07896 (2020): every attribution on this page is Captum's.
- K. Simonyan, A. Vedaldi, A. Zisserman, "Deep Inside Convolutional Networks", ICLR 2014 workshop (gradients).
- M. Sundararajan, A. Taly, Q. Yan, "Axiomatic Attribution for Deep Networks", ICML 2017 (Integrated Gradients).
- D. Smilkov, N. Thorat, B. Kim, F. Viégas, M. Wattenberg, "SmoothGrad: removing noise by adding noise",
  arXiv:1706.03825 (2017).
- R. R. Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based Localization",
  ICCV 2017.
- J. T. Springenberg, A. Dosovitskiy, T. Brox, M. Riedmiller, "Striving for Simplicity: The All Convolutional
  Net", ICLR 2015 workshop (guided backpropagation).
- M. D. Zeiler, R. Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014 (occlusion).
- J. Adebayo, J. Gilmer, M. Muelly, I. Goodfellow, M. Hardt, B. Kim, "Sanity Checks for Saliency Maps",
  NeurIPS 2018 (section ②).
- P.-J. Kindermans et al., "The (Un)reliability of Saliency Methods", arXiv:1711.00867 (2017).
- L. van der Maaten, G. Hinton, "Visualizing Data using t-SNE", JMLR 9:2579–2605, 2008.
- A. Karpathy, "t-SNE visualization of CNN codes", web page (cs.stanford.edu/people/karpathy/cnnembed/): fc7
  features of 50,000 ImageNet validation images embedded with t-SNE (section ③, at digit scale here).
- C. Olah, A. Mordvintsev, L. Schubert, "Feature Visualization", Distill, 2017.
- I. Goodfellow, J. Shlens, C. Szegedy, "Explaining and Harnessing Adversarial Examples", ICLR 2015 (FGSM).
- A. Madry, A. Makelov, L. Schmidt, D. Tsipras, A. Vladu, "Towards Deep Learning Models Resistant to Adversarial
  Attacks", ICLR 2018 (PGD).
- Stanford CS231n (first taught in 2015 by Fei-Fei Li and A. Karpathy), notes "Visualizing what ConvNets learn".
"""
)
