"""Plotly figure builders for the GAN pages: one function per figure, one palette everywhere.

Real data is always green, generated data always purple (as in GAN Lab), and D's output runs from purple
("looks generated", D → 0) through white to green ("looks real", D → 1). Builders take plain arrays, so they
are easy to test and reuse; pages decide what to show. Layout, fonts and presenter scaling come from
`explainer.ui.charts`, which shows every figure.
"""
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from PIL import Image, ImageDraw
from plotly.subplots import make_subplots

from explainer import images
from explainer.ui import charts

REAL, FAKE, GRID, ARROW = "#1b9e77", "#7b3294", "rgba(90, 90, 90, 0.55)", "#e66101"
D_SCALE = [[0.0, "#c2a5cf"], [0.5, "#f7f7f7"], [1.0, "#a6dba0"]]  # D(x): generated ← 0 ... 1 → real
LOSS_COLORS = {"d_loss": "#2166ac", "g_loss": FAKE}


BCE_LOSSES = ("minimax", "nonsaturating")  # D outputs a probability σ(f); the other losses a raw score f


def d_kind_of(loss: str) -> str:
    """"probability" for the BCE losses, "score" for WGAN-GP, hinge and least squares (as the trainer records)."""
    return "probability" if loss in BCE_LOSSES else "score"


def d_colorbar_title(d_kind: str = "probability", pack: int = 1) -> str:
    """What the background's colour bar measures: D's probability or its raw score, and on how many copies."""
    what = "D: P(real)" if d_kind == "probability" else "D's raw score<br>(2nd–98th pct)"
    return what + (f"<br>on {pack} copies<br>of the point" if pack > 1 else "")


def _square_axes(fig: go.Figure, view, row=None, col=None, show=True) -> None:
    x0, x1, y0, y1 = view
    # constrain="domain": a square plot in a wide column shrinks its width, rather than widening its x range
    # past the data's (and D's background's) square, with empty bands and ticks at ±2 on either side
    fig.update_xaxes(range=[x0, x1], showgrid=False, zeroline=False, visible=show, row=row, col=col,
                     title="x₁" if show else None, constrain="domain")
    fig.update_yaxes(range=[y0, y1], showgrid=False, zeroline=False, visible=show, row=row, col=col,
                     scaleanchor="x" if row is None else None, title="x₂" if show else None)


def scene_traces(real: np.ndarray, arrays: dict, view, layers=("heatmap", "manifold", "arrows", "real", "fake"),
                 show_legend=True, d_kind="probability", d_title: str | None = None) -> list:
    """The traces of one 2D GAN picture: D's heatmap behind real and generated points, G's warped grid and
    the generator-gradient arrows. `arrays` holds one seed's snapshot arrays (no seed dimension).
    SVG traces, not WebGL: a few thousand points draw fast in SVG, and WebGL contexts are slow to create and
    limited in number (small multiples would need one per panel). Arrays go out as float32, which plotly
    sends to the browser as compact base64.
    `d_kind` "probability" colours D(x) on [0, 1]; "score" (WGAN, hinge, LS critics) spans its own range.
    `d_title` titles the heatmap's colour bar (default: d_colorbar_title(d_kind))."""
    traces = []
    x0, x1, y0, y1 = view
    if "heatmap" in layers and "d_grid" in arrays:
        d = np.asarray(arrays["d_grid"], dtype=np.float32)
        g = d.shape[0]
        lo, hi = (0.0, 1.0) if d_kind == "probability" else _robust_range(d)
        traces.append(go.Heatmap(z=d, x=np.linspace(x0, x1, g), y=np.linspace(y0, y1, g), zmin=lo, zmax=hi,
                                 zsmooth="fast", colorscale=D_SCALE, name="D(x)", showscale=True,
                                 colorbar=dict(thickness=12, len=0.75, title=dict(
                                     text=d_title or d_colorbar_title(d_kind), side="right")),
                                 hovertemplate="D(x)=%{z:.2f}<extra></extra>"))
    if "manifold" in layers and "g_grid" in arrays:
        traces.append(_manifold_trace(np.asarray(arrays["g_grid"]), show_legend))
    if "fake" in layers and "samples" in arrays:
        # with an EMA of G the scores measure the averaged G: draw its samples too, and say which is which
        ema = "samples_ema" in arrays
        s = np.asarray(arrays["samples"], dtype=np.float32)
        traces.append(go.Scatter(x=s[:, 0], y=s[:, 1], mode="markers", name="generated (raw G)" if ema else "generated",
                                 marker=dict(color=FAKE, size=5, opacity=0.35 if ema else 0.7),
                                 showlegend=show_legend))
        if ema:
            e = np.asarray(arrays["samples_ema"], dtype=np.float32)
            traces.append(go.Scatter(x=e[:, 0], y=e[:, 1], mode="markers", name="generated (EMA of G: scored)",
                                     marker=dict(color=FAKE, size=5, opacity=0.9, symbol="diamond"),
                                     showlegend=show_legend))
    if "real" in layers and real is not None:  # on top, outlined: a generator that sits on the data hides nothing
        real = np.asarray(real, dtype=np.float32)
        traces.append(go.Scatter(x=real[:, 0], y=real[:, 1], mode="markers", name="real",
                                 marker=dict(color=REAL, size=6, opacity=0.9, line=dict(color="white", width=0.8)),
                                 showlegend=show_legend))
    if "arrows" in layers and "arrows_xy" in arrays and "arrows_uv" in arrays:
        traces.append(_arrow_trace(np.asarray(arrays["arrows_xy"]), np.asarray(arrays["arrows_uv"]), view,
                                   show_legend))
    return traces


def _robust_range(d: np.ndarray) -> tuple[float, float]:
    finite = d[np.isfinite(d)]
    if not len(finite):
        return 0.0, 1.0
    lo, hi = np.percentile(finite, [2, 98])
    return float(lo), float(hi if hi > lo else lo + 1)


def _manifold_trace(grid: np.ndarray, show_legend: bool) -> go.Scatter:
    """G's image of a regular z-grid, drawn as its warped rows and columns (NaN rows break the polylines)."""
    parts = []
    for lines in (grid, grid.transpose(1, 0, 2)):  # its rows, then its columns
        gaps = np.full((len(lines), 1, 2), np.nan)
        parts.append(np.concatenate([lines, gaps], axis=1).reshape(-1, 2))
    xy = np.concatenate(parts).astype(np.float32)
    return go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="lines", line=dict(color=GRID, width=1), name="G's manifold",
                      hoverinfo="skip", showlegend=show_legend, connectgaps=False)


def _arrow_trace(xy: np.ndarray, uv: np.ndarray, view, show_legend: bool) -> go.Scatter:
    """Where the generator's gradient pushes each generated point (direction of −∂L_G/∂x, scaled to fit)."""
    norms = np.linalg.norm(uv, axis=1, keepdims=True)
    scale = 0.06 * (view[1] - view[0]) / max(float(np.percentile(norms, 90)), 1e-12)
    tips = xy + np.clip(uv * scale, -0.1 * (view[1] - view[0]), 0.1 * (view[1] - view[0]))
    xs = np.column_stack([xy[:, 0], tips[:, 0], np.full(len(xy), np.nan)]).ravel().astype(np.float32)
    ys = np.column_stack([xy[:, 1], tips[:, 1], np.full(len(xy), np.nan)]).ravel().astype(np.float32)
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=ARROW, width=1.5), name="G's gradient",
                        hoverinfo="skip", showlegend=show_legend, connectgaps=False)


def gan_scene(real, arrays: dict, view, layers, height=520, title=None, d_kind="probability",
              d_title: str | None = None) -> go.Figure:
    fig = go.Figure(scene_traces(real, arrays, view, layers, d_kind=d_kind, d_title=d_title))
    _square_axes(fig, view)
    return charts.layout(fig, height, title)


animation_controls = charts.animation_controls  # the site's one replay control (in charts)


def curves(history: pd.DataFrame, columns: dict[str, str], height=280, title=None, y_title=None,
           band=True, y_range=None) -> go.Figure:
    """Lines of history columns over steps: the mean over seeds, with a min–max band when several seeds.
    `y_range` fixes the y-axis (two charts meant to be compared share one)."""
    fig = go.Figure()
    palette = [FAKE, "#2166ac", REAL, ARROW, "#666666"]
    for i, (col, label) in enumerate(columns.items()):
        if col not in history or history[col].notna().sum() == 0:
            continue
        color = LOSS_COLORS.get(col, palette[i % len(palette)])
        by_step = history[history[col].notna()].groupby("step")[col]
        mean, lo, hi = by_step.mean(), by_step.min(), by_step.max()
        if band and history["seed"].nunique() > 1:
            fig.add_trace(go.Scatter(x=list(hi.index) + list(lo.index[::-1]), y=list(hi) + list(lo[::-1]),
                                     fill="toself", fillcolor=_fade(color), line=dict(width=0), hoverinfo="skip",
                                     showlegend=False))
        fig.add_trace(go.Scatter(x=mean.index, y=mean, mode="lines", name=label, line=dict(color=color, width=2)))
    fig.update_xaxes(title="generator step")
    fig.update_yaxes(title=y_title, gridcolor="#eeeeee", range=list(y_range) if y_range else None)
    return charts.layout(fig, height, title)


def shared_range(histories, columns) -> tuple[float, float] | None:
    """One y-range (with a 5% margin) that holds every finite value of `columns` in all `histories`: the
    axis two side-by-side curves share so that equal heights mean equal values."""
    values = [np.asarray(h[c], dtype=float) for h in histories for c in columns if c in h]
    values = np.concatenate(values) if values else np.array([])
    values = values[np.isfinite(values)]
    if not len(values):
        return None
    lo, hi = float(values.min()), float(values.max())
    pad = 0.05 * (hi - lo) if hi > lo else 0.5
    return lo - pad, hi + pad


def scores_over_training(history: pd.DataFrame, n_modes: int, height=240) -> go.Figure:
    """Modes covered (left axis) and the high-quality share (right axis) at each snapshot, mean over seeds:
    a GAN can cover every mode with blurry samples, or few modes with crisp ones."""
    scored = history[history["modes_covered"].notna()].groupby("step")
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=scored["modes_covered"].mean().index, y=scored["modes_covered"].mean(),
                             name="modes covered", mode="lines+markers", line=dict(color=FAKE, width=2)))
    if "high_quality" in history:
        hq = scored["high_quality"].mean() * 100
        fig.add_trace(go.Scatter(x=hq.index, y=hq, name="high quality %", mode="lines+markers",
                                 line=dict(color=REAL, width=2, dash="dot")), secondary_y=True)
    fig.update_xaxes(title="generator step")
    fig.update_yaxes(title="modes", range=[0, n_modes * 1.05], gridcolor="#eeeeee", secondary_y=False)
    fig.update_yaxes(title="high quality %", range=[0, 105], showgrid=False, secondary_y=True)
    return charts.layout(fig, height)


def _fade(hex_color: str, alpha=0.18) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def scatter_png(real, samples: np.ndarray, view, px=480, dot=4.4) -> bytes:
    """One seed's generated points over the real data as a small PNG (real green, generated purple).

    The mode-collapse page shows 8 to 10 of these at once: as pictures they cost the browser nothing, while
    the same points as Plotly SVG markers took it about half a second to draw. Drawn at 3× and scaled down,
    so the dots are smooth; 480 px, so a picture two abreast on a phone (about 170 CSS px at 3 device pixels
    each) stays sharp (240 px was blurry there) for about 10 kB more."""
    scale = 3
    size = px * scale
    img = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(img, "RGBA")
    x0, x1, y0, y1 = view
    r = dot * scale

    def dots(points, color: str, alpha: int) -> None:
        rgba = (*(int(color[i:i + 2], 16) for i in (1, 3, 5)), alpha)
        p = np.asarray(points, dtype=float)
        u = (p[:, 0] - x0) / (x1 - x0) * size
        v = (y1 - p[:, 1]) / (y1 - y0) * size  # image rows grow downwards
        for a, b in zip(u, v, strict=True):
            if np.isfinite(a) and np.isfinite(b):
                draw.ellipse((a - r, b - r, a + r, b + r), fill=rgba)

    if real is not None:
        dots(real, REAL, 110)
    dots(samples, FAKE, 170)
    draw.rectangle((0, 0, size - 1, size - 1), outline=(210, 210, 210), width=scale)
    return images.png(np.asarray(img.resize((px, px), Image.LANCZOS)))


def tile(images: np.ndarray, cols=8) -> np.ndarray:
    """Grey images (n, H, W) in [0, 1] tiled into one array (ink dark on white, 1-pixel gaps), top row first."""
    n, h, w = images.shape
    rows = (n + cols - 1) // cols
    canvas = np.ones((rows * (h + 1) - 1, cols * (w + 1) - 1))
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        canvas[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = 1 - np.clip(img, 0, 1)
    return canvas


def _image_trace(canvas: np.ndarray) -> go.Heatmap:
    return go.Heatmap(z=canvas[::-1], colorscale="gray", zmin=0, zmax=1, showscale=False, hoverinfo="skip")


def _image_axes(fig: go.Figure) -> None:
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")


def image_grid(images: np.ndarray, cols=8, height=None, title=None) -> go.Figure:
    """A grid of grey images (n, H, W) in [0, 1] as one picture."""
    rows = (len(images) + cols - 1) // cols
    fig = go.Figure(_image_trace(tile(images, cols)))
    _image_axes(fig)
    return charts.layout(fig, height or int(60 + 420 * rows / cols), title)


def image_replay(frames: list[np.ndarray], steps: list[int], cols=8, height=None) -> go.Figure:
    """The same fixed-z image grid at every snapshot, as an animation with Play and a step slider."""
    rows = (len(frames[-1]) + cols - 1) // cols
    frames = [go.Frame(data=[_image_trace(tile(f, cols))], name=str(s)) for f, s in zip(frames, steps, strict=True)]
    fig = go.Figure(frames[-1].data, frames=frames)
    animation_controls(fig, steps)
    _image_axes(fig)
    charts.layout(fig, height or int(120 + 420 * rows / cols))
    fig.update_layout(margin=dict(b=90))
    return fig


def bars(labels, values, height=260, title=None, y_title=None, color=FAKE, reference=None, x_title=None) -> go.Figure:
    fig = go.Figure(go.Bar(x=[str(x) for x in labels], y=values, marker_color=color))
    fig.update_xaxes(type="category")  # "0".."9" would otherwise become a number axis ticked at 0 and 5
    if reference is not None:
        fig.add_hline(y=reference, line_dash="dot", line_color="#666666")
    fig.update_yaxes(title=y_title, gridcolor="#eeeeee")
    fig.update_xaxes(title=x_title)
    return charts.layout(fig, height, title)


def saturation(d_of_fake: float | None = None, height=340) -> go.Figure:
    """Why the minimax generator loss stalls when D wins. With D(G(z)) = σ(a) for D's logit a:
    minimax G minimises log(1 − σ(a)), whose gradient in a is −σ(a) → 0 as D(G(z)) → 0;
    non-saturating G minimises −log σ(a), whose gradient is −(1 − σ(a)) → −1 there.
    `d_of_fake` is the value the viewer picked on the slider, not one measured from a run: the marker says so."""
    p = np.linspace(0.001, 0.999, 400)
    fig = go.Figure([
        go.Scatter(x=p, y=p, name="minimax: |∂/∂a log(1 − D(G(z)))| = D(G(z))", line=dict(color="#b2182b", width=3)),
        go.Scatter(x=p, y=1 - p, name="non-saturating: |∂/∂a −log D(G(z))| = 1 − D(G(z))",
                   line=dict(color=FAKE, width=3)),
    ])
    fig.add_vrect(x0=0, x1=0.1, fillcolor="#dddddd", opacity=0.4, line_width=0,
                  annotation_text="D wins: minimax gradient vanishes", annotation_position="top left")
    if d_of_fake is not None:
        fig.add_vline(x=d_of_fake, line_dash="dash", line_color="#333333",
                      annotation_text=f"your choice: D(G(z)) = {d_of_fake:.2f}",
                      annotation_yshift=-28,  # below "D wins"
                      annotation_position="top right" if d_of_fake < 0.5 else "top left",  # on the side with room
                      annotation_bgcolor="rgba(255, 255, 255, 0.8)")
    fig.update_xaxes(title="D(G(z)): how real D thinks a generated sample is", range=[0, 1])
    fig.update_yaxes(title="gradient size<br>w.r.t. D's logit", range=[0, 1.05], gridcolor="#eeeeee")
    return charts.layout(fig, height)  # its legend on top, as everywhere: below, the x title ran into it
