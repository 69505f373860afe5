"""The Lab's replay: the 2D scene, the loss curves and the scores over training in one animated figure.

One figure, because a Plotly animation moves only its own figure: the step slider and ▶ Play replace the scene's
traces, move a marker to the frame's step on the loss and score curves, and write the frame's scores into the
title, all in the browser (no server round trip per frame). The curves themselves never change, so frames carry
only the scene's moving traces and the two two-point markers.
"""
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explainer.ui import charts
from explainer.ui.gan import plots

MARKER = "this frame"  # the step markers' name
MARKER_LINE = dict(color=charts.TEXT, width=2, dash="dot")
# px: above, the two-line title and a legend that wraps to three rows on a phone; below, the step axis's title,
# Play and the slider
MARGIN_T, MARGIN_B = 130, 150
BESIDE = ([0.0, 1.0], [0.6, 0.92], [0.0, 0.42])  # the scene, the losses, the scores: curves right of the scene


def marker(step: int, lo: float, hi: float) -> go.Scatter:
    """A vertical line at `step` from lo to hi (two points: cheap to send in every frame)."""
    return go.Scatter(x=[step, step], y=[lo, hi], mode="lines", line=MARKER_LINE, name=MARKER, hoverinfo="skip",
                      showlegend=False)


def lab_replay(real, snapshots: list, seed_index: int, view, layers, history: pd.DataFrame,
               loss_labels: dict[str, str], n_modes: int | None = None, height: int = 900,
               d_kind: str = "probability", d_title: str | None = None, frame_title=None,
               beside: bool = False) -> go.Figure:
    """The scene on top; below it, on one step axis, the losses and (with `n_modes`) modes covered and the
    high-quality share; a marker on both at the frame's step. `frame_title(snap)` titles each frame. `beside`
    puts the curves to the right of the scene instead (a wide, short figure: a presenter's slide)."""
    scored = n_modes is not None and "modes_covered" in history and history["modes_covered"].notna().any()
    rows = 3 if scored else 2
    specs = [[{}], [{}]] + ([[{"secondary_y": True}]] if scored else [])
    fig = make_subplots(rows=rows, cols=1, specs=specs)
    domains = (BESIDE if scored else BESIDE[:2]) if beside else _domains(height, scored, bool(frame_title))
    x_domains = ([0.0, 0.44], [0.63, 1.0], [0.63, 1.0]) if beside else ([0.0, 1.0],) * 3
    for row, (domain, x_domain) in enumerate(zip(domains, x_domains, strict=False), start=1):
        fig.update_yaxes(domain=domain, row=row, col=1)
        fig.update_xaxes(domain=x_domain, row=row, col=1)
    bar_x = {"x": 0.455, "xanchor": "left"} if beside else {}
    seed = lambda snap: {k: v[seed_index] for k, v in snap.arrays.items() if np.ndim(v) > 1}  # noqa: E731

    def scene(snap, which):  # the colour bar beside the scene only, not down the whole figure (in every frame too)
        traces = plots.scene_traces(real, seed(snap), view, which, d_kind=d_kind, d_title=d_title)
        for trace in traces:
            if trace.type == "heatmap":
                trace.colorbar.update(y=domains[0][1], yanchor="top", len=domains[0][1] - domains[0][0], **bar_x)
        return traces

    for trace in scene(snapshots[-1], layers):
        fig.add_trace(trace, row=1, col=1)
    moving = [i for i, trace in enumerate(fig.data) if trace.name != "real"]

    loss_range = plots.shared_range([history], tuple(loss_labels))
    for trace in plots.curves(history, loss_labels, band=False).data:
        fig.add_trace(trace.update(legend="legend2"), row=2, col=1)
    bounds = [loss_range or (0.0, 1.0)]
    if scored:
        for trace in plots.scores_over_training(history, n_modes).data:
            fig.add_trace(trace.update(legend="legend3"), row=3, col=1, secondary_y=trace.yaxis == "y2")
        bounds.append((0.0, n_modes * 1.05))
    last = snapshots[-1].step
    for row, (lo, hi) in enumerate(bounds, start=2):
        moving.append(len(fig.data))
        fig.add_trace(marker(last, lo, hi), row=row, col=1)  # no legend entry: one row of legend on a phone

    def frame_data(snap):
        return scene(snap, tuple(layer for layer in layers if layer != "real")) + [
            marker(snap.step, lo, hi) for lo, hi in bounds]

    titled = (lambda snap: {"layout": go.Layout(title_text=frame_title(snap))}) if frame_title else (lambda snap: {})
    fig.frames = [go.Frame(data=frame_data(s), traces=moving, name=str(s.step), **titled(s)) for s in snapshots]
    plots.animation_controls(fig, [s.step for s in snapshots])
    fig.layout.sliders[0].pad.t = fig.layout.updatemenus[0].pad.t = 65  # below the step axis and its title
    _axes(fig, view, rows, scored, loss_range, n_modes)
    charts.layout(fig, height, frame_title(snapshots[-1]) if frame_title else None)
    _legends(fig, rows)
    fig.update_layout(margin=dict(b=MARGIN_B, t=MARGIN_T if frame_title else MARGIN_T - 40))
    if frame_title:
        # pad: Plotly anchors a two-line title by its first line, so without it the top line is cut off
        fig.update_layout(title=dict(y=1.0, yanchor="top", x=0.5, xanchor="center", pad=dict(t=30)))
    return fig


def _domains(height: int, scored: bool, titled: bool) -> tuple:
    """The panels' vertical domains: gaps in px (the scene's tick labels, its x title and the next panel's legend
    need about 100 px at presenter size, whatever the figure's height), the rest shared 3 : 1 : 1."""
    area = height - (MARGIN_T if titled else MARGIN_T - 40) - MARGIN_B
    below_scene, below_loss = 105 / area, 60 / area
    if not scored:
        rest = 1 - below_scene
        return [0.3 * rest + below_scene, 1.0], [0.0, 0.3 * rest]
    unit = (1 - below_scene - below_loss) / 5
    return [2 * unit + below_loss + below_scene, 1.0], [unit + below_loss, 2 * unit + below_loss], [0.0, unit]


def _axes(fig: go.Figure, view, rows: int, scored: bool, loss_range, n_modes) -> None:
    x0, x1, y0, y1 = view
    fig.update_xaxes(range=[x0, x1], showgrid=False, zeroline=False, title="x₁", constrain="domain", row=1, col=1)
    fig.update_yaxes(range=[y0, y1], showgrid=False, zeroline=False, title="x₂", scaleanchor="x", row=1, col=1)
    steps_axis = "x2"
    for row in range(2, rows + 1):
        last = row == rows
        fig.update_xaxes(matches=steps_axis if row > 2 else None, showticklabels=last, zeroline=False,
                         title="generator step" if last else None, row=row, col=1)
    fig.update_yaxes(title="loss", range=list(loss_range) if loss_range else None, gridcolor="#eeeeee", row=2,
                     col=1)
    if scored:
        fig.update_yaxes(title="modes", range=[0, n_modes * 1.05], gridcolor="#eeeeee", row=3, col=1,
                         secondary_y=False)
        fig.update_yaxes(title="HQ %", range=[0, 105], showgrid=False, row=3, col=1, secondary_y=True)


def _legends(fig: go.Figure, rows: int) -> None:
    """Each panel's legend just above it, on the right, clear of the scene's x title (the scene's is on top)."""
    for row, name in ((2, "legend2"), (3, "legend3")):
        if row > rows:
            continue
        axis = fig.layout[f"yaxis{row}"]  # rows 2 and 3's left axes (row 3's right one is yaxis4)
        fig.update_layout({name: dict(orientation="h", x=1, xanchor="right", y=axis.domain[1], yanchor="bottom",
                                      bgcolor="rgba(255,255,255,0.8)")})
