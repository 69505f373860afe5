"""The GAN figure builders."""
import numpy as np

from explainer.ui.gan import plots
from tests.support.fakes import fake_snapshot

VIEW = (-2.0, 2.0, -2.0, 2.0)


LAYERS = ("heatmap", "manifold", "arrows", "real", "fake")


def test_manifold_is_every_row_and_column_broken_by_gaps():
    grid = np.stack(np.meshgrid(np.arange(4.0), np.arange(3.0), indexing="ij"), axis=-1)  # (4, 3, 2)
    trace = plots.scene_traces(None, {"g_grid": grid}, VIEW, ("manifold",))[0]
    x = np.asarray(trace.x)
    assert np.isnan(x).sum() == 4 + 3  # one gap after each of the 4 rows and 3 columns
    assert len(x) == 4 * (3 + 1) + 3 * (4 + 1)
    assert x.dtype == np.float32  # sent to the browser as compact base64, not as JSON text


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
    snap = fake_snapshot(0, rng)
    fig = plots.gan_scene(None, {k: v[0] for k, v in snap.arrays.items()}, VIEW, LAYERS)
    assert fig.layout.xaxis.title.text == "x₁" and fig.layout.yaxis.title.text == "x₂"
    [heat] = [t for t in fig.data if t.name == "D(x)"]
    assert heat.showscale and heat.colorbar.title.text == "D: P(real)"
    score = plots.scene_traces(None, {"d_grid": rng.random((4, 4))}, VIEW, ("heatmap",), d_kind="score",
                               d_title=plots.d_colorbar_title("score", 2))[0]
    assert "raw score" in score.colorbar.title.text and "2 copies" in score.colorbar.title.text


def test_a_scene_in_a_wide_column_stays_the_datas_square():
    fig = plots.gan_scene(None, {}, VIEW, ("fake",))
    assert fig.layout.xaxis.constrain == "domain" and fig.layout.yaxis.scaleanchor == "x"
    assert tuple(fig.layout.xaxis.range) == (VIEW[0], VIEW[1])


def test_with_an_ema_the_scene_draws_the_scored_samples_and_says_which_is_which():
    rng = np.random.default_rng(0)
    arrays = {k: v[0] for k, v in fake_snapshot(0, rng).arrays.items()}
    arrays["samples_ema"] = rng.normal(size=(32, 2))
    names = [t.name for t in plots.scene_traces(None, arrays, VIEW, LAYERS)]
    assert "generated (raw G)" in names and "generated (EMA of G: scored)" in names and "generated" not in names
    [ema] = [t for t in plots.scene_traces(None, arrays, VIEW, LAYERS) if t.name.startswith("generated (EMA")]
    np.testing.assert_allclose(np.asarray(ema.x), arrays["samples_ema"][:, 0], rtol=1e-6)
