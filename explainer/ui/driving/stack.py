"""Section ① of the driving page: one expert episode replayed, with what each stage of the stack sees."""
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
    c1, c2 = st.columns([2, 1])
    with c1:
        scenario = url.widget(st.segmented_control, "scenario", "Scene", format_func=SCENARIO_LABELS.get,
                              required=True)
    with c2:
        seed = url.widget(st.number_input, "eseed", "Episode seed (0 is recorded in advance)", step=1,
                          min_value=0, max_value=episode.RULES["seed"].hi)
    config = episode_config(scenario, int(seed))
    jobs.show(config, lambda run: _replay(url, run), what="this episode", key="episode", autostart=True)


def episode_config(scenario: str, seed: int) -> episode.EpisodeConfig:
    """The episode of `scenario` and `seed`, as long as the shipped one."""
    shipped = EPISODES[scenario]
    return episode.EpisodeConfig(scenario, seed, shipped.steps)


def _move(url, by: int, last: int) -> None:
    url.set_widget_value("step", int(np.clip(url.widget_value("step") + by, 0, last)))


def _replay(url, run) -> None:
    arrays = run.snapshots[0].arrays
    history = run.history
    last = len(history) - 1
    url.limit("step", last, "this episode's last step")  # a link, or an episode that ended early
    ended = str(run.metrics["ended"].iloc[0])
    if ended != "none":
        st.info(f"This episode ended early at step {last}: {ended}.", icon=":material/car_crash:")
    frames = derived(run, "driving-frames", lambda: [episode.frame(run, t) for t in range(last + 1)])
    b1, b2, b3 = st.columns([1, 1, 6])
    b1.button("◀ Step", key="drive:back", on_click=_move, args=(url, -1, last), width="stretch")
    b2.button("Step ▶", key="drive:next", on_click=_move, args=(url, 1, last), width="stretch")
    with b3:
        t = url.widget(st.slider, "step", "Step shown in the tables (5 steps a second)", min_value=0,
                       max_value=last)
    left, right = st.columns([1.6, 1], gap="large")
    with left:
        fig = derived(run, "driving-replay", lambda: charts.scale(plots.replay(frames, arrays["grid"], history, t)),
                      t, presenter.is_on())
        charts.show(fig, key=f"drive:replay:{run.key[:8]}:{t}")
        st.caption("▶ Play replays the episode at real speed in your browser; drag its slider to scrub. "
                   "The tables on the right follow the step chosen above.")
    with right:
        _stage_tables(arrays["kinematics"][t], history.iloc[t])
    charts.show(plots.commands(history, t), key="drive:commands")
    st.caption(f"The episode ({len(history)} steps) was simulated once, in {run.extra.get('wall_s', 0):.1f} s, and "
               "stored; replaying only reads the stored frames.")


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
