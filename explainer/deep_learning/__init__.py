"""The engine behind the "Deep learning" page (no Streamlit here).

- `autograd`: a scalar autograd engine in the style of micrograd (Karpathy, 2020).
- `graph`: tiny expressions built on it (a neuron, a 2-2-1 MLP), their Graphviz DOT text and a gradient step.
- `playground`: an MLP classifier on 2D toy data (explainer.data.labelled), steppable, with its decision boundary.
- `cnn` + `drawing`: a small CNN on scikit-learn's 8×8 digits (explainer.data.digits; a shipped run), its filters
  and feature maps, and a canvas drawing turned into the digits format.
- `recipe`: experiments on digits that follow Karpathy's "A Recipe for Training Neural Networks" (2019).
- `optim`, `init`: written-out SGD/Adam, initialisation from a private generator.
- `experiment`, `presets`, `topic`: what the recipe experiments share, the runs that ship, the registration.
"""
