"""Section ③ of the driving page: behaviour cloning versus DAgger on the same held-out drives."""
import numpy as np
import streamlit as st

from explainer.driving import dagger, imitation, sim
from explainer.driving.presets import FULL_DAGGER, LIVE_DAGGER
from explainer.ui import charts, jobs, presenter
from explainer.ui.driving import plots
from explainer.ui.driving.params import RUNS


def config_for(url):
    if url.widget_value("dagger") == "full":
        return FULL_DAGGER
    return dagger.DaggerConfig(**{**LIVE_DAGGER.to_dict(), "seed": int(url.widget_value("dseed"))})


def render(url) -> None:
    st.header("Why imitation drifts: behaviour cloning versus DAgger")
    presenter.prose(
        f"""
The simplest way to learn to drive is to copy an expert: record what it does in each state and fit a network
to it (**behaviour cloning**). The catch is that the learner's own small mistakes take it
to states the expert never visited (the expert drives on the centre line, so its data never shows how to come
back from the edge of the lane), where the learner has no data and errs more: errors compound. **DAgger** (Ross,
Gordon & Bagnell 2011) fixes the data, not the model: let the learner drive, ask the expert what it *would* have
done in every state the learner reached, add those labels to everything collected so far and refit.

Here the task is lane keeping on highway-env's racetrack. The policy is a small network ({len(sim.FEATURES)}
kinematics inputs: {", ".join(sim.FEATURES)}; two hidden layers of 32; acceleration and steering out). The expert's
demonstrations start on the centre line; every test drive starts up to {imitation.TEST_START[0]:.0f} m off it and
{imitation.TEST_START[1]:.1f} rad off its heading. A drive fails when the car crashes, leaves the road or puts a
wheel over its lane's line ({sim.LANE_LIMIT} m from the centre). Every policy drives the same held-out seeds.
""", label="What behaviour cloning and DAgger are")
    st.latex(r"\text{behaviour cloning: } J(\hat\pi) \le J(\pi^*) + T^2\varepsilon"
             r"\qquad\qquad \text{DAgger: } J(\hat\pi) \le J(\pi^*) + u\,T\,\varepsilon_N + O(1)")
    presenter.prose(
        "T is the horizon, ε the learner's error rate on the expert's states, ε_N its error on its *own* state "
        "distribution after N rounds, and u how much one mistake can raise the expert's cost-to-go (Ross & Bagnell "
        "2010; Ross, Gordon & Bagnell 2011). Cloning's cost can grow with T²: a mistake early on puts the learner "
        "where it keeps making them. DAgger's grows with T, as long as u does not itself grow with T.",
        label="Reading the two bounds")
    which = url.widget(st.segmented_control, "dagger", "Run", format_func=RUNS.get, required=True)
    if which == "live":
        sim.preload()  # a live run is on offer: have the simulator imported before Train is pressed
        url.widget(st.number_input, "dseed", "Seed of the live run (0 is shipped)", step=1,
                   min_value=0, max_value=dagger.RULES["seed"].hi)
    config = config_for(url)
    jobs.show(config, lambda run: _result(run, config), what="this BC-vs-DAgger run", key="dagger")


def _result(run, config) -> None:
    h = run.history
    failed = [s.arrays["failed"] for s in run.snapshots]
    deviation = [s.arrays["deviation"] for s in run.snapshots]
    n = config.test_seeds
    bc, last = h.iloc[0], h.iloc[-1]
    c1, c2, c3 = st.columns(3)
    c1.metric("Behaviour cloning: held-out drives failed", f"{bc.failure_rate:.0%}",
              help=f"{round(bc.failure_rate * n)} of {n} drives of {config.horizon / sim.FREQUENCY:.0f} s.")
    c2.metric(f"DAgger after {config.rounds} rounds", f"{last.failure_rate:.0%}",
              delta=f"{100 * (last.failure_rate - bc.failure_rate):+.0f} points", delta_color="inverse")
    c3.metric("Labelled states", f"{int(bc.dataset)} → {int(last.dataset)}")
    left, right = st.columns(2, gap="large")
    charts.show(plots.failure_over_time(failed), container=left, key="drive:dagger:fail")
    charts.show(plots.deviation_over_time(deviation), container=right, key="drive:dagger:dev")
    charts.show(plots.failure_over_rounds(h), key="drive:dagger:rounds")
    bc_dev, dagger_dev = (float(np.nanmean(d)) if np.isfinite(d).any() else float("nan") for d in
                          (deviation[0], deviation[-1]))
    presenter.prose(
        f"Measured in this run: behaviour cloning learned from {int(bc.dataset)} expert states and failed "
        f"{round(bc.failure_rate * n)} of the {n} held-out drives; its drives were on average {bc_dev:.2f} m from "
        f"the lane centre while they lasted. After {config.rounds} DAgger rounds ({int(last.dataset)} states, all "
        f"labelled by the expert, most of them visited by the learner) it failed {round(last.failure_rate * n)} of "
        f"{n}, {dagger_dev:.2f} m from the centre on average. The run took {run.extra.get('wall_s', 0):.0f} s on "
        f"one CPU thread.{_non_monotone(h, n)}{_no_drift(bc)}", label="What this run measured")


def _no_drift(bc) -> str:
    """Said only when this run's cloned policy did not fail: the seed decides what its one demonstration covers."""
    if bc.failure_rate > 0:
        return ""
    return (" With this seed behaviour cloning did not fail any held-out drive, so this run shows no compounding "
            "failures; one run of one seed cannot say how often cloning fails. Compare the lane deviation curves, or "
            "try another seed.")


def _non_monotone(h, n: int) -> str:
    """A sentence for rounds that got worse, when there are any (measured, not assumed)."""
    worse = [int(r) for r, prev, now in zip(h.step[1:], h.failure_rate[:-1], h.failure_rate[1:], strict=True)
             if now > prev]
    if not worse:
        return ""
    rounds = ", ".join(str(r) for r in worse)
    return (f" The rounds need not improve one by one: round {rounds} failed more drives than the round before "
            "(each round refits the policy from scratch, on a data set that now also holds the previous policy's "
            "new mistakes).")
