"""The one chart convention: every figure laid out, scaled and shown one way."""
import base64
import inspect
import io
import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from explainer.runs.result import Snapshot
from explainer.ui import charts, presenter
from explainer.ui.deep_learning import plots as dl_plots
from explainer.ui.gan import plots as gan_plots
from explainer.ui.gan.replay import lab_replay
from explainer.ui.mode_collapse import views as mc_views
from tests.support.apptest import ROOT


class Recorder:
    """Stands in for a Streamlit container: records what `show` asks it to draw."""

    def __init__(self):
        self.calls = []

    def plotly_chart(self, fig, **kw):
        self.calls.append((fig, kw))


def show(fig, **kw):
    where = Recorder()
    charts.show(fig, container=where, **kw)
    [(shown, options)] = where.calls
    return shown, options


def test_show_hides_the_toolbar_and_draws_without_the_streamlit_theme():
    fig, options = show(charts.layout(go.Figure(go.Scatter(x=[0, 1], y=[1, 0])), 200), key="k")
    assert options["config"]["displayModeBar"] is False and options["config"]["displaylogo"] is False
    assert options["theme"] is None and options["width"] == "stretch" and options["key"] == "k"
    _, options = show(go.Figure(), config={"scrollZoom": True})  # a caller's extra config keeps the rest
    assert options["config"] == {**charts.CONFIG, "scrollZoom": True}


def test_the_toolbar_setting_reaches_the_browser():
    from streamlit.testing.v1 import AppTest

    def script():
        import plotly.graph_objects as go

        from explainer.ui import charts

        charts.show(charts.layout(go.Figure(go.Bar(x=["a"], y=[1])), 200), key="bar")

    at = AppTest.from_function(script).run()
    assert not at.exception
    [chart] = at.get("plotly_chart")
    assert json.loads(chart.proto.config)["displayModeBar"] is False
    assert chart.proto.theme == ""  # theme=None


def sample_figures() -> dict[str, go.Figure]:
    """One figure of each kind of text: titles, subplot titles, reference-line labels, legends, colour bars,
    heatmap cell text, slider labels."""
    rng = np.random.default_rng(0)
    history = pd.DataFrame({"step": [0, 10, 20] * 2, "seed": [0] * 3 + [1] * 3, "d_loss": rng.random(6),
                            "g_loss": rng.random(6)})
    curves = pd.DataFrame({"run": ["a"] * 3 + ["b"] * 3, "step": [0, 1, 2] * 2, "train_loss": rng.random(6),
                           "val_loss": rng.random(6), "diverged": [False] * 6})
    summary = pd.DataFrame({"configuration": ["x", "y"], "modes (of 8)": [8.0, 3.0], "± modes": [0.0, 1.0],
                            "high quality %": [90.0, 40.0], "± HQ": [1.0, 5.0]})
    snap = Snapshot(step=5, arrays={"samples": rng.normal(size=(1, 16, 2))})
    return {
        "gan curves": gan_plots.curves(history, {"d_loss": "D loss", "g_loss": "G loss"}, title="losses",
                                       y_title="loss"),
        "gan bars": gan_plots.bars(range(10), rng.random(10), title="digits", y_title="share", reference=0.1),
        "saturation": gan_plots.saturation(0.3),
        "lab replay": lab_replay(None, [snap], 0, (-2, 2, -2, 2), ("fake",), history.assign(
            modes_covered=3.0, high_quality=0.5), {"d_loss": "D loss", "g_loss": "G loss"}, n_modes=8),
        "comparison, modes": mc_views.comparison_charts(summary)[0],
        "comparison, quality": mc_views.comparison_charts(summary)[1],
        "run curves": dl_plots.run_curves(curves, "train_loss", y_title="loss", dashed="val_loss",
                                          reference=(2.3, "ln 10")),
        "overfitting grid": dl_plots.overfitting_grid(curves),
        "map grid": dl_plots.map_grid(rng.normal(size=(4, 3, 3)), signed=True, cols=2, width=400),
        "confusion": dl_plots.confusion_matrix(rng.integers(0, 5, size=(10, 10))),
        "digit": dl_plots.digit_image(rng.random((8, 8)) * 16, "a digit"),
    }


def text_sizes(fig: go.Figure) -> dict[str, float]:
    """The size in px every piece of text of `fig` is drawn at: its own size, else the layout font it inherits
    (Plotly draws a title without a size of its own 1.4 × larger than the layout font)."""
    base = fig.layout.font.size
    own = lambda font, default=base: font.size if font.size is not None else default  # noqa: E731
    sizes = {"layout": base}
    if fig.layout.title.text:
        sizes["title"] = own(fig.layout.title.font, base * 1.4)
    sizes["legend"] = own(fig.layout.legend.font)
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        sizes[f"{axis.plotly_name} title"] = own(axis.title.font)
        sizes[f"{axis.plotly_name} ticks"] = own(axis.tickfont)
    for i, note in enumerate(fig.layout.annotations):
        sizes[f"annotation {i} {note.text!r}"] = own(note.font)
    for i, slider in enumerate(fig.layout.sliders):
        sizes[f"slider {i}"] = own(slider.font)
        sizes[f"slider {i} value"] = own(slider.currentvalue.font)
    for i, trace in enumerate(fig.data):
        if getattr(trace, "textfont", None) is not None:
            sizes[f"trace {i} text"] = own(trace.textfont)
        if getattr(trace, "colorbar", None) is not None and getattr(trace, "showscale", None) is not False:
            sizes[f"trace {i} colour bar"] = own(trace.colorbar.tickfont)
    return sizes


@pytest.mark.parametrize("name", list(sample_figures()))
def test_presenter_mode_draws_every_chart_text_at_20_px_or_more(name, monkeypatch):
    monkeypatch.setattr(presenter, "is_on", lambda: True)
    fig, _ = show(sample_figures()[name])
    sizes = text_sizes(fig)
    assert charts.PRESENTER_FONT >= 20
    assert {part: size for part, size in sizes.items() if size < charts.PRESENTER_FONT} == {}
    assert fig.layout.font.color == charts.TEXT  # dark text, not Plotly's default blue-grey


@pytest.mark.parametrize("name", list(sample_figures()))
def test_normal_mode_draws_chart_text_at_one_base_size(name, monkeypatch):
    monkeypatch.setattr(presenter, "is_on", lambda: False)
    fig, _ = show(sample_figures()[name])
    sizes = text_sizes(fig)
    assert sizes.pop("title", charts.BASE_FONT * charts.TITLE_RATIO) == round(charts.BASE_FONT * charts.TITLE_RATIO)
    assert {part: size for part, size in sizes.items() if size != charts.BASE_FONT} == {}


def test_scaling_a_scaled_figure_changes_nothing():
    fig = charts.scale(sample_figures()["overfitting grid"], charts.PRESENTER_FONT)
    before = fig.to_json()
    fig.update_layout = fig.update_annotations = None  # a second pass must not even write
    assert charts.scale(fig, charts.PRESENTER_FONT).to_json() == before


def test_the_playground_boundary_is_a_png_from_the_shared_encoder():
    xs = ys = np.linspace(-1, 1, 4)
    probs = np.full((4, 4, 2), 0.5)
    data = {f"{a}_{s}": v for s in ("train", "test")
            for a, v in (("X", np.zeros((2, 2))), ("y", np.array([0, 1])))}
    fig = dl_plots.decision_boundary(xs, ys, probs, data, (-1, 1, -1, 1))
    source = fig.data[0].source
    assert source.startswith("data:image/png;base64,")
    assert np.asarray(Image.open(io.BytesIO(base64.b64decode(source.split(",", 1)[1])))).shape == (4, 4, 3)


def test_no_builder_takes_a_font_argument():
    for module in (gan_plots, dl_plots):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__:
                assert "font" not in inspect.signature(fn).parameters, f"{module.__name__}.{name}"


def test_every_chart_goes_through_charts_show():
    """No module but explainer/ui/charts.py calls st.plotly_chart (on st, a column or any other container)."""
    call = re.compile(r"\.plotly_chart\s*\(")
    offenders = []
    for path in [ROOT / "app.py", *(ROOT / "site_pages").rglob("*.py"), *(ROOT / "explainer").rglob("*.py")]:
        if path == ROOT / "explainer" / "ui" / "charts.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if call.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
    assert call.search((ROOT / "explainer" / "ui" / "charts.py").read_text(encoding="utf-8"))


def test_presenter_slides_put_every_small_multiple_in_one_row(monkeypatch):
    monkeypatch.setattr(presenter, "is_on", lambda: True)
    assert presenter.per_row(10, 5) == 10  # ten seed pictures: one row, none below the fold
    monkeypatch.setattr(presenter, "is_on", lambda: False)
    assert presenter.per_row(10, 5) == 5


def test_phones_keep_small_multiples_two_abreast_and_sharp():
    from tests.support.apptest import run_page

    at = run_page("site_pages/home.py")
    css = " ".join(m.value for m in at.markdown if "<style>" in m.value)
    assert "@media (max-width: 640px)" in css and "calc(50% - 0.5rem)" in css  # on every page, not only presenter
    assert "[data-testid=\"stTable\"] { font-size: 0.8rem; }" in css  # long static tables, tighter
    png = gan_plots.scatter_png(None, np.zeros((4, 2)), (-1, 1, -1, 1))
    assert Image.open(io.BytesIO(png)).size == (480, 480)  # 3 device px a CSS px at ~170 px wide


def test_a_live_snapshot_figure_is_built_once_for_every_poll_that_shows_it():
    """Polls that find no new snapshot rebuild nothing: one build per (snapshot, name, args), shared."""
    from explainer.runs.result import Snapshot
    from explainer.ui import charts
    from explainer.ui.gan import plots

    builds = []

    def build(snap):
        builds.append(snap.step)
        return plots.image_grid(snap.arrays["images"][0])

    import numpy as np

    first, second = (Snapshot(step=s, arrays={"images": np.zeros((1, 4, 8, 8), np.float32)}) for s in (0, 10))
    figs = [charts.snapshot_figure(first, "test", lambda: build(first), 480) for _ in range(3)]
    assert builds == [0] and figs[0] is figs[1] is figs[2]
    assert charts.snapshot_figure(second, "test", lambda: build(second), 480) is not figs[0] and builds == [0, 10]
    charts.snapshot_figure(first, "test", lambda: build(first), 420)  # other args: another figure
    assert builds == [0, 10, 0]
