"""Deep learning: a neuron and backprop, a playground that trains live, a CNN you can open, the recipe for training.

Layout only: each section is a `render(url)` in explainer/ui/deep_learning/, the models live in
explainer/deep_learning/. One URL-bound section picker, so a run draws one section.
"""
import streamlit as st

from explainer.ui import presenter
from explainer.ui.deep_learning import demo, params
from explainer.ui.url_state import UrlState

st.title("Deep learning: how a network learns")
presenter.prose(
    """
A neural network learns by **gradient descent**: measure how wrong it is (the *loss*), work out how the loss
changes when each parameter moves a little (the *gradient*, computed by *backpropagation*), and move every
parameter a small step downhill. This page shows that loop at four scales, every number computed live: one neuron
whose every gradient you can read, a network that trains while you watch, a convolutional network whose every
activation you can open, and the checks that make training work in practice.
""",
    label="What this page shows",
)
url = UrlState(params.PAGE, params.specs())
section = presenter.sections(url, params.SECTIONS)


demo.render(url, section)

st.header("References")
st.markdown(
    """
- A. Karpathy, *micrograd*, a tiny scalar autograd engine and neural-net library (GitHub, 2020): the style of the
  engine behind section ①.
- A. Karpathy, "Yes you should understand backprop", Medium, 19 Dec 2016.
- A. Karpathy, "A Recipe for Training Neural Networks", blog, 25 Apr 2019: the experiments of section ④.
- I. Loshchilov, F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019: why an L2 penalty under Adam is
  not weight decay (section ④).
- A. Karpathy, *Neural Networks: Zero to Hero*, a video course on YouTube that starts by building micrograd;
  the example neuron of section ① is the one from its first lecture.
- Stanford CS231n, *Convolutional Neural Networks for Visual Recognition*, first taught in Winter 2015 by
  Fei-Fei Li and A. Karpathy; its notes "Visualizing what ConvNets learn" show filters and activations as here.
- I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT Press, 2016.
- Inspirations: *TensorFlow Playground* (playground.tensorflow.org), for section ②, and Karpathy's *ConvNetJS*
  (2014), neural networks trained live in the browser.
"""
)
