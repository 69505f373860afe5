"""One chart convention for the whole site: every Plotly figure is laid out here and shown through `show`.

- `layout(fig, height, title)`: the shared look (fixed height, tight margins, horizontal legend on top, white paper
  and plot, the app's font in dark text, zoom kept across reruns). Builders call it; they stay pure (plain arrays
  in, a figure out) and set no font sizes of their own.
- `scale(fig)`: one base text size (BASE_FONT) and one presenter size (PRESENTER_FONT) for all of a chart's text:
  axes, ticks, legends, colour bars, sliders and annotations inherit the layout's font, so setting it (and the
  annotations', which Plotly sizes on their own) is enough; a chart's title is TITLE_RATIO times larger (Plotly's
  own 1.4 would clip a title in a narrow column at presenter size: titles do not wrap). `show` applies it;
  per-run caches build one figure per presenter mode and scale it before caching (so a figure that sessions share
  is never changed after it is cached).
- `show(fig, key=None, **kw)`: the one `st.plotly_chart` call. It draws with `theme=None` (Streamlit's theme
  would impose its own, smaller, fonts and colours), at the container's width, with Plotly's toolbar hidden: the
  toolbar floats over the top right of a chart, where our legends and titles sit, on every hover, right after a
  rerun under a still pointer, and always on a touch screen. Nothing it offers is missing for a reader of this
  site: drag still zooms, a double click still resets the axes, and Streamlit's own element toolbar keeps the
  full-screen button (outside the plot). `show(fig, key, live=True)` is for a chart redrawn while the viewer
  watches (a live run): explainer/ui/live_chart.py updates one node in place, where a new `st.plotly_chart` figure
  is a new element the browser mounts blank.
"""
import threading

import plotly.graph_objects as go
import streamlit as st

from explainer.ui import presenter

BASE_FONT = 15  # px: every chart's text
PRESENTER_FONT = 20  # px: the same in presenter mode, read from the back of a room
TITLE_RATIO = 1.2  # a chart title's size, relative to its text
TEXT = "#222222"
FONT_FAMILY = '"Source Sans", "Source Sans Pro", "Source Sans 3", sans-serif'  # the app's own font
COLORWAY = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")  # Okabe–Ito, for any unset colour
CONFIG = {"displayModeBar": False, "displaylogo": False}  # st.plotly_chart's `config`: no floating toolbar


def layout(fig: go.Figure, height: int, title: str | None = None) -> go.Figure:
    """The shared look: fixed height, tight margins, legend on top, white paper and plot, the app's font in dark
    text at the base size, zoom kept across reruns. Returns fig, changed in place."""
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40 if title else 10, b=10),
                      title=dict(text=title, font_size=_title_size(BASE_FONT) if title else None),
                      font=dict(family=FONT_FAMILY, size=BASE_FONT, color=TEXT), colorway=COLORWAY,
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
                      paper_bgcolor="white", plot_bgcolor="white", uirevision="keep")  # keep zoom across reruns
    fig.update_xaxes(automargin=True)  # tight margins that still fit the tick labels and axis titles
    fig.update_yaxes(automargin=True)
    return fig


def _title_size(size: int) -> int:
    return round(size * TITLE_RATIO)


def font_size() -> int:
    """The chart text size in px for the current view."""
    return PRESENTER_FONT if presenter.is_on() else BASE_FONT


def scale(fig: go.Figure, size: int | None = None) -> go.Figure:
    """All of a chart's text at `size` px (default: the current view's): the layout font, which axes, legends,
    colour bars and sliders inherit, every annotation (subplot titles, reference-line labels) and any trace text
    that carries its own size; the title TITLE_RATIO times larger. Only writes what differs, so scaling a scaled
    figure changes nothing. Returns fig."""
    size = size or font_size()
    if fig.layout.font.size != size:
        fig.update_layout(font_size=size)
    if fig.layout.title.text and fig.layout.title.font.size != _title_size(size):
        fig.update_layout(title_font_size=_title_size(size))
    if any(a.font.size != size for a in fig.layout.annotations):
        fig.update_annotations(font_size=size)
    for trace in fig.data:
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and textfont.size is not None and textfont.size != size:
            trace.textfont.size = size
    return fig


def run_figure(result, name: str, build, *args) -> go.Figure:
    """A chart of a finished run, built once per (run, name, args) and per presenter mode (its larger text): scaled
    before it is cached, so `show` finds nothing to change on a figure other sessions share."""
    from explainer.runs.result import derived

    return derived(result, name, lambda: scale(build()), presenter.is_on(), *args)


_PER_SNAPSHOT: dict = {}  # (id(snapshot), name, presenter, *args) -> (snapshot, value), oldest first
_PER_SNAPSHOT_LOCK = threading.Lock()
MAX_PER_SNAPSHOT = 32


def per_snapshot(snapshot, name: str, build, *args):
    """What `build()` draws of one snapshot of a running job (a figure, a list of pictures), built once per
    (snapshot, name, args, presenter mode) and shared by every poll of every viewer: a poll whose job has no new
    snapshot rebuilds nothing, and a classroom watching one job builds it once, not once a viewer. The cache holds
    the snapshot, so its id stays unique."""
    key = (id(snapshot), name, presenter.is_on(), *args)
    hit = _PER_SNAPSHOT.get(key)
    if hit is not None and hit[0] is snapshot:
        return hit[1]
    value = build()
    with _PER_SNAPSHOT_LOCK:
        while len(_PER_SNAPSHOT) >= MAX_PER_SNAPSHOT:
            _PER_SNAPSHOT.pop(next(iter(_PER_SNAPSHOT)))
        _PER_SNAPSHOT[key] = (snapshot, value)
    return value


def snapshot_figure(snapshot, name: str, build, *args) -> go.Figure:
    """A chart of one snapshot of a running job, scaled and shared (`per_snapshot`): Plotly's validation of a
    scene's traces was most of a poll's server time."""
    return per_snapshot(snapshot, name, lambda: scale(build()), *args)


def show(fig: go.Figure, key: str | None = None, *, container=None, live: bool = False, **kw):
    """Draw `fig` (in `container`, a column or other Streamlit container; default: where the script is) the
    site's way: presenter scaling, no Streamlit theme, no floating toolbar, the container's full width. Extra
    keyword arguments go to `st.plotly_chart`. `live=True` (with a key) is for a chart redrawn while the viewer
    watches: it updates one node in place (explainer/ui/live_chart.py) instead of mounting a new chart."""
    config = CONFIG | kw.pop("config", {})
    fig = scale(fig)
    if presenter.is_phone():
        fig = for_a_phone(fig)
    if live:
        from explainer.ui import live_chart

        return live_chart.show(fig, key=key, config=config, container=container)
    return (container or st).plotly_chart(fig, key=key, theme=None, config=config,
                                          width=kw.pop("width", "stretch"), **kw)


PHONE_WIDTH_PX = 340  # a phone's full-width chart, less its margins
CHAR_EM = 0.52  # a character's mean width in the app's font, in em


def _fitted(text: str | None, size: float, room_px: float) -> float | None:
    """A smaller font size at which `text` fits `room_px` on one line, or None when it fits already."""
    if not text:
        return None
    needed = len(text) * CHAR_EM * size
    return max(11, int(size * room_px / needed)) if needed > room_px else None


def for_a_phone(fig: go.Figure) -> go.Figure:
    """`fig` (scaled) with its title and axis titles in a smaller type where they would run past a phone's chart
    (Plotly never wraps a title, and a wrapped one ran into the legend or out of the chart). A copy, and only
    when something is too long: cached figures are shared by every session."""
    sizes = {}
    title_size = fig.layout.title.font.size or _title_size(fig.layout.font.size or BASE_FONT)
    if (fitted := _fitted(fig.layout.title.text, title_size, PHONE_WIDTH_PX)) is not None:
        sizes["title"] = fitted
    plot_px = (fig.layout.height or 450) * 0.6  # the room a y-axis title has, roughly
    for axis in (a for a in fig.layout if a.startswith(("xaxis", "yaxis"))):
        room = PHONE_WIDTH_PX if axis.startswith("x") else plot_px
        if (fitted := _fitted(fig.layout[axis].title.text, fig.layout.font.size or BASE_FONT, room)) is not None:
            sizes[axis] = fitted
    if not sizes:
        return fig
    fig = go.Figure(fig)
    for where, size in sizes.items():
        (fig.layout.title if where == "title" else fig.layout[where].title).font.size = size
    return fig


def graph(dot: str, fontsize: int, container=None, **kw):
    """Draw Graphviz DOT text whose nodes use `fontsize` at the container's width. Streamlit styles every
    element of a graph to 9.6 px of its own font (whatever the DOT says), so text came out at about 8 px on
    screen and overflowed nothing only by luck; this puts the DOT's size back (in the SVG's units, so it
    scales with the drawing, as Graphviz laid it out)."""
    where = container or st
    where.markdown(f"<style>[data-testid=\"stGraphVizChart\"] svg text {{ font-size: {fontsize}px; }}</style>",
                   unsafe_allow_html=True)
    return where.graphviz_chart(dot, width=kw.pop("width", "stretch"), **kw)


def animation_controls(fig: go.Figure, steps: list[int], active: int | None = None, duration_ms: int = 450) -> None:
    """The site's replay control (the GAN Lab's, the driving replay's): a Play/Pause pair and a step slider over
    the figure's frames (named by step), played in the browser without asking the server; `active` is the
    slider's starting position (default: the last frame)."""
    slider_steps = [dict(method="animate", label=f"{s:,}",
                         args=[[str(s)], dict(mode="immediate", frame=dict(duration=0, redraw=True))])
                    for s in steps]
    fig.update_layout(
        updatemenus=[dict(type="buttons", direction="left", x=0, y=-0.02, xanchor="left", yanchor="top",
                          pad=dict(t=30, r=10), buttons=[
                              dict(label="▶ Play", method="animate",
                                   args=[None, dict(frame=dict(duration=duration_ms, redraw=True), fromcurrent=True,
                                                    transition=dict(duration=0))]),
                              dict(label="❚❚", method="animate",
                                   args=[[None], dict(mode="immediate", frame=dict(duration=0, redraw=False))])])],
        sliders=[dict(active=len(steps) - 1 if active is None else active, steps=slider_steps, x=0.12, len=0.84,
                      y=-0.02, yanchor="top",
                      currentvalue=dict(prefix="step ", xanchor="right"), pad=dict(t=30))])
