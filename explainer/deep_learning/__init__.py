"""The engine behind the "Deep learning" page (no Streamlit here).

- `autograd`: a scalar autograd engine in the style of micrograd (Karpathy, 2020).
- `graph`: tiny expressions built on it (a neuron, a 2-2-1 MLP), their Graphviz DOT text and a gradient step.
- `toy2d` + `playground`: an MLP classifier on 2D toy data, steppable, with its decision boundary.
- `digits` + `cnn` + `drawing`: a small CNN on scikit-learn's 8×8 digits (cached weights), its filters and
  feature maps, and a canvas drawing turned into the digits format.
- `recipe`: experiments on digits that follow Karpathy's "A Recipe for Training Neural Networks" (2019).
- `optim`, `init`, `threads`: written-out SGD/Adam, seeded initialisation, one-thread execution.
"""
