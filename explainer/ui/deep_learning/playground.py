"""Section 2 of the "Deep learning" page: the playground's trainer in session state, and its controls.

One trainer per session, keyed by its config: a new config (any knob) starts a new trainer at step 0. While
playing, a fragment reruns every TICK_S seconds and trains for about BUDGET_S seconds (the number of steps is
adapted to the measured speed), so the picture updates at least twice a second whatever the network's size.
"""
import time
from collections import deque

import streamlit as st

from explainer.deep_learning.playground import PlaygroundConfig, PlaygroundTrainer

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
    st.session_state[PLAYING] = not is_playing()


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


def advance(e: dict) -> float:
    """Train for about BUDGET_S seconds, less when drawing is slow (a busy machine), so that drawing plus training
    fit in TICK_S; the number of steps follows the speed measured on the previous ticks. Returns the seconds spent."""
    trainer = e["trainer"]
    budget = min(BUDGET_S, max(0.05, 0.8 * TICK_S - e.get("overhead", 0.1)))
    n = 10 if not e["rate"] else int(min(max(e["rate"] * budget, 1), 20_000))
    n = min(n, MAX_STEPS - trainer.steps)
    if n <= 0:
        return 0.0
    start = time.perf_counter()
    trainer.step(n)
    spent = time.perf_counter() - start
    rate = n / max(spent, 1e-4)
    e["rate"] = rate if not e["rate"] else 0.5 * e["rate"] + 0.5 * rate
    return spent
