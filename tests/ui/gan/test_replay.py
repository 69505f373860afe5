"""The GAN Lab's replay: what the browser gets, a marker on the curves."""
import numpy as np

from tests.support.fakes import fake_snapshot

VIEW = (-2.0, 2.0, -2.0, 2.0)


LAYERS = ("heatmap", "manifold", "arrows", "real", "fake")


def test_replay_frames_carry_everything_but_the_real_data():
    import pandas as pd

    from explainer.ui.gan import replay

    rng = np.random.default_rng(0)
    snaps = [fake_snapshot(s, rng) for s in (0, 50, 100)]
    history = pd.DataFrame({"step": [0, 50, 100], "seed": 0, "d_loss": [np.nan, 1.2, 1.1],
                            "g_loss": [np.nan, 0.7, 0.9]})
    fig = replay.lab_replay(rng.normal(size=(40, 2)), snaps, 0, VIEW, LAYERS, history,
                            {"d_loss": "D loss", "g_loss": "G loss"})
    names = [t.name for t in fig.data]
    assert names[:5] == ["D(x)", "G's manifold", "generated", "real", "G's gradient"]  # real over the samples
    assert [f.name for f in fig.frames] == ["0", "50", "100"]
    for frame, snap in zip(fig.frames, snaps, strict=True):
        scene = [t for t in frame.data if t.name in names[:5]]
        assert [t.name for t in scene] == ["D(x)", "G's manifold", "generated", "G's gradient"]  # no "real"
        assert 3 not in frame.traces  # the real data's trace is never replaced
        np.testing.assert_allclose(np.asarray(scene[2].x), snap.arrays["samples"][0, :, 0], rtol=1e-6)
    # the figure shows the last snapshot until the slider moves
    np.testing.assert_allclose(np.asarray(fig.data[2].y), snaps[-1].arrays["samples"][0, :, 1], rtol=1e-6)


def test_the_lab_replay_moves_a_marker_on_the_curves_to_each_frames_step():
    import pandas as pd

    from explainer.ui.gan import replay

    rng = np.random.default_rng(0)
    snaps = [fake_snapshot(s, rng) for s in (0, 50, 100)]
    history = pd.DataFrame({"step": [0, 50, 100], "seed": 0, "d_loss": [np.nan, 1.2, 1.1],
                            "g_loss": [np.nan, 0.7, 0.9], "modes_covered": [0.0, 3.0, 3.0],
                            "high_quality": [0.0, 0.5, 0.6]})
    fig = replay.lab_replay(rng.normal(size=(40, 2)), snaps, 0, VIEW, LAYERS, history,
                            {"d_loss": "D loss", "g_loss": "G loss"}, n_modes=8,
                            frame_title=lambda snap: f"step {snap.step}")
    markers = [i for i, t in enumerate(fig.data) if t.name == replay.MARKER]
    assert len(markers) == 2  # on the losses and on the scores
    assert [fig.data[i].x for i in markers] == [(100, 100)] * 2  # the figure opens on the last snapshot
    for frame, snap in zip(fig.frames, snaps, strict=True):
        moved = dict(zip(frame.traces, frame.data, strict=True))
        assert all(moved[i].x == (snap.step, snap.step) for i in markers)
        assert "real" not in [t.name for t in frame.data]  # the real data never changes
        assert frame.layout.title.text == f"step {snap.step}"
    [heat] = [t for t in fig.data if t.type == "heatmap"]
    assert heat.colorbar.len < 0.6  # beside the scene, not down the whole figure
    assert fig.layout.xaxis3.matches == "x2"  # losses and scores on one step axis


def test_on_a_slide_the_lab_replay_puts_its_curves_beside_the_scene():
    import pandas as pd

    from explainer.ui.gan import replay

    rng = np.random.default_rng(0)
    snaps = [fake_snapshot(s, rng) for s in (0, 100)]
    history = pd.DataFrame({"step": [0, 100], "seed": 0, "d_loss": [1.0, 1.1], "g_loss": [0.7, 0.9],
                            "modes_covered": [0.0, 3.0], "high_quality": [0.0, 0.5]})
    fig = replay.lab_replay(None, snaps, 0, VIEW, LAYERS, history, {"d_loss": "D loss", "g_loss": "G loss"},
                            n_modes=8, height=700, beside=True)
    assert fig.layout.xaxis.domain[1] < fig.layout.xaxis2.domain[0] == fig.layout.xaxis3.domain[0]
    assert tuple(fig.layout.yaxis.domain) == (0.0, 1.0)  # the scene takes the figure's full height
    [heat] = [t for t in fig.data if t.type == "heatmap"]
    assert fig.layout.xaxis.domain[1] < heat.colorbar.x < fig.layout.xaxis2.domain[0]
