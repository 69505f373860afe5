"""The driving page's figures: pure builders (plain arrays in, a Plotly figure out), laid out by ui.charts."""
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explainer import images
from explainer.driving import dagger, episode, sim
from explainer.ui import charts

BC, DAGGER, RARE, COMMON, EXPERT = "#D55E00", "#0072B2", "#CC79A7", "#009E73", "#444444"
GRID_COLOURS = [(0.0, "#5b5b5b"), (0.25, "#5b5b5b"), (0.25, "#d9d9d9"), (0.5, "#d9d9d9"), (0.5, "#56B4E9"),
                (0.75, "#56B4E9"), (0.75, "#E6C200"), (1.0, "#E6C200")]  # off road, road, vehicle, ego
CELL_NAMES = ("off road", "free road", "vehicle", "ego")  # episode.OFF_ROAD, ROAD, VEHICLE, EGO
assert (episode.OFF_ROAD, episode.ROAD, episode.VEHICLE, episode.EGO) == (0, 1, 2, 3)


def frame_title(history: pd.DataFrame, t: int) -> str:
    row = history.iloc[t]
    return (f"t = {row.time_s:.1f} s · plan: {episode.PLANS[int(row.plan)]}<br>"  # two short lines: fits a phone
            f"acceleration {row.acceleration:+.1f} m/s² · steering {np.degrees(row.steering):+.1f}°")


def replay(frame: bytes, grid: np.ndarray, history: pd.DataFrame, active: int, square: bool = False,
           height: int | None = None, narrow: bool = False):
    """One step of the episode: the simulator's top-down rendering above the occupancy grid (where things are
    at that step), titled with the plan and the commands at that step. `square`: the rendering is square (the
    racetrack), so its row gets most of a taller figure; the highway's is a wide strip. `narrow` (a phone): the
    colour bar's key goes under the grid, where it takes no width from the pictures."""
    height = height or (820 if square else 620)
    fig = make_subplots(rows=2, cols=1, row_heights=[0.66, 0.34] if square else [0.45, 0.55], vertical_spacing=0.1,
                        subplot_titles=("The simulator's top-down view",
                                        "Occupancy grid around the ego (m; ahead →)"))
    xs = np.arange(episode.GRID_X[0] + episode.CELL / 2, episode.GRID_X[1], episode.CELL)
    ys = np.arange(episode.GRID_Y[0] + episode.CELL / 2, episode.GRID_Y[1], episode.CELL)
    fig.add_trace(go.Image(source=images.data_uri(frame), hoverinfo="skip"), row=1, col=1)
    # its own array, not a view of the episode's: plotly validates a view many times slower
    fig.add_trace(go.Heatmap(z=np.array(grid), x=xs, y=ys, zmin=-0.5, zmax=3.5, colorscale=GRID_COLOURS,
                             colorbar=dict(tickvals=list(range(len(CELL_NAMES))), ticktext=list(CELL_NAMES),
                                           thickness=14, outlinewidth=0, **_grid_key(square, narrow)),
                             hovertemplate="%{x:.0f} m ahead, %{y:.0f} m right<extra></extra>"), row=2, col=1)
    fig.update_xaxes(visible=False, row=1, col=1)
    fig.update_yaxes(visible=False, row=1, col=1)
    fig.update_xaxes(ticksuffix=" m", row=2, col=1)
    # equal metres both ways, the plot shrinking to fit (not the range growing: on a phone it ran ±40 m)
    fig.update_xaxes(constrain="domain", row=2, col=1)
    fig.update_yaxes(title_text="right of the ego (m)", autorange="reversed", scaleanchor="x2", constrain="domain",
                     row=2, col=1)
    charts.layout(fig, height, frame_title(history, active))
    fig.update_layout(margin=dict(b=80 if narrow else 40, t=115))  # the two-line title above the first subplot's
    return fig


def _grid_key(square: bool, narrow: bool) -> dict:
    """Where the grid's colour key goes: beside the grid, or under it on a narrow screen."""
    if narrow:
        return dict(orientation="h", x=0, xanchor="left", y=-0.08, yanchor="top", len=1)
    return dict(len=0.34 if square else 0.5, y=0, yanchor="bottom")


def commands(history: pd.DataFrame, active: int, height: int = 300) -> go.Figure:
    """The expert's acceleration and steering over the episode, with the shown step marked."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=history.time_s, y=history.acceleration, name="acceleration (m/s²)",
                             line=dict(color=DAGGER)))
    fig.add_trace(go.Scatter(x=history.time_s, y=np.degrees(history.steering), name="steering (°)",
                             line=dict(color=BC)), secondary_y=True)
    fig.add_vline(x=float(history.time_s.iloc[active]), line=dict(color=EXPERT, dash="dot"))
    fig.update_xaxes(title_text="time (s)")
    accel = max(1.0, float(np.abs(history.acceleration).max())) * 1.15
    steer = max(2.0, float(np.abs(np.degrees(history.steering)).max())) * 1.15
    fig.update_yaxes(title_text="acceleration (m/s²)", range=[-accel, accel], secondary_y=False)
    fig.update_yaxes(title_text="steering (°)", range=[-steer, steer], showgrid=False, secondary_y=True)
    return charts.layout(fig, height, "Control: what the expert commands")


def _legend_below(fig: go.Figure, y: float = -0.38) -> go.Figure:
    """Many lines and a title: the legend goes under the plot (below the x-axis title, also at presenter size),
    where it cannot cover the title."""
    fig.update_layout(legend=dict(orientation="h", y=y, yanchor="top", x=0), margin=dict(b=10))
    return fig


ARM_STYLES = {  # the BC-vs-DAgger arms: name on the page, colour, dash (dagger.DEMO: round 0, shared by all)
    dagger.DEMO: ("cloning the demonstration alone", "#999999", "dot"),
    "dagger": ("DAgger", DAGGER, "solid"),
    "bc": ("cloning, same starts", BC, "solid"),
    "bc_centred": ("cloning, centred starts", "#E69F00", "dash"),
}
assert set(ARM_STYLES) == {dagger.DEMO, *dagger.ARMS}


def _arm_line(arm: str, width: float = 3) -> dict:
    _, colour, dash = ARM_STYLES[arm]
    return dict(color=colour, dash=dash, width=width)


def failure_over_time(failed: dict[str, np.ndarray], height: int = 400) -> go.Figure:
    """Share of held-out drives that have failed by each moment, one line per arm ((drives, horizon) each)."""
    fig = go.Figure()
    for arm, f in failed.items():
        t = np.arange(f.shape[1]) / sim.FREQUENCY
        fig.add_trace(go.Scatter(x=t, y=100 * f.mean(0), name=ARM_STYLES[arm][0], line=_arm_line(arm),
                                 line_shape="hv"))
    fig.update_xaxes(title_text="time into the drive (s)")
    fig.update_yaxes(title_text="drives failed so far (%)", range=[-3, 103])
    # -0.6: under the x-axis title also at presenter size (at -0.45 the legend covered it)
    return _legend_below(charts.layout(fig, height, "Failures along the drive"), y=-0.6)


def deviation_over_time(deviation: dict[str, np.ndarray], height: int = 400) -> go.Figure:
    """Mean distance from the lane centre of the drives still going, one line per arm."""
    fig = go.Figure()
    for arm, d in deviation.items():
        t = np.arange(d.shape[1]) / sim.FREQUENCY
        alive = np.isfinite(d).any(0)
        mean = np.full(d.shape[1], np.nan)
        mean[alive] = np.nanmean(d[:, alive], axis=0)
        fig.add_trace(go.Scatter(x=t, y=mean, name=ARM_STYLES[arm][0], line=_arm_line(arm)))
    fig.add_hline(y=sim.LANE_LIMIT, line=dict(color=EXPERT, dash="dot"),
                  annotation_text="a wheel over the line", annotation_position="top left")
    fig.update_xaxes(title_text="time into the drive (s)")
    fig.update_yaxes(title_text="off lane centre (m)", rangemode="tozero")
    return _legend_below(charts.layout(fig, height, "Lane deviation (drives still going)"), y=-0.6)


def failure_over_data(summary: pd.DataFrame, height: int = 380) -> go.Figure:
    """Failure rate against labelled states, one line per arm: the mean over training seeds, bars from the lowest
    to the highest seed. The arms share every x (equal data), so each is nudged sideways to keep its bars apart."""
    fig = go.Figure()
    nudge = 0.012 * float(summary.dataset.max() - summary.dataset.min() or 1)
    for i, arm in enumerate(dagger.ARMS):
        rows = summary[summary.arm == arm]
        y = 100 * rows.failure_rate
        fig.add_trace(go.Scatter(
            x=rows.dataset + (i - 1) * nudge, y=y, name=ARM_STYLES[arm][0], mode="lines+markers",
            line=_arm_line(arm), marker=dict(size=9),
            error_y=dict(type="data", symmetric=False, array=100 * rows.failure_max - y,
                         arrayminus=y - 100 * rows.failure_min, thickness=1.5, width=4),
            customdata=np.stack([rows.step, rows.dataset], axis=-1),
            hovertemplate="round %{customdata[0]}: %{customdata[1]:.0f} labelled states, %{y:.0f}% failed"
                          "<extra></extra>"))
    fig.update_xaxes(title_text="labelled states trained on (round 0: the demonstration alone)")
    fig.update_yaxes(title_text="held-out drives failed (%)", range=[-5, 105])
    return _legend_below(charts.layout(fig, height, "Failure rate as the data grows, at equal data per arm"))


def data_engine_rounds(history: pd.DataFrame, height: int = 460) -> go.Figure:
    """Rare and common failure rates per round (top), and how many triggered states each round labelled (below)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.64, 0.36], vertical_spacing=0.1)
    rounds = [f"round {int(r)}" for r in history.step]
    fig.add_trace(go.Scatter(x=rounds, y=100 * history.rare_failure_rate, name="rare: a car brakes hard ahead",
                             mode="lines+markers", line=dict(color=RARE, width=3)), row=1, col=1)
    fig.add_trace(go.Scatter(x=rounds, y=100 * history.common_failure_rate, name="common driving",
                             mode="lines+markers", line=dict(color=COMMON, width=3, dash="dash")), row=1, col=1)
    fig.add_trace(go.Bar(x=rounds, y=history.mined, name="states labelled and added", marker_color="#bbbbbb",
                         text=history.mined, textposition="outside"), row=2, col=1)
    fig.update_yaxes(title_text="drives failed (%)", range=[-5, 105], row=1, col=1)
    fig.update_yaxes(title_text="labelled", rangemode="tozero", range=[0, 1.6 * max(1, history.mined.max())],
                     row=2, col=1)
    fig.update_xaxes(title_text="data-engine round (0: trained on common driving only)", row=2, col=1)
    return _legend_below(charts.layout(fig, height, "The data engine, round by round"))


def steering_trace(expert: np.ndarray, predicted: np.ndarray, active: int, height: int = 400) -> go.Figure:
    """The network's steering against the expert's along the held-out drive (degrees), the shown frame marked."""
    t = np.arange(len(expert)) / sim.FREQUENCY
    fig = go.Figure([go.Scatter(x=t, y=np.degrees(expert * sim.STEER_RANGE), name="expert (IDM lane keeping)",
                                line=dict(color=EXPERT, width=3)),
                     go.Scatter(x=t, y=np.degrees(predicted * sim.STEER_RANGE), name="the CNN, from pixels only",
                                line=dict(color=DAGGER, width=2, dash="dash"))])
    fig.add_vline(x=float(t[active]), line=dict(color=BC, dash="dot"))
    fig.update_xaxes(title_text="time into the held-out drive (s)")
    fig.update_yaxes(title_text="steering (°)")
    return _legend_below(charts.layout(fig, height, "Steering along a drive it never trained on"), y=-0.42)


def saliency(frame: np.ndarray, masks: dict[str, np.ndarray], height: int = 330) -> go.Figure:
    """The grayscale frame the network sees, then each saliency mask over it (bright = looked at)."""
    names = ["What the network sees", *masks]
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=names, horizontal_spacing=0.03)
    grey = frame.astype(np.float32) / 255
    fig.add_trace(go.Heatmap(z=grey, colorscale="gray", showscale=False, hoverinfo="skip"), row=1, col=1)
    for i, mask in enumerate(masks.values(), start=2):
        fig.add_trace(go.Heatmap(z=grey, colorscale="gray", showscale=False, hoverinfo="skip", opacity=0.5),
                      row=1, col=i)
        fig.add_trace(go.Heatmap(z=mask, colorscale="Hot", zmin=0, zmax=1, opacity=0.65, showscale=i == 2,
                                 colorbar=dict(title=dict(text="relevance"), len=0.9),
                                 hovertemplate="relevance %{z:.2f}<extra></extra>"), row=1, col=i)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    for i in range(2, len(names) + 1):
        fig.update_yaxes(scaleanchor=f"x{i}", row=1, col=i)
    charts.layout(fig, height)
    fig.update_layout(margin=dict(t=40))  # room for the subplot titles
    return fig
