"""What the GAN pages draw from a run: the replayable 2D scene, curves, scores, image grids, and the live view.

Pages call these with a TrainResult (or a running job's view); nothing here trains.
"""

import numpy as np
import pandas as pd
import streamlit as st

from explainer.data import get_dataset
from explainer.gan.config import GANConfig
from explainer.runs.job import JobView
from explainer.runs.result import DIVERGED
from explainer.seeding import torch_generator
from explainer.ui import charts, presenter
from explainer.ui.gan import plots, replay
from explainer.ui.gan.controls import describe

LAYERS = {"heatmap": "D's output", "manifold": "G's manifold", "arrows": "G's gradient"}
MIXTURE_SCORES = {"modes_covered": "modes covered", "high_quality": "high quality", "reverse_kl": "reverse KL"}


figure = charts.run_figure  # the GAN views' name for it


@st.cache_data(show_spinner=False, max_entries=64)
def real_points(dataset: str, points: tuple, n: int = 256) -> np.ndarray:
    """A fixed sample of the real data to draw behind generated points (256 show every data set's shape;
    each point is an SVG element the browser draws in every chart that shows it)."""
    data = get_dataset(dataset, points if dataset == "points" else None)
    return data.sample(n, torch_generator(0, "preview")).numpy()


def scene_view(result) -> tuple:
    c = GANConfig.of(result)
    return tuple(result.extra.get("view") or get_dataset(c.dataset, c.points or None).view)


def layer_toggles(url, prefix="") -> tuple:
    """Three toggles (bound to the URL) choosing what to draw behind the samples."""
    on = []
    row = presenter.one_row(f"{prefix}layers").columns(len(LAYERS))  # three abreast on a phone too
    for col, (name, label) in zip(row, LAYERS.items(), strict=True):
        with col:
            if url.widget(st.toggle, prefix + name, label):
                on.append(name)
    return tuple(on) + ("real", "fake")


def background_caption(config: GANConfig) -> str:
    """What the scene's background shows for this config's loss, packing and minibatch std."""
    if config.loss in plots.BCE_LOSSES:
        text = ("Background: D's probability that a point is real, σ of its logit, on a fixed 0–1 scale (see the "
                "colour bar).")
    else:
        name = {"wgan-gp": "the WGAN-GP critic's", "hinge": "the hinge D's", "lsgan": "the least-squares D's"}.get(
            config.loss, "D's")
        text = (f"Background: {name} raw score, not a probability (higher: judged more real). It is unbounded, "
                "so the colours span its 2nd to 98th percentile in each picture: compare points within one "
                "picture, not across steps.")
    if config.pack > 1:
        text += (f" With packing, D judges {config.pack} samples at once: the background is D on {config.pack} "
                 "copies of the same point, a slice through what it sees, not a verdict on one point.")
    if config.minibatch_std:
        text += " With minibatch std, the batch statistic D is given comes from G's current samples."
    return text


def d_title(config: GANConfig) -> str:
    return plots.d_colorbar_title(plots.d_kind_of(config.loss), config.pack)


def loss_names(config: GANConfig) -> dict[str, str]:
    """The loss curves' legend: WGAN-GP's recorded D loss includes its gradient penalty, and says so."""
    from explainer.gan.losses import GP_WEIGHT

    d = f"D loss (incl. λ·GP, λ = {GP_WEIGHT:g})" if config.loss == "wgan-gp" else "D loss"
    return {"d_loss": d, "g_loss": "G loss"}


def seed_note(result) -> None:
    diverged = np.asarray(result.diverged, dtype=bool)
    if result.status == DIVERGED:
        st.error("**Diverged**: every seed produced NaN or infinite values and was stopped; the curves show how "
                 "far it got. Lower the learning rates to train it.", icon=":material/error:")
    elif diverged.any():
        st.warning(f"{int(diverged.sum())} of {len(diverged)} seeds diverged (NaN/inf) and were stopped.",
                   icon=":material/warning:")


def scores_row(result, seed_index: int | None = None, short: bool = False) -> None:
    """The final scores as big numbers (one seed, or the mean over seeds); `short` labels fit a half-width
    column (a comparison's side) without being cut off."""
    m = result.metrics
    rows = m if seed_index is None else m.iloc[[seed_index]]
    c = GANConfig.of(result)
    data = get_dataset(c.dataset, c.points or None) if not c.is_image else None
    def show(label, column, fmt, help):
        value = rows[column].mean() if column in rows else float("nan")
        cols[len(shown)].metric(label, "n/a" if np.isnan(value) else fmt.format(value), help=help)
        shown.append(label)

    shown = []
    if data is not None and getattr(data, "modes", None) is not None:
        cols = st.columns(3)
        show("Modes" if short else "Modes covered", "modes_covered",
             ("{:.0f}" if len(rows) == 1 else "{:.1f}") + f" / {len(data.modes)}",
             "Modes covered: modes with at least one high-quality sample (of 2,500 samples).")
        show("High quality" if short else "High-quality samples", "high_quality", "{:.1%}",
             "High-quality samples: samples within 3σ of their nearest mode.")
        show("Reverse KL", "reverse_kl", "{:.3f}", "KL(high-quality mode histogram ‖ uniform), in nats; "
             "n/a when no sample is high quality.")
    elif "classes_covered" in m:
        cols = st.columns(3)
        # short labels at every width: the long ones were cut off ("Digit classes…") in a third of the page
        show("Classes", "classes_covered", "{:.0f} / 10", "Digit classes produced: the classes the digits "
             "classifier sees among the samples.")
        show("Rarest class", "min_class_share", "{:.1%}", "Share of the least frequent digit (10% is even).")
        show("Confident", "confident_share", "{:.0%}", "Confident samples: those the classifier labels with "
             "≥ 0.9 probability.")


def snapshot_scores(config: GANConfig):
    """A replay frame's title: its step and the first seed's scores then, so the numbers move with the replay."""
    modes = get_dataset(config.dataset, config.points or None).modes
    n_modes = 0 if modes is None else len(modes)

    def title(snap) -> str:
        a = snap.arrays
        value = lambda name: float(np.asarray(a[name])[0])  # noqa: E731
        first, second = [f"<b>step {snap.step:,}</b>"], []
        if "modes_covered" in a and n_modes:
            first.append(f"{value('modes_covered'):.0f} / {n_modes} modes")
        if "high_quality" in a:
            second.append(f"{value('high_quality'):.1%} high quality")
        if "reverse_kl" in a:
            second.append("reverse KL " + ("n/a" if not np.isfinite(value("reverse_kl")) else
                                           f"{value('reverse_kl'):.3f}"))
        # two lines: a title does not wrap, and one line of all four was cut off on a phone
        return " · ".join(first) + ("<br>" + " · ".join(second) if second else "")

    return title


def lab_result(result, layers, height: int | None = None) -> None:
    """The 2D lab: one replayable figure (the scene, the losses and the scores over training, with the frame's
    step marked and its scores in the title) and, when there are no snapshots, the final scores. On a
    presenter's slide the curves sit beside the scene, so the figure with its Play button and slider fits above a
    1080 px fold."""
    beside = presenter.is_on()  # a wide slide: the curves beside the scene
    height = height or (700 if beside else 900)
    c = GANConfig.of(result)
    seed_note(result)
    modes = getattr(get_dataset(c.dataset, c.points or None), "modes", None)
    if not result.snapshots:
        scores_row(result, 0)
        charts.show(loss_curves(result, 260), key=f"loss-{result.key}")
    else:
        fig = figure(result, "replay", lambda: replay.lab_replay(
            real_points(c.dataset, c.points), result.snapshots, 0, scene_view(result), layers, result.history,
            loss_names(c), None if modes is None else len(modes), height,
            d_kind=result.extra.get("d_grid_kind", "probability"), d_title=d_title(c),
            frame_title=snapshot_scores(c), beside=beside), layers, height, beside)
        charts.show(fig, key=f"replay-{result.key}")
        st.caption("Press ▶ Play to replay training from its snapshots, or drag the step slider: the title gives "
                   f"that step's scores (seed {c.seed}, 2,500 samples: modes with a high-quality sample; samples "
                   "within 3σ of a mode; reverse KL of the mode histogram against uniform) and the dotted line marks "
                   "it on the curves. Green: real data; purple: generated."
                   + (" " + background_caption(c) if "heatmap" in layers else ""))
    wall, device = result.extra.get("wall_s"), result.extra.get("device")
    if wall:
        st.caption(f"Trained {result.extra.get('steps_done', c.steps):,} G steps in {wall:.1f} s on {device}.")


COMPACT_SCENE, COMPACT_LOSS = 420, 220  # px: one side of a comparison, the same on both sides


def compact_header(config: GANConfig, layers, title: str) -> None:
    """The top of one side of a comparison: its name, what it is and what its background shows. Drawn in a row
    of its own, so the pictures below start at the same height on both sides however the text wraps."""
    st.subheader(title)
    st.caption(describe(config) + ("  \n" + background_caption(config) if "heatmap" in layers else ""))


def compact_result(result, layers, y_range=None) -> None:
    """One side of a comparison: the final scene, the scores and the losses, at the same heights on both sides
    (`y_range`: the loss axis both sides share)."""
    c = GANConfig.of(result)
    seed_note(result)
    if result.snapshots:
        last = result.snapshots[-1]
        arrays = {k: v[0] for k, v in last.arrays.items() if np.ndim(v) > 1}
        fig = figure(result, "scene", lambda: plots.gan_scene(
            real_points(c.dataset, c.points), arrays, scene_view(result), layers, COMPACT_SCENE,
            d_kind=result.extra.get("d_grid_kind", "probability"), d_title=d_title(c)), layers)
        charts.show(fig, key=f"cmp-scene-{result.key}")
    scores_row(result, 0, short=True)
    charts.show(loss_curves(result, COMPACT_LOSS, y_range), key=f"cmp-loss-{result.key}")


def loss_curves(result, height: int, y_range=None):
    y_range = tuple(y_range) if y_range else None
    return figure(result, "losses", lambda: plots.curves(
        result.history, loss_names(GANConfig.of(result)), height=height, y_title="loss", y_range=y_range),
        height, y_range)


def loss_range(results) -> tuple[float, float] | None:
    """The loss axis that finished runs shown side by side share."""
    return plots.shared_range([r.history for r in results if r is not None], ("d_loss", "g_loss"))


@st.cache_resource(max_entries=32, show_spinner=False)
def _untrained(key: str, _config: GANConfig):
    from explainer.gan.trainer import initial_snapshot

    return initial_snapshot(_config)


def untrained_scene(config: GANConfig, layers, name: str = "lab"):
    """A `preview()` for jobs.show: the real data and the untrained models (step 0) before anything trains, so
    changing a knob never blanks the picture. Computed inline (tens of ms) and kept per process. A name other
    than "lab" is a comparison's side: drawn at its size, its background said in its header."""
    compact = name != "lab"

    def preview() -> None:
        if config.is_image:
            return
        snap = _untrained(config.key(), config)
        arrays = {k: v[0] for k, v in snap.arrays.items() if np.ndim(v) > 1}
        view_box = get_dataset(config.dataset, config.points or None).view
        charts.show(plots.gan_scene(real_points(config.dataset, config.points), arrays, view_box, layers,
                                    COMPACT_SCENE if compact else 480,
                                    d_kind=plots.d_kind_of(config.loss), d_title=d_title(config)),
                    key=f"untrained-{name}-{config.key()}")
        st.caption("Step 0: the real data and what the untrained G and D draw. Press Train to watch them learn."
                   + (" " + background_caption(config) if "heatmap" in layers and not compact else ""))

    return preview


def live_scene(config: GANConfig, layers, compact: bool = False):
    """A `draw(view)` for jobs.live: the newest snapshot of a running 2D job and its losses so far, laid out as
    the finished run's replay is (one frame for the untrained, live and finished views): the curves under the
    scene, or beside it on a presenter's slide; at a finished side's sizes on a comparison's (half-width) side."""
    real = real_points(config.dataset, config.points) if not config.is_image else None
    view_box = None if config.is_image else get_dataset(config.dataset, config.points or None).view

    def draw(view: JobView) -> None:
        trail = st.session_state.setdefault(f"trail:{view.key}", [])
        if view.losses and (not trail or trail[-1][0] != view.step):
            trail.append((view.step, view.losses.get("d_loss"), view.losses.get("g_loss")))
        left, right = st.columns([3, 2]) if presenter.is_on() and not compact else (st.container(), st.container())
        snap = view.snapshot
        with left:
            if snap is not None and config.is_image and "images" in snap.arrays:
                fig = charts.snapshot_figure(snap, "live-images", lambda: plots.image_grid(snap.arrays["images"][0]))
                charts.show(fig, key=f"live-img-{view.key}", live=True)
            elif snap is not None and "samples" in snap.arrays:
                arrays = {k: v[0] for k, v in snap.arrays.items() if np.ndim(v) > 1}
                height = COMPACT_SCENE if compact else 480
                fig = charts.snapshot_figure(snap, "live-scene", lambda: plots.gan_scene(
                    real, arrays, view_box, layers, height, d_kind=plots.d_kind_of(config.loss),
                    d_title=d_title(config)), tuple(layers), height)
                charts.show(fig, key=f"live-{view.key}", live=True)
            background = "heatmap" in layers and not config.is_image and not compact  # compact: in the header
            st.caption(f"Newest snapshot: step {snap.step:,}." + (" " + background_caption(config) if background
                                                                   else "")
                       if snap is not None else "Waiting for a snapshot...")
        with right:
            if len(trail) > 1:
                df = pd.DataFrame(trail, columns=["step", "d_loss", "g_loss"]).assign(seed=0)
                fig = plots.curves(df, loss_names(config), height=COMPACT_LOSS if compact else 260, y_title="loss")
                charts.show(fig, key=f"live-loss-{view.key}", live=True)

    return draw
