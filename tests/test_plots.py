"""The GAN figure builders: what the replay sends to the browser, and figures built once per finished run."""
import numpy as np

from explainer.runs import result as result_mod
from explainer.runs.result import Snapshot
from explainer.ui.gan import plots
from explainer.ui.gan import views as gan_views
from tests.support.fakes import FakeConfig, fake_result

VIEW = (-2.0, 2.0, -2.0, 2.0)
LAYERS = ("heatmap", "manifold", "arrows", "real", "fake")


def snapshot(step: int, rng) -> Snapshot:
    return Snapshot(step=step, arrays={
        "samples": rng.normal(size=(1, 32, 2)), "d_grid": rng.random((1, 10, 10)),
        "g_grid": rng.normal(size=(1, 6, 6, 2)), "arrows_xy": rng.normal(size=(1, 5, 2)),
        "arrows_uv": rng.normal(size=(1, 5, 2)), "modes_covered": np.array([3.0]),
    })


def test_replay_frames_carry_everything_but_the_real_data():
    rng = np.random.default_rng(0)
    snaps = [snapshot(s, rng) for s in (0, 50, 100)]
    real = rng.normal(size=(40, 2))
    fig = plots.gan_replay(real, snaps, 0, VIEW, LAYERS)
    names = [t.name for t in fig.data]
    assert names == ["D(x)", "G's manifold", "generated", "real", "G's gradient"]  # real drawn over the samples
    assert [f.name for f in fig.frames] == ["0", "50", "100"]
    for frame, snap in zip(fig.frames, snaps, strict=True):
        assert list(frame.traces) == [0, 1, 2, 4]  # every trace except "real", in order
        assert [t.name for t in frame.data] == ["D(x)", "G's manifold", "generated", "G's gradient"]
        np.testing.assert_allclose(np.asarray(frame.data[2].x), snap.arrays["samples"][0, :, 0], rtol=1e-6)
    # the figure shows the last snapshot until the slider moves
    np.testing.assert_allclose(np.asarray(fig.data[2].y), snaps[-1].arrays["samples"][0, :, 1], rtol=1e-6)


def test_manifold_is_every_row_and_column_broken_by_gaps():
    grid = np.stack(np.meshgrid(np.arange(4.0), np.arange(3.0), indexing="ij"), axis=-1)  # (4, 3, 2)
    trace = plots.scene_traces(None, {"g_grid": grid}, VIEW, ("manifold",))[0]
    x = np.asarray(trace.x)
    assert np.isnan(x).sum() == 4 + 3  # one gap after each of the 4 rows and 3 columns
    assert len(x) == 4 * (3 + 1) + 3 * (4 + 1)
    assert x.dtype == np.float32  # sent to the browser as compact base64, not as JSON text


def test_a_figure_is_built_once_per_finished_run():
    calls = []

    def build():
        calls.append(1)
        return object()

    a, b = fake_result(FakeConfig()), fake_result(FakeConfig())  # same key, two runs (e.g. a retrain)
    first = result_mod.derived(a, "replay", build, ("real",), 560)
    assert result_mod.derived(a, "replay", build, ("real",), 560) is first and len(calls) == 1
    assert result_mod.derived(a, "replay", build, ("real", "fake"), 560) is not first  # other layers
    assert result_mod.derived(b, "replay", build, ("real",), 560) is not first  # another run
    assert len(calls) == 3


def test_scatter_png_draws_the_generated_points_where_they_are():
    import io

    from PIL import Image

    samples = np.array([[1.0, 1.0]] * 20)  # one tight cluster in the top-right quadrant
    png = plots.scatter_png(None, samples, VIEW, px=100)
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    assert img.shape == (100, 100, 3)
    purple = (img[:, :, 0] > img[:, :, 1] + 40) & (img[:, :, 2] > img[:, :, 1] + 40)
    rows, cols = np.nonzero(purple)
    assert len(rows) > 0
    # x = 1 is 3/4 of the way across; y = 1 is 1/4 of the way down (image rows grow downwards)
    assert abs(cols.mean() - 75) < 3 and abs(rows.mean() - 25) < 3


def test_presenter_mode_gets_its_own_larger_copy_of_a_cached_chart(monkeypatch):
    from explainer.ui import charts, presenter

    result = fake_result(FakeConfig())
    build = lambda: plots.curves(result.history, {"d_loss": "D loss"})  # noqa: E731
    monkeypatch.setattr(presenter, "is_on", lambda: False)
    normal = gan_views.figure(result, "losses", build)
    monkeypatch.setattr(presenter, "is_on", lambda: True)
    big = gan_views.figure(result, "losses", build)
    assert big is not normal and big.layout.font.size == charts.PRESENTER_FONT > normal.layout.font.size
    assert gan_views.figure(result, "losses", build) is big  # cached per mode


def test_a_run_keeps_only_its_newest_figures():
    result = fake_result(FakeConfig())
    for i in range(result_mod.MAX_DERIVED_PER_RUN + 5):
        result_mod.derived(result, "replay", object, i)
    assert len(result.derived) == result_mod.MAX_DERIVED_PER_RUN
    assert ("replay", 0) not in result.derived and ("replay", result_mod.MAX_DERIVED_PER_RUN + 4) in result.derived


def test_scores_over_training_shows_mean_modes_and_high_quality_per_snapshot():
    import pandas as pd

    history = pd.DataFrame({"step": [0, 0, 5, 10, 10], "seed": [0, 1, 0, 0, 1],
                            "modes_covered": [2.0, 4.0, np.nan, 8.0, 6.0],
                            "high_quality": [0.1, 0.3, np.nan, 0.9, 0.7]})
    fig = plots.scores_over_training(history, 8)
    modes, hq = fig.data
    assert list(modes.x) == [0, 10] and list(modes.y) == [3.0, 7.0]  # unscored rows are left out
    np.testing.assert_allclose(hq.y, [20.0, 80.0])
    assert hq.yaxis == "y2"  # its own axis, in percent


def test_the_saturation_marker_is_the_viewers_choice_not_a_measurement():
    fig = plots.saturation(0.3)
    texts = [a.text for a in fig.layout.annotations]
    assert any(t == "your choice: D(G(z)) = 0.30" for t in texts), texts
    assert not any("this run" in t for t in texts)


def test_scenes_have_axis_titles_and_the_background_a_titled_colour_bar():
    rng = np.random.default_rng(0)
    snap = snapshot(0, rng)
    for fig in (plots.gan_replay(rng.normal(size=(8, 2)), [snap], 0, VIEW, LAYERS),
                plots.gan_scene(None, {k: v[0] for k, v in snap.arrays.items()}, VIEW, LAYERS)):
        assert fig.layout.xaxis.title.text == "x₁" and fig.layout.yaxis.title.text == "x₂"
        [heat] = [t for t in fig.data if t.name == "D(x)"]
        assert heat.showscale and heat.colorbar.title.text == "D: P(real)"
    score = plots.scene_traces(None, {"d_grid": rng.random((4, 4))}, VIEW, ("heatmap",), d_kind="score",
                               d_title=plots.d_colorbar_title("score", 2))[0]
    assert "raw score" in score.colorbar.title.text and "2 copies" in score.colorbar.title.text


def test_the_background_caption_and_loss_legend_follow_the_loss_and_packing():
    from explainer.gan.config import GANConfig

    bce, wgan = GANConfig(), GANConfig(loss="wgan-gp", pack=2)
    assert "probability" in gan_views.background_caption(bce) and "copies" not in gan_views.background_caption(bce)
    caption = gan_views.background_caption(wgan)
    assert "raw score, not a probability" in caption and "percentile" in caption and "2 copies" in caption
    assert gan_views.loss_names(bce)["d_loss"] == "D loss"
    assert gan_views.loss_names(wgan)["d_loss"] == "D loss (incl. λ·GP, λ = 10)"


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


def test_replay_frames_carry_their_own_scores_in_the_title():
    rng = np.random.default_rng(0)
    snaps = [snapshot(s, rng) for s in (0, 50, 100)]
    fig = plots.gan_replay(rng.normal(size=(40, 2)), snaps, 0, VIEW, LAYERS,
                           frame_title=lambda snap: f"step {snap.step}: {snap.arrays['modes_covered'][0]:.0f} modes")
    assert [f.layout.title.text for f in fig.frames] == ["step 0: 3 modes", "step 50: 3 modes", "step 100: 3 modes"]
    assert fig.layout.title.text == "step 100: 3 modes"  # the figure opens on the last snapshot


def test_the_lab_replay_moves_a_marker_on_the_curves_to_each_frames_step():
    import pandas as pd

    from explainer.ui.gan import replay

    rng = np.random.default_rng(0)
    snaps = [snapshot(s, rng) for s in (0, 50, 100)]
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
    snaps = [snapshot(s, rng) for s in (0, 100)]
    history = pd.DataFrame({"step": [0, 100], "seed": 0, "d_loss": [1.0, 1.1], "g_loss": [0.7, 0.9],
                            "modes_covered": [0.0, 3.0], "high_quality": [0.0, 0.5]})
    fig = replay.lab_replay(None, snaps, 0, VIEW, LAYERS, history, {"d_loss": "D loss", "g_loss": "G loss"},
                            n_modes=8, height=700, beside=True)
    assert fig.layout.xaxis.domain[1] < fig.layout.xaxis2.domain[0] == fig.layout.xaxis3.domain[0]
    assert tuple(fig.layout.yaxis.domain) == (0.0, 1.0)  # the scene takes the figure's full height
    [heat] = [t for t in fig.data if t.type == "heatmap"]
    assert fig.layout.xaxis.domain[1] < heat.colorbar.x < fig.layout.xaxis2.domain[0]


def test_a_scene_in_a_wide_column_stays_the_datas_square():
    fig = plots.gan_scene(None, {}, VIEW, ("fake",))
    assert fig.layout.xaxis.constrain == "domain" and fig.layout.yaxis.scaleanchor == "x"
    assert tuple(fig.layout.xaxis.range) == (VIEW[0], VIEW[1])
