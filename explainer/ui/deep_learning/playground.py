"""Section ② of the "Deep learning" page: the playground's trainer in session state, and its controls.

One trainer per session, keyed by its config: a new config (any knob) starts a new trainer at step 0. While
playing, a fragment reruns every TICK_S seconds and trains for about BUDGET_S seconds (the number of steps is
adapted to the measured speed), so the picture updates at least twice a second whatever the network's size.
"""
import math
import time
from collections import deque

import streamlit as st

from explainer.data.labelled import CLASS_RANGE
from explainer.deep_learning.playground import PlaygroundConfig, PlaygroundTrainer
from explainer.ui import charts, presenter
from explainer.ui.deep_learning import plots
from explainer.ui.deep_learning.params import (
    BATCHES,
    DATASET_LABELS,
    L2S,
    LRS,
    OPTIMIZER_LABELS,
    PLAYGROUND_FIELDS,
    SPEEDS,
)
from explainer.ui.jobs import log_poll

KEY = "dl:playground"  # {"config", "trainer", "rate": steps per second, "overhead": s per redraw, "ticks"}
PLAYING = "dl:playground:playing"
TICK_S = 0.5  # the fragment's period while playing
BUDGET_S = 0.2  # training time per tick
MAX_STEPS = 100_000  # playing pauses here (the picture has long settled; keeps the history small)


def entry(config: PlaygroundConfig) -> dict:
    """This session's trainer for `config`, made fresh when the config changed."""
    e = st.session_state.get(KEY)
    if e is None or e["config"] != config:
        e = {"config": config, "trainer": PlaygroundTrainer(config), "rate": None}
        st.session_state[KEY] = e
    return e


def is_playing() -> bool:
    return bool(st.session_state.get(PLAYING, False))


def on_play() -> None:
    """Button callback: Play or Pause. Play takes a first step at once (milliseconds), so the redraw it causes
    already shows training under way rather than step 0 for a whole tick."""
    st.session_state[PLAYING] = not is_playing()
    e = st.session_state.get(KEY)
    if is_playing() and e is not None and e["trainer"].steps == 0:
        e["trainer"].step(1)


def pause() -> None:
    st.session_state[PLAYING] = False


def epoch_steps(config: PlaygroundConfig) -> int:
    """Minibatch steps in one pass over the training set."""
    return max(1, config.n_train // min(config.batch_size, config.n_train))


def on_step() -> None:
    """Button callback: one epoch of training (and pause)."""
    pause()
    e = st.session_state.get(KEY)
    if e is not None:
        trainer = e["trainer"]
        trainer.step(min(epoch_steps(e["config"]), MAX_STEPS - trainer.steps) if trainer.steps < MAX_STEPS else 0)


def on_reset() -> None:
    """Button callback: a fresh trainer with the same config (same seed: the same start), paused."""
    pause()
    e = st.session_state.get(KEY)
    if e is not None:
        st.session_state[KEY] = {"config": e["config"], "trainer": PlaygroundTrainer(e["config"]), "rate": None}


def begin_tick(e: dict) -> None:
    """Note the start of a redraw (for `redraws_per_second`)."""
    ticks = e.setdefault("ticks", deque(maxlen=6))
    ticks.append(time.perf_counter())
    e["tick_start"] = ticks[-1]


def end_tick(e: dict) -> None:
    """Note how long the redraw took, so that training leaves room for it within TICK_S."""
    overhead = time.perf_counter() - e["tick_start"]
    e["overhead"] = overhead if "overhead" not in e else 0.5 * e["overhead"] + 0.5 * overhead


def redraws_per_second(e: dict) -> float | None:
    ticks = e.get("ticks")
    if not ticks or len(ticks) < 3 or time.perf_counter() - ticks[-1] > 2 * TICK_S + 1:
        return None
    return (len(ticks) - 1) / (ticks[-1] - ticks[0])


def advance(e: dict, per_tick: int = 0) -> float:
    """Train `per_tick` steps (the speed control: so a viewer can follow the boundary), or with 0 for about
    BUDGET_S seconds, less when drawing is slow (a busy machine), so that drawing plus training fit in TICK_S; the
    number of steps then follows the speed measured on the previous ticks. Returns the seconds spent."""
    trainer = e["trainer"]
    budget = min(BUDGET_S, max(0.05, 0.8 * TICK_S - e.get("overhead", 0.1)))
    n = 10 if not e["rate"] else int(min(max(e["rate"] * budget, 1), 20_000))
    if per_tick:
        n = min(n, per_tick) if e["rate"] else per_tick
    n = min(n, MAX_STEPS - trainer.steps)
    if n <= 0:
        return 0.0
    start = time.perf_counter()
    trainer.step(n)
    spent = time.perf_counter() - start
    rate = n / max(spent, 1e-4)
    e["rate"] = rate if not e["rate"] else 0.5 * e["rate"] + 0.5 * rate
    return spent


PRESETS = {
    "Spiral, no hidden layer": dict(data="spiral", classes=3, depth=0, opt="adam", lr=0.03, noise=0.05),
    "Spiral, 3 hidden layers": dict(data="spiral", classes=3, depth=3, width=16, act="relu", opt="adam", lr=0.01,
                                    noise=0.05),
    "Few noisy points (overfit)": dict(data="circles", classes=2, noise=0.3, points=60, depth=4, width=32,
                                       act="relu", opt="adam", lr=0.01, l2=0.0),
    "Learning rate too large": dict(data="moons", opt="sgd", lr=10.0, depth=2, width=8, act="tanh"),
}


def _apply_preset(url, values: dict) -> None:
    defaults = {s.key: s.default for s in url.specs.values() if s.key in PLAYGROUND_FIELDS}
    for key, value in {**defaults, **values}.items():
        url.set_widget_value(key, value)
    pause()


def render(url) -> None:
    """Section ②: the playground's knobs, Play/Step/Reset, and the live boundary and loss curves."""
    st.header("Playground: a network that trains while you watch")
    presenter.prose(
        """
A multilayer perceptron takes the two coordinates of a point and outputs one score per class; the softmax turns
the scores into probabilities. Every training step takes a minibatch of training points, computes the loss below,
backpropagates it and applies the update rule. The background is the network's belief over the plane: the colour
of the class it predicts, fading to white where it is unsure, so the decision boundary is where colours meet.
Points with a white rim are training points; points with a dark rim are test points it never trains on. When the
test loss climbs while the training loss keeps falling, the network is memorising rather than learning.
""",
        label="How it works",
    )
    controls, out = presenter.demo_first("playground").columns([1, 2.9], gap="large")
    with controls, presenter.folded("Data"):  # on a slide the network and training knobs come first
        dataset = url.widget(st.selectbox, "data", "Dataset", format_func=DATASET_LABELS.get)
        lo, hi = CLASS_RANGE[dataset]
        if not lo <= url.widget_value("classes") <= hi:  # the new dataset allows fewer or more classes
            url.set_widget_value("classes", min(max(url.widget_value("classes"), lo), hi))
        classes = url.widget(st.slider, "classes", "Classes", disabled=lo == hi,
                             help=f"{DATASET_LABELS[dataset]} has exactly {lo} classes." if lo == hi else None)
        noise = url.widget(st.slider, "noise", "Noise", step=0.01)
        points = url.widget(st.slider, "points", "Points", step=10)
        test = url.widget(st.slider, "test", "Share held out for testing", step=0.05)
    with controls:
        st.markdown("**Network**")
        depth = url.widget(st.slider, "depth", "Hidden layers")
        width = url.widget(st.slider, "width", "Units per layer", disabled=depth == 0)
        act = url.widget(st.selectbox, "act", "Activation")
        st.markdown("**Training**")
        opt = url.widget(st.segmented_control, "opt", "Optimiser", required=True,
                         format_func=OPTIMIZER_LABELS.get)
        lr = url.widget(st.select_slider, "lr", "Learning rate η", options=LRS, format_func=lambda v: f"{v:g}")
        l2 = url.widget(st.select_slider, "l2", "L2 strength λ", options=L2S, format_func=lambda v: f"{v:g}")
        batch = url.widget(st.select_slider, "batch", "Batch size", options=BATCHES)
        seed = url.widget(st.number_input, "seed", "Seed", step=1)
        url.widget(st.toggle, "logloss", "Loss on a log scale", help="A linear axis flattens the slow decline "
                   "after the first few thousand steps; a log axis keeps it visible.")
        speed = url.widget(st.select_slider, "speed", "Speed", options=tuple(SPEEDS), format_func=SPEEDS.get,
                           help="Training steps per redraw (about two redraws a second). Full speed trains as "
                                "fast as this server can, thousands of steps a second: too fast to watch.")
    config, notes = PlaygroundConfig.clamped(
        dataset=dataset, n_classes=classes, noise=noise, n_samples=points, test_fraction=test, depth=depth,
        width=width, activation=act, lr=lr, l2=l2, batch_size=batch, optimizer=opt, seed=seed)
    current = entry(config)
    playing = is_playing()
    with out:
        if notes:
            st.warning("Adjusted: " + "; ".join(notes) + ".", icon=":material/tune:")
        b1, b2, b3, b4 = st.columns([1, 1, 1, 2.2])
        b1.button("Pause" if playing else "Play", type="primary", width="stretch", key="dl:pg:play",
                  icon=":material/pause:" if playing else ":material/play_arrow:", on_click=on_play)
        b2.button("Step", icon=":material/skip_next:", width="stretch", key="dl:pg:step",
                  on_click=on_step,
                  help=f"One epoch: {epoch_steps(config)} minibatch steps over the training set.")
        b3.button("Reset", icon=":material/restart_alt:", width="stretch", key="dl:pg:reset",
                  on_click=on_reset, help="Back to step 0 with the same seed.")
        with b4.popover("Try these", icon=":material/lightbulb:", width="stretch"):
            for name, values in PRESETS.items():
                st.button(name, key=f"dl:pg:preset:{name}", width="stretch", on_click=_apply_preset,
                          args=(url, values))

        @st.fragment(run_every=TICK_S if playing else None)
        def live() -> None:
            # Train first, then draw: the tick's picture shows the steps it took. The charts are live charts
            # (charts.show(live=True)): each tick redraws the same node in place; a plain st.plotly_chart with new
            # data is a new element, blank until the browser has drawn it. A run_every tick never interrupts a
            # run (Streamlit queues it); a click (Pause) does, at the first Streamlit call after the training,
            # and its full rerun draws everything.
            e = st.session_state.get(KEY, current)
            trainer = e["trainer"]
            still_playing = is_playing()  # not `playing`: Pause may have come since the full run
            trained = advance(e, speed) if still_playing else 0.0
            begin_tick(e)
            state = trainer.state()
            if still_playing and (state["diverged"] or trainer.steps >= MAX_STEPS):
                pause()
                st.rerun()
            epoch = state["step"] * trainer.batch_size / len(trainer.y_train)
            # three a row, training above test: six in one row cut a five-digit step count short ("28,8…")
            m = [*presenter.one_row("pg-train").columns(3), *presenter.one_row("pg-test").columns(3)]
            m[0].metric("Step", f"{state['step']:,}", help="Minibatch steps taken.")
            m[1].metric("Train loss", _fmt(state["train_loss"]))
            m[2].metric("Train accuracy", f"{state['train_acc']:.0%}")
            m[3].metric("Epoch", f"{epoch:,.1f}", help="Passes over the training set.")
            m[4].metric("Test loss", _fmt(state["test_loss"]))
            m[5].metric("Test accuracy", f"{state['test_acc']:.0%}")
            status = st.empty()  # one slot, always there, so the charts below keep their place (no remounting)
            redraws = redraws_per_second(e)
            if state["diverged"]:
                status.error("**Diverged:** the loss became infinite or NaN, so training stopped. Lower the "
                             "learning rate and press Reset.", icon=":material/error:")
            elif trainer.steps >= MAX_STEPS:
                status.info(f"Paused at {MAX_STEPS:,} steps; press Reset to train again.",
                            icon=":material/pause_circle:")
            elif still_playing and e["rate"] and redraws and speed:
                status.caption(f"{speed:,} step{'s' if speed > 1 else ''} a redraw, {redraws:.1f} redraws a "
                               f"second: about {speed * redraws:,.0f} steps a second (full speed here: about "
                               f"{e['rate']:,.0f}).")
            elif still_playing and e["rate"] and redraws:
                status.caption(f"Training at about {e['rate']:,.0f} steps a second, redrawn {redraws:.1f} times "
                               "a second.")
            else:
                status.caption("Press Play to train live, or Step for one epoch at a time.")
            xs, ys, probs = trainer.decision_grid(100)
            left, right = st.columns([1.5, 1])
            charts.show(plots.decision_boundary(xs, ys, probs, trainer.data(), trainer.bounds, width=430),
                        key="dl:pg:boundary", container=left, live=True)
            charts.show(plots.loss_curves(state["history"], log_y=url.get("logloss")), key="dl:pg:loss",
                        container=right, live=True)
            end_tick(e)
            log_poll("playground", e["tick_start"] - trained, step=trainer.steps, train_s=trained)

        live()
        st.markdown("**The loss it minimises, and the update rule it applies**")
        f1, f2 = st.container(), st.container()  # stacked: side by side the update rule was cut off on the right
        f1.latex(current["trainer"].loss_latex())
        f1.caption("$f_c(x)$ is the network's score for class $c$; $B$ the batch size."
                   + (r" The L2 penalty $\tfrac{\lambda}{2}\sum_\ell \lVert W_\ell \rVert^2$ on the weight matrices"
                      r" enters once, as its gradient $\lambda w$ in the update rule; it is not in $L$, and the"
                      r" loss chart shows $L$ alone." if config.l2 > 0 else ""))
        f2.latex(current["trainer"].update_rule_latex())


def _fmt(x: float) -> str:
    return "—" if not math.isfinite(x) else f"{x:.3f}"


