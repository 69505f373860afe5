"""Plotly figure builders for the Interpretability page: plain arrays in, a figure out (laid out by ui/charts).

Attribution maps use one diverging scale (blue negative, white zero, red positive), symmetric about zero so
white always means "no effect", with the digit's outline drawn over them so a map reads against its input.
"""
import numpy as np
import plotly.graph_objects as go

from explainer.ui import charts
from explainer.ui.deep_learning.plots import CLASS_COLORS, SIGNED

DIGIT_COLORS = CLASS_COLORS + ("#56B4E9", "#F0E442", "#000000", "#999999", "#8C564B")  # ten classes


def attribution_map(attribution: np.ndarray, image: np.ndarray, title: str, colour: str, height: int = 300
                    ) -> go.Figure:
    """An (8, 8) attribution as a heatmap centred on zero, the digit's ink outlined on top; the colour bar is
    titled with what the values mean (`colour`)."""
    a = np.asarray(attribution, dtype=np.float64)
    peak = float(np.abs(a).max()) or 1.0
    # the colour bar in a fixed right margin, wide enough for any of the maps' titles and ticks: left to Plotly,
    # each map's size followed its colour bar's labels, so six maps side by side came out unequal
    fig = go.Figure(go.Heatmap(z=a, colorscale=SIGNED, zmin=-peak, zmax=peak,
                               colorbar=dict(thickness=12, title=dict(text=colour, side="right"), exponentformat="e",
                                             x=1.02, xanchor="left", xref="paper"),
                               hovertemplate="row %{y}, column %{x}: %{z:.3g}<extra></extra>"))
    fig.add_trace(go.Contour(z=np.asarray(image, dtype=np.float64), showscale=False, hoverinfo="skip",
                             contours=dict(start=6, end=6, size=1, coloring="none"),
                             line=dict(color="#222222", width=1.5)))
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", constrain="domain")
    charts.layout(fig, height, title)
    fig.update_layout(margin_r=95)
    return fig


def similarity_over_stages(similarity: dict[str, np.ndarray], labels: dict[str, str], stages: list[str],
                           current: int, height: int = 380) -> go.Figure:
    """Each method's rank correlation with its trained-model map, stage by stage of the cascade."""
    fig = go.Figure()
    for name, values in similarity.items():
        fig.add_trace(go.Scatter(x=stages, y=values, mode="lines+markers", name=labels[name],
                                 hovertemplate=labels[name] + ", %{x}: %{y:.2f}<extra></extra>"))
    fig.add_vline(x=current, line=dict(color="#555555", dash="dot"))
    fig.add_hline(y=0, line=dict(color="#999999", width=1))
    fig.update_xaxes(title="layers re-initialised, from the logits down", type="category")
    fig.update_yaxes(title="ρ with the trained map", range=[-1.05, 1.05], gridcolor="#eeeeee")
    charts.layout(fig, height)
    return fig


def embedding(points: np.ndarray, labels: np.ndarray, images: np.ndarray, title: str, chosen: int | None = None,
              height: int = 480) -> go.Figure:
    """A 2D t-SNE of the digits, one colour per class; hovering a point shows its digit as an 8×8 text block."""
    fig = go.Figure()
    for digit in range(10):
        idx = np.flatnonzero(labels == digit)
        fig.add_trace(go.Scattergl(
            x=points[idx, 0], y=points[idx, 1], mode="markers", name=str(digit),
            marker=dict(size=5, color=DIGIT_COLORS[digit]), customdata=np.stack([idx, labels[idx]], axis=1),
            text=[_ascii_digit(images[i]) for i in idx],
            hovertemplate="digit %{customdata[1]} (#%{customdata[0]})<br>%{text}<extra></extra>"))
    if chosen is not None:
        # WebGL like the points: an SVG marker is drawn under every WebGL trace, hidden where points crowd
        fig.add_trace(go.Scattergl(x=[points[chosen, 0]], y=[points[chosen, 1]], mode="markers", name="chosen",
                                   marker=dict(size=18, symbol="circle-open", color="#000000", line=dict(width=3)),
                                   hoverinfo="skip"))
    fig.update_xaxes(title="t-SNE 1", showticklabels=False, zeroline=False)
    fig.update_yaxes(title="t-SNE 2", showticklabels=False, zeroline=False)
    charts.layout(fig, height, title)
    fig.update_layout(legend=dict(orientation="v", x=1.0, y=1.0, yanchor="top", title=dict(text="digit")))
    return fig


def _ascii_digit(image: np.ndarray) -> str:
    """An 8×8 digit as 8 lines of block characters (what a hover label can show without an image)."""
    shades = " ░▒▓█"  # one character per pixel: 1,797 of these travel with each t-SNE chart
    return "<br>".join("".join(shades[min(4, int(v) // 4)] for v in row) for row in np.asarray(image))


def digit_strip(images: np.ndarray, captions: list[str], height: int = 150, title: str | None = None) -> go.Figure:
    """A row of 8×8 digits (0..16), white on black, each captioned below: neighbours, top activations."""
    n = len(images)
    tile = np.full((8, n * 9 - 1), np.nan)
    for i, image in enumerate(images):
        tile[:, i * 9:i * 9 + 8] = image
    fig = go.Figure(go.Heatmap(z=tile, colorscale="gray", zmin=0, zmax=16, showscale=False, hoverongaps=False,
                               hovertemplate="%{z:.0f} / 16<extra></extra>"))
    for i, text in enumerate(captions):
        fig.add_annotation(x=i * 9 + 3.5, y=8.2, text=text, showarrow=False, yanchor="top")
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, range=[9.6, -0.5], scaleanchor="x", constrain="domain")
    charts.layout(fig, height, title)
    return fig


def accuracy_over_epsilon(epsilons, curves: dict[str, np.ndarray], labels: dict[str, str], current: float,
                          height: int = 360) -> go.Figure:
    """Test accuracy under each attack as ε grows; the chosen ε marked."""
    fig = go.Figure()
    for name, acc in curves.items():
        fig.add_trace(go.Scatter(x=list(epsilons), y=acc, mode="lines+markers", name=labels[name],
                                 hovertemplate=labels[name] + ", ε = %{x}: %{y:.1%}<extra></extra>"))
    fig.add_vline(x=current, line=dict(color="#555555", dash="dot"))
    fig.add_hline(y=0.1, line=dict(color="#999999", dash="dash"), annotation_text="chance (10%)",
                  annotation_position="top right")
    fig.update_xaxes(title="ε (fraction of the pixel range, L∞)")
    fig.update_yaxes(title="test accuracy", range=[0, 1.02], tickformat=".0%", gridcolor="#eeeeee")
    charts.layout(fig, height)
    return fig


def confidence_over_epsilon(epsilons, probs: np.ndarray, label: int, current: float, height: int = 300) -> go.Figure:
    """One input's probability of its own class and of the strongest other class, as ε grows."""
    others = probs.copy()
    others[:, label] = -1
    rival = others.argmax(1)
    fig = go.Figure([
        go.Scatter(x=list(epsilons), y=probs[:, label], mode="lines+markers", name=f"P({label})",
                   hovertemplate="ε = %{x}: %{y:.1%}<extra></extra>"),
        go.Scatter(x=list(epsilons), y=others.max(1), mode="lines+markers", name="P(strongest other digit)",
                   customdata=rival, hovertemplate="ε = %{x}: digit %{customdata}, %{y:.1%}<extra></extra>")])
    fig.add_vline(x=current, line=dict(color="#555555", dash="dot"))
    fig.update_xaxes(title="ε")
    fig.update_yaxes(title="probability", range=[0, 1.02], tickformat=".0%", gridcolor="#eeeeee")
    charts.layout(fig, height)
    return fig
