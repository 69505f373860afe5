"""Plotly figure builders for the "Deep learning" page: one function per figure, plain arrays in, a figure out.

The site's layout, fonts and presenter scaling come from `explainer.ui.charts` (its `layout`: white background,
horizontal legend on top, zoom kept across reruns), which also shows every figure.
Classes of the playground use the Okabe–Ito colour-blind-safe palette (class 0 blue, class 1 orange, ...);
signed quantities (convolution weights, pre-activation maps) use a diverging red–blue scale centred on 0,
non-negative ones (after ReLU, pooling) a sequential scale from 0.
"""
import math
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explainer import images
from explainer.ui import charts

CLASS_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00")  # Okabe–Ito: blue, orange, green, ...
RUN_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
TRAIN, TEST = "#0072B2", "#D55E00"
SIGNED = "RdBu_r"  # negative blue, zero white, positive red
POSITIVE = "Viridis"
REFERENCE = "#555555"


def _rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.float64) / 255


def _thin(values: list, max_points: int = 600) -> np.ndarray:
    """Indices of at most `max_points` evenly spaced entries (always the first and the last)."""
    n = len(values)
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(int))


# --- 1. backprop -------------------------------------------------------------------------------------------------

def readable_dot(dot: str, fontsize: int = 14, top_down: bool = False, one_row: bool = False) -> str:
    """The DOT text of `explainer.deep_learning.graph.to_dot`, made to read well at page width, with a larger font.

    Left to right (the default), each record's fields (label, value, grad) are stacked vertically instead of side
    by side, which halves the graph's width; `one_row` keeps them side by side, a third of the height, for a
    slide that is wider than it is tall. `top_down` lays a bigger graph out from the inputs at the top to the
    loss at the bottom, like a drawing of a network, narrow enough for half the page.
    """
    dot = dot.replace("fontsize=11", f"fontsize={fontsize}").replace("fontsize=10", f"fontsize={fontsize - 1}")
    dot = dot.replace("node [", 'graph [pad=0.05]; edge [arrowsize=0.6]; node [margin="0.06,0.03", ', 1)
    if top_down:  # in TB the braces of to_dot's records already stack the fields
        return dot.replace("rankdir=LR;", "rankdir=TB; ranksep=0.25; nodesep=0.15;", 1)
    if one_row:  # "w11 | 0.500 | ∂ -0.050": the words go, the caption says which field is which
        dot = dot.replace("| value ", "| ").replace("| grad ", "| ∂ ")
    else:
        dot = re.sub(r'label="\{ (.*?) \}"', r'label="\1"', dot)
    return dot.replace("rankdir=LR;", "rankdir=LR; ranksep=0.2; nodesep=0.12;", 1)


# --- 2. playground -----------------------------------------------------------------------------------------------

def decision_boundary(xs: np.ndarray, ys: np.ndarray, probs: np.ndarray, data: dict, bounds,
                      width: int = 540) -> go.Figure:
    """The classifier's belief over the plane behind the train (white rim) and test (dark rim) points.

    Each grid cell's colour mixes the class colours by the predicted probabilities and fades to white where the
    model is unsure (top probability near 1/k), so the boundary is where the colours meet. The plot keeps the
    data's aspect ratio; `width` is the width it is expected to get, which sets its height.
    """
    k = probs.shape[-1]
    colors = np.stack([_rgb(c) for c in CLASS_COLORS[:k]])
    p = np.nan_to_num(probs, nan=1.0 / k)
    mix = p @ colors
    confidence = np.clip((p.max(-1) - 1 / k) / (1 - 1 / k), 0, 1)[..., None]
    alpha = 0.12 + 0.55 * confidence
    image = (255 * (1 - alpha * (1 - mix))).round().astype(np.uint8)
    dx, dy = float(xs[1] - xs[0]), float(ys[1] - ys[0])
    fig = go.Figure(go.Image(source=images.png_data_uri(image), x0=float(xs[0]), dx=dx, y0=float(ys[0]), dy=dy,
                             hoverinfo="skip"))
    for split, rim, size in (("train", "white", 8), ("test", "#222222", 8)):
        X, y = data[f"X_{split}"], data[f"y_{split}"]
        for c in range(k):
            pts = X[y == c]
            fig.add_trace(go.Scatter(
                x=pts[:, 0], y=pts[:, 1], mode="markers", name=f"class {c}" if split == "train" else "test (dark rim)",
                legendgroup=split if split == "test" else f"class {c}", showlegend=split == "train" or c == 0,
                marker=dict(color=CLASS_COLORS[c], size=size, line=dict(color=rim, width=1.5)),
                hovertemplate=f"{split}, class {c}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>"))
    x0, x1, y0, y1 = bounds
    height = int(min(max(width * (y1 - y0) / (x1 - x0), 260), 620)) + 70  # + legend and axis labels
    fig.update_xaxes(range=[x0, x1], showgrid=False, zeroline=False, constrain="domain", title="x₁")
    fig.update_yaxes(range=[y0, y1], autorange=False, showgrid=False, zeroline=False, scaleanchor="x",
                     constrain="domain", title="x₂")
    charts.layout(fig, height)
    fig.update_layout(legend=dict(y=1.02))
    return fig


def loss_curves(history: dict, height: int = 460, log_y: bool = False) -> go.Figure:
    """Train and test cross-entropy over the training steps (thinned to at most 600 points); `log_y` shows the
    slow decline a linear axis flattens after the first few thousand steps."""
    idx = _thin(history["step"])
    steps = np.asarray(history["step"])[idx]
    fig = go.Figure()
    for key, name, color, dash in (("train_loss", "train loss", TRAIN, "solid"), ("test_loss", "test loss", TEST,
                                                                                   "dash")):
        fig.add_trace(go.Scatter(x=steps, y=np.asarray(history[key])[idx], name=name,
                                 mode="lines" if len(steps) > 2 else "lines+markers",
                                 line=dict(color=color, width=3, dash=dash)))
    fig.update_xaxes(title="step (minibatches seen)", gridcolor="#eeeeee", rangemode="tozero")
    fig.update_yaxes(title="cross-entropy" + (" (log scale)" if log_y else ""), gridcolor="#eeeeee",
                     type="log" if log_y else "linear", rangemode="normal" if log_y else "tozero",
                     dtick=1 if log_y else None)  # one tick a decade: no crowd of minor labels
    charts.layout(fig, height)
    fig.update_layout(uirevision=None)  # follow the growing curve
    return fig


# --- 3. CNN ------------------------------------------------------------------------------------------------------

def digit_image(image: np.ndarray, title: str | None = None, height: int = 300) -> go.Figure:
    """One 8×8 digit (0..16), white ink on black like the canvas, with the pixel values on hover."""
    fig = go.Figure(go.Heatmap(z=np.asarray(image), colorscale="gray", zmin=0, zmax=16, showscale=False,
                               hovertemplate="row %{y}, column %{x}: %{z:.1f} / 16<extra></extra>"))
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", constrain="domain")
    charts.layout(fig, height, title)
    return fig


def map_grid(maps: np.ndarray, signed: bool, cols: int = 8, width: int = 1000, value: str = "activation"
             ) -> go.Figure:
    """Small multiples of (C, H, W) maps with one shared colour scale (symmetric about 0 when `signed`), tiled into
    a single heatmap (one trace draws fast; subplots would cost ~0.4 s each to build). Hover names the map and pixel.
    `width` is the width in px the chart is expected to get; it sets the height so that pixels stay square.
    `value` titles the colour bar: what the maps hold ("activation", "weight")."""
    maps = np.asarray(maps, dtype=np.float64)
    c, h, w = maps.shape
    cols = min(cols, c)
    rows = math.ceil(c / cols)
    px = 0.9 * width / (cols * (w + 1) - 1)  # screen pixels per map pixel, leaving room for the colour bar
    gap_y = max(1, math.ceil((charts.PRESENTER_FONT + 8) / px))  # room for the "#k" labels, at presenter size too
    tile = np.full((rows * (h + gap_y), cols * (w + 1) - 1), np.nan)
    custom = np.zeros(tile.shape + (3,))
    labels = []
    for i, m in enumerate(maps):
        r, k = divmod(i, cols)
        y0, x0 = r * (h + gap_y) + gap_y, k * (w + 1)
        tile[y0:y0 + h, x0:x0 + w] = m
        custom[y0:y0 + h, x0:x0 + w] = np.stack(np.broadcast_arrays(i + 1, *np.mgrid[0:h, 0:w]), axis=-1)
        labels.append(dict(x=x0 + (w - 1) / 2, y=y0 - 0.55, text=f"#{i + 1}", showarrow=False, yanchor="bottom",
                           font=dict(color="#555555")))
    peak = float(np.abs(maps).max()) or 1.0
    lo, hi = (-peak, peak) if signed else (0.0, peak)
    fig = go.Figure(go.Heatmap(z=tile, customdata=custom, colorscale=SIGNED if signed else POSITIVE, zmin=lo, zmax=hi,
                               hoverongaps=False, colorbar=dict(thickness=12, title=dict(text=value, side="right")),
                               hovertemplate="#%{customdata[0]:.0f}, row %{customdata[1]:.0f}, "
                                             "column %{customdata[2]:.0f}: %{z:.3f}<extra></extra>"))
    fig.update_xaxes(visible=False, range=[-0.5, tile.shape[1] - 0.5], constrain="domain")
    fig.update_yaxes(visible=False, range=[tile.shape[0] - 0.5, -0.5], scaleanchor="x", constrain="domain")
    charts.layout(fig, int(tile.shape[0] * px) + 20)
    fig.update_layout(annotations=labels, margin=dict(l=5, r=5, t=5, b=5))
    return fig


def conv2_filters(weights: np.ndarray, height: int = 560) -> go.Figure:
    """All (out, in, 3, 3) kernels of a conv layer tiled in one picture: row = output filter, column = input channel."""
    w = np.asarray(weights, dtype=np.float64)
    n_out, n_in, kh, kw = w.shape
    tile = np.full((n_out * (kh + 1) - 1, n_in * (kw + 1) - 1), np.nan)
    for o in range(n_out):
        for i in range(n_in):
            tile[o * (kh + 1):o * (kh + 1) + kh, i * (kw + 1):i * (kw + 1) + kw] = w[o, i]
    peak = float(np.nanmax(np.abs(tile))) or 1.0
    fig = go.Figure(go.Heatmap(z=tile, colorscale=SIGNED, zmin=-peak, zmax=peak, hoverongaps=False,
                               colorbar=dict(thickness=12, title=dict(text="weight", side="right")),
                               hovertemplate="%{z:.3f}<extra></extra>"))
    fig.update_xaxes(tickvals=[i * (kw + 1) + (kw - 1) / 2 for i in range(n_in)],
                     ticktext=[str(i + 1) for i in range(n_in)], title="input channel (a conv1 map)",
                     showgrid=False, zeroline=False, side="top", constrain="domain")
    fig.update_yaxes(tickvals=[o * (kh + 1) + (kh - 1) / 2 for o in range(n_out)],
                     ticktext=[str(o + 1) for o in range(n_out)], title="conv2 filter", autorange="reversed",
                     showgrid=False, zeroline=False, scaleanchor="x", constrain="domain")
    charts.layout(fig, height)
    fig.update_layout(margin=dict(l=10, r=10, t=70, b=10))
    return fig


def softmax_bars(probs: np.ndarray, true_label: int | None = None, height: int = 300) -> go.Figure:
    """The 10 class probabilities; the predicted digit in orange, the true one (if known) outlined."""
    probs = np.asarray(probs, dtype=np.float64)
    predicted = int(probs.argmax())
    colors = ["#E69F00" if d == predicted else "#9db4c8" for d in range(10)]
    outline = [3 if d == true_label else 0 for d in range(10)]
    fig = go.Figure(go.Bar(x=[str(d) for d in range(10)], y=probs, marker=dict(
        color=colors, line=dict(color="#222222", width=outline)), text=[f"{p:.0%}" if p >= 0.01 else "" for p in probs],
        textposition="outside", cliponaxis=False, hovertemplate="P(digit %{x}) = %{y:.4f}<extra></extra>"))
    fig.update_xaxes(title="digit", type="category")
    fig.update_yaxes(title="softmax probability", range=[0, 1.12], gridcolor="#eeeeee", tickformat=".0%")
    charts.layout(fig, height)
    return fig


def confusion_matrix(confusion: np.ndarray, height: int = 440) -> go.Figure:
    """Counts of (true digit, predicted digit) on the test set; the diagonal is what it got right."""
    z = np.asarray(confusion)
    labels = [str(d) for d in range(10)]
    text = [[str(v) if v else "" for v in row] for row in z]  # zeros left blank: the mistakes stand out
    fig = go.Figure(go.Heatmap(z=z, x=labels, y=labels, colorscale="Blues", showscale=False,
                               text=text, texttemplate="%{text}", textfont=dict(size=charts.BASE_FONT),
                               hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>"))
    fig.update_xaxes(title="predicted digit", type="category", side="top")
    fig.update_yaxes(title="true digit", type="category", autorange="reversed", scaleanchor="x")
    charts.layout(fig, height)
    fig.update_layout(margin=dict(l=10, r=10, t=60, b=10))
    return fig


# --- 4. recipe ---------------------------------------------------------------------------------------------------

def run_curves(curves: pd.DataFrame, column: str, height: int = 420, y_title: str = "loss",
               dashed: str | None = None, reference: tuple[float, str] | None = None, log_y: bool = False,
               colors: dict | None = None) -> go.Figure:
    """One line per run of `column` over steps; `dashed` adds a second column per run (e.g. validation loss)."""
    fig = go.Figure()
    for i, (run, rows) in enumerate(curves.groupby("run", sort=False)):
        color = (colors or {}).get(run, RUN_COLORS[i % len(RUN_COLORS)])
        name = f"{run}: train" if dashed else run
        fig.add_trace(go.Scatter(x=rows["step"], y=rows[column], mode="lines", name=name, legendgroup=run,
                                 line=dict(color=color, width=3)))
        if dashed:
            fig.add_trace(go.Scatter(x=rows["step"], y=rows[dashed], mode="lines", name=f"{run}: validation",
                                     legendgroup=run, line=dict(color=color, width=2.5, dash="dash")))
        if rows["diverged"].any():
            last = rows.iloc[-1]
            fig.add_trace(go.Scatter(x=[last["step"]], y=[last[column]], mode="markers+text", text=["diverged"],
                                     textposition="top center", marker=dict(symbol="x", size=14, color=color),
                                     showlegend=False))
    if reference is not None:
        value, label = reference
        fig.add_hline(y=value, line_dash="dot", line_color=REFERENCE, line_width=2, layer="below",
                      annotation_text=label, annotation_position="top right")
    fig.update_xaxes(title="training step", gridcolor="#eeeeee")
    fig.update_yaxes(title=y_title, gridcolor="#eeeeee", type="log" if log_y else "linear",
                     rangemode="normal" if log_y else "tozero")
    charts.layout(fig, height)
    fig.update_layout(legend=dict(y=1.02), uirevision=None)
    return fig


def overfitting_grid(curves: pd.DataFrame, height: int = 420) -> go.Figure:
    """One panel per (training-set size, L2 strength λ): train loss solid, validation loss dashed; the gap between
    them is the overfitting."""
    runs = list(dict.fromkeys(curves["run"]))
    fig = make_subplots(rows=1, cols=len(runs), subplot_titles=runs, shared_yaxes=True, horizontal_spacing=0.03)
    for i, run in enumerate(runs):
        rows = curves[curves["run"] == run]
        for column, name, color, dash in (("train_loss", "train", TRAIN, "solid"),
                                          ("val_loss", "validation", TEST, "dash")):
            fig.add_trace(go.Scatter(x=rows["step"], y=rows[column], mode="lines", name=name, legendgroup=name,
                                     showlegend=i == 0, line=dict(color=color, width=3, dash=dash)),
                          row=1, col=i + 1)
        fig.update_xaxes(title="step", gridcolor="#eeeeee", row=1, col=i + 1)
    fig.update_yaxes(gridcolor="#eeeeee", rangemode="tozero")
    fig.update_yaxes(title="loss", row=1, col=1)
    charts.layout(fig, height)
    fig.update_layout(legend=dict(y=1.12), margin=dict(t=80), uirevision=None)
    return fig
