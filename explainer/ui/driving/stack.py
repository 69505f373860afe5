"""Section ① of the driving page: one expert episode replayed, with what each stage of the stack sees."""
import time

import numpy as np
import pandas as pd
import streamlit as st

from explainer.driving import episode, sim
from explainer.driving.presets import EPISODES
from explainer.runs.result import derived
from explainer.ui import charts, jobs, presenter
from explainer.ui.driving import plots
from explainer.ui.driving.params import SCENARIO_LABELS


def render(url) -> None:
    st.header("The stack: perception → planning → control")
    presenter.prose(
        """
A self-driving car is usually built as a pipeline. **Perception** turns sensor data into a description of the
scene (where the other vehicles are and how fast they move); **prediction** estimates where each of them will be in
the next seconds; **planning** decides what to do (keep the lane or change lanes, speed up or brake); **control**
turns that into steering and acceleration. This episode has no prediction stage: the expert below plans from where
the other vehicles are now and how fast they go, and the grid shows just that (which cells around the car are road
and which are taken, at this instant).
Below, a real traffic simulator (highway-env) drives one episode with a rule-based expert: the Intelligent Driver
Model (IDM) chooses the acceleration from its speed, the gap to the car ahead and how fast that gap closes, and
MOBIL decides lane changes from how much they would help the car and cost its neighbours. The whole episode is
simulated once and stored, so ▶ Play and the slider replay it in your browser without running the simulator again.
""", label="What the stack is")
    both = presenter.demo_first("stack")  # on a phone the replay comes first, the choice of episode after it
    c1, c2 = both.columns([2, 1])
    with c1:
        scenario = url.widget(st.segmented_control, "scenario", "Scene", format_func=SCENARIO_LABELS.get,
                              required=True)
    with c2:
        seed = url.widget(st.number_input, "eseed", "Episode seed (0 is recorded in advance)", step=1,
                          min_value=0, max_value=episode.RULES["seed"].hi)
    config = episode_config(scenario, int(seed))
    with both.container():
        jobs.show(config, lambda run: _replay(url, run, square=scenario == "racetrack"), what="this episode",
                  key="episode", autostart=True)


def episode_config(scenario: str, seed: int) -> episode.EpisodeConfig:
    """The episode of `scenario` and `seed`, as long as the shipped one."""
    shipped = EPISODES[scenario]
    return episode.EpisodeConfig(scenario, seed, shipped.steps)


PLAYING = "drive:playing"
RESEND = "drive:resend"  # the first run after a replay stops sends the link its step again (UrlState.resend)
STEP = "drive:step"  # the shown step while playing (the slider's own state is the browser's too: see scene())
ORIGIN = "drive:origin"  # (monotonic time, step) when Play was pressed: playing keeps to real time from there
STEP_S = 1 / sim.FREQUENCY  # a tick a recorded step while playing


def _playing() -> bool:
    return bool(st.session_state.get(PLAYING, False))


def _shown(url) -> int:
    return st.session_state[STEP] if _playing() and STEP in st.session_state else url.get("step")


def _move(url, by: int, last: int) -> None:
    step = int(np.clip(_shown(url) + by, 0, last))
    st.session_state[PLAYING] = False
    url.set_widget_value("step", step)


def _play(url, last: int) -> None:
    step = _shown(url)
    st.session_state[PLAYING] = not _playing()
    if _playing():
        st.session_state[STEP] = 0 if step >= last else step  # Play at the end starts again
        st.session_state[ORIGIN] = (time.monotonic(), st.session_state[STEP])
    else:
        url.set_widget_value("step", step)  # the slider comes back where the replay stopped
        st.session_state[RESEND] = True


def _replay(url, run, square: bool) -> None:
    """One time control (Play, the step buttons and the slider) drives the picture, the tables and the commands'
    marker together: the server redraws them for the shown step, a tick a step while playing. `square`: the
    scene's rendering is square (the racetrack), not a wide strip (the highway)."""
    arrays = run.snapshots[0].arrays
    history = run.history
    last = len(history) - 1
    url.limit("step", last, "this episode's last step")  # a link, or an episode that ended early
    ended = str(run.metrics["ended"].iloc[0])
    if ended != "none":
        st.info(f"This episode ended early at step {last}: {ended}.", icon=":material/car_crash:")
    frames = derived(run, "driving-frames", lambda: [episode.frame(run, t) for t in range(last + 1)])
    playing = _playing()

    @st.fragment(run_every=STEP_S if playing else None)
    def scene() -> None:
        if _playing() != playing:  # Play or Pause pressed in this fragment: a full run sets the ticking
            st.rerun()
        if playing:  # the step lives in this session (and the link), not in the slider's state, which the
            # browser sends back with every tick as it last showed it (so a tick read as a drag a step back)
            if st.session_state[STEP] >= last:
                _play(url, last)
                st.rerun()
            # real time whatever the ticks do (late on a busy server, or more than one a period)
            started, first = st.session_state[ORIGIN]
            st.session_state[STEP] = min(last, first + max(1, int((time.monotonic() - started) * sim.FREQUENCY)))
            url.record("step", st.session_state[STEP])
        if presenter.is_phone():  # the buttons abreast, the slider under them at the screen's width
            b1, b2, b3, b4 = *presenter.one_row("drive-replay").columns(3), st.container()
        else:
            b1, b2, b3, b4 = st.columns([1.1, 0.8, 0.8, 5], vertical_alignment="bottom")
        b1.button("Pause" if playing else "Play", key="drive:play", type="primary", width="stretch",
                  icon=":material/pause:" if playing else ":material/play_arrow:", on_click=_play, args=(url, last),
                  help=f"Replay the recorded episode at real speed ({sim.FREQUENCY} steps a second).")
        b2.button("", key="drive:back", icon=":material/skip_previous:", on_click=_move, args=(url, -1, last),
                  width="stretch", help="One step back")
        b3.button("", key="drive:next", icon=":material/skip_next:", on_click=_move, args=(url, 1, last),
                  width="stretch", help="One step on")
        with b4:
            if playing:  # a progress bar while playing: a slider moved by the server and the browser both jumps
                t = st.session_state[STEP]
                st.progress(t / last, text=f"Step {t} of {last}")
            else:
                # no on_change: a busy browser can still send a slider it no longer shows with a tick, which
                # stopped the replay a step back (the slider is only drawn while paused)
                t = url.widget(st.slider, "step", "Step", min_value=0, max_value=last)
                if st.session_state.pop(RESEND, False):
                    url.resend("step")  # the address holds the step shown once a replay stops
        left, right = st.columns([1.6, 1], gap="large")
        picture = _per_step(run, "driving-replay", t,
                            lambda: plots.replay(frames[t], arrays["grid"][t], history, t, square, _height(square),
                                                 narrow=presenter.is_phone()))
        charts.show(picture, key="drive:replay", container=left, live=True)
        with right:
            _stage_tables(arrays["kinematics"][t], history.iloc[t])
        charts.show(_per_step(run, "driving-commands", t, lambda: plots.commands(history, t)),
                    key="drive:commands", live=True)

    scene()
    st.caption(f"The episode ({len(history)} steps, {len(history) / sim.FREQUENCY:.0f} s) was simulated once, in "
               f"{run.extra.get('wall_s', 0):.1f} s, and stored; replaying only reads the stored frames.")


def _height(square: bool) -> int | None:
    """The replay's height: its default on a page, less where the screen is short (a slide) or narrow."""
    if presenter.is_phone():
        return 620 if square else 480
    return (760 if square else 540) if presenter.is_on() else None


def _per_step(run, name: str, t: int, build):
    """The figure of step `t`, built once and shared by every viewer of this episode (one table per figure kind
    and view: a replay's steps would crowd each other out of the run's own small cache)."""
    figures = derived(run, name, dict, presenter.is_on(), presenter.is_phone())
    if t not in figures:
        figures[t] = charts.scale(build())
    return figures[t]


def _stage_tables(table: np.ndarray, row: pd.Series) -> None:
    st.markdown("**Perception: the nearest vehicles** (the ego's own row is absolute, the others relative to it)")
    names = ["ego"] + [f"vehicle {i}" for i in range(1, len(table))]
    frame = pd.DataFrame(table, columns=episode.KINEMATICS, index=names).dropna().round(1)
    st.dataframe(frame, width="stretch")
    st.markdown("**Planning and control at this step**")
    st.dataframe(pd.DataFrame({"stage": ["plan (MOBIL)", "acceleration (IDM)", "steering (lane keeping)"],
                               "decision": [episode.PLANS[int(row.plan)], f"{row.acceleration:+.1f} m/s²",
                                            f"{np.degrees(row.steering):+.1f}°"]}),
                 hide_index=True, width="stretch")
    features = {name: float(row[f"f{i}"]) for i, name in enumerate(sim.FEATURES)}
    gap = features["gap ahead (m)"]
    st.caption(f"Speed {features['speed (m/s)']:.1f} m/s; gap to the car ahead in its lane "
               f"{'more than ' if gap >= sim.GAP_MAX else ''}{gap:.0f} m; "
               f"{features['lateral offset (m)']:+.2f} m from the lane's centre.")
