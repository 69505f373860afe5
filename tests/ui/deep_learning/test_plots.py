"""The Deep learning page's figures have titles."""
import numpy as np


def test_decision_boundaries_and_feature_maps_have_titles():
    from explainer.ui.deep_learning import plots as dl_plots

    xs = ys = np.linspace(-1, 1, 5)
    probs = np.full((5, 5, 2), 0.5)
    data = {f"{k}_{s}": v for s in ("train", "test")
            for k, v in (("X", np.zeros((2, 2))), ("y", np.array([0, 1])))}
    fig = dl_plots.decision_boundary(xs, ys, probs, data, (-1, 1, -1, 1))
    assert fig.layout.xaxis.title.text == "x₁" and fig.layout.yaxis.title.text == "x₂"
    maps = np.random.default_rng(0).normal(size=(4, 3, 3))
    assert dl_plots.map_grid(maps, signed=True).data[0].colorbar.title.text == "activation"
    assert dl_plots.map_grid(maps, signed=True, value="weight").data[0].colorbar.title.text == "weight"
    assert dl_plots.conv2_filters(np.zeros((2, 2, 3, 3)) + 0.1).data[0].colorbar.title.text == "weight"
