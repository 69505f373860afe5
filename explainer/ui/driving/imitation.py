"""Section ③ of the driving page: DAgger against behaviour cloning at equal data, on the same held-out drives."""
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
    st.header("Behaviour cloning versus DAgger, at equal data")
    presenter.prose(
        f"""
The simplest way to learn to drive is to copy an expert: record what it does in each state and fit a network
to it (**behaviour cloning**). The worry is that the learner's own small mistakes take it to states the expert
never visited (an expert that drives on the centre line never shows how to come back from the edge of the lane),
where the learner has no data and errs more: errors can compound. **DAgger** (Ross, Gordon & Bagnell 2011) fixes
the data, not the model: let the learner drive, ask the expert what it *would* have done in every state the
learner reached, add those labels to everything collected so far and refit.

Here the task is lane keeping on highway-env's racetrack. The policy is a small network ({len(sim.FEATURES)}
kinematics inputs: {", ".join(sim.FEATURES)}; two hidden layers of 32; acceleration and steering out). A drive
fails when the car crashes, leaves the road or puts a wheel over its lane's line ({sim.LANE_LIMIT} m from the
centre). Every test drive starts up to {imitation.TEST_START[0]:.0f} m off the centre line and
{imitation.TEST_START[1]:.1f} rad off its heading, on held-out seeds no policy trained on.
""", label="What behaviour cloning and DAgger are")
    st.latex(r"\text{behaviour cloning: } J(\hat\pi) \le J(\pi^*) + T^2\varepsilon"
             r"\qquad\qquad \text{DAgger: } J(\hat\pi) \le J(\pi^*) + u\,T\,\varepsilon_N + O(1)")
    presenter.prose(
        "T is the horizon, ε the cloned policy's error rate (0-1 loss against the expert's action) on the expert's "
        "states, ε_N the best error any policy of the class reaches on the states the N DAgger learners visited, "
        "and u how much one mistake can raise the expert's cost-to-go, with costs in [0, 1] (Ross & Bagnell 2010; "
        "Ross, Gordon & Bagnell 2011). These are upper bounds: cloning's cost *can* grow with T²; for DAgger, some "
        "policy among the N it trains (not necessarily the last) stays within about uTε_N, the O(1) term needing N "
        "of order uT. Whether cloning actually does worse is a question for an experiment.",
        label="Reading the two bounds")
    presenter.prose(
        """
**The experiment, controlled as Ross et al. compare.** Every arm starts from the same policy, cloned from the
expert's demonstration (which starts on the centre line). Each round, each arm gets the same number of new
expert-labelled states from the same new episodes, and is refit from the same initial weights:

- **DAgger**: the learner drives from a perturbed start; the expert labels every state it reached.
- **Cloning, same starts**: the expert drives the same episode from the same perturbed start, for as many steps
  as the learner's drive lasted. DAgger and this arm differ only in *who drove*.
- **Cloning, centred starts**: the same, but the expert starts on the centre line, as in the demonstration.

The whole experiment is repeated for several training seeds (their own demonstrations, episodes and initial
weights); every policy drives the same held-out drives.
""", label="How the comparison is controlled")
    which = presenter.choice(url, "dagger", "Run", RUNS)
    if which == "live":
        sim.preload()  # a live run is on offer: have the simulator imported before Train is pressed
        url.widget(st.number_input, "dseed", "Seed of the live run (0 is shipped)", step=1,
                   min_value=0, max_value=dagger.RULES["seed"].hi)
    config = config_for(url)
    jobs.show(config, lambda run: _result(run, config), what="this BC-vs-DAgger run", key="dagger")


def _result(run, config) -> None:
    summary = dagger.summary(run.history)
    last = summary[summary.step == summary.step.max()].set_index("arm")
    first = summary[summary.step == 0].iloc[0]
    drives = config.train_seeds * config.test_seeds
    columns = st.columns(4)
    columns[0].metric("Demonstration alone: failed", f"{first.failure_rate:.0%}",
                      help=f"Cloning {first.dataset:.0f} expert states; {drives} held-out drives.")
    for column, arm in zip(columns[1:], dagger.ARMS, strict=True):
        row, name = last.loc[arm], plots.ARM_STYLES[arm][0]
        column.metric(f"{name[0].upper()}{name[1:]}: failed", f"{row.failure_rate:.0%}",
                      help=f"After {config.rounds} rounds, {row.dataset:.0f} labelled states; {drives} held-out "
                           f"drives ({config.train_seeds} training seeds × {config.test_seeds}).")
    charts.show(plots.failure_over_data(summary, height=330 if presenter.is_on() else 380), key="drive:dagger:data")
    failed, deviation = {}, {}
    for arm in (dagger.DEMO, *dagger.ARMS):
        failed[arm], deviation[arm] = dagger.drives(run, arm)
    left, right = st.columns(2, gap="large")
    charts.show(plots.failure_over_time(failed), container=left, key="drive:dagger:fail")
    charts.show(plots.deviation_over_time(deviation), container=right, key="drive:dagger:dev")
    presenter.prose(measured(run.history, config) + f" The run took {run.extra.get('wall_s', 0):.0f} s on one "
                    "CPU thread.", label="What this run measured")


def _count(rate: float, drives: int) -> str:
    return f"{round(rate * drives)} of {drives}"


def measured(history, config) -> str:
    """What the run's numbers show, and only that: counts of failed drives per arm, the arms compared seed by
    seed, and a verdict only where one arm failed fewer drives on most training seeds and more on none."""
    summary = dagger.summary(history)
    last = summary[summary.step == summary.step.max()].set_index("arm")
    first = summary[summary.step == 0].iloc[0]
    seeds, drives = config.train_seeds, config.train_seeds * config.test_seeds
    per_seed = f" ({first.failure_min:.0%}–{first.failure_max:.0%} per training seed)" if seeds > 1 else ""
    sizes = {arm: round(last.loc[arm].dataset) for arm in dagger.ARMS}
    sized = (f"every arm had {sizes['dagger']} labelled states" if len(set(sizes.values())) == 1 else
             "DAgger had {dagger}, cloning from the same starts {bc} and from centred starts {bc_centred} labelled "
             "states (an expert drive that failed sooner than the learner's gives fewer)".format(**sizes))
    vs_bc, vs_dagger = dagger.paired(history, "dagger", "bc"), dagger.paired(history, "bc", "dagger")
    text = [f"Cloning the demonstration alone ({first.dataset:.0f} expert states) failed "
            f"{_count(first.failure_rate, drives)} held-out drives{per_seed}. After {config.rounds} rounds "
            f"{sized}: DAgger failed {_count(last.loc['dagger'].failure_rate, drives)}, cloning from the same "
            f"starts {_count(last.loc['bc'].failure_rate, drives)}, cloning from centred starts "
            f"{_count(last.loc['bc_centred'].failure_rate, drives)}."]
    if seeds > 1:
        text.append(f"Seed by seed, DAgger failed fewer drives than cloning from the same starts on {vs_bc.fewer} "
                    f"of {seeds} training seeds, more on {vs_bc.more} and as many on {vs_bc.same}.")
    if vs_bc.clearly_fewer:
        text.append("So at equal data and from the same starts, DAgger's labels on the learner's own states made a "
                    "difference of their own in this run, beyond the amount of data.")
    elif vs_dagger.clearly_fewer:
        text.append("At equal data and from the same starts, cloning failed fewer drives than DAgger in this run.")
    else:
        text.append(f"At equal data, who drove made no clear difference to failures: the drop from the "
                    f"demonstration alone came with the extra data. Comparing cloning on {first.dataset:.0f} "
                    f"states with DAgger on {sizes['dagger']} would have credited DAgger with all of it.")
    text.append(_first_difference(summary, drives))
    text.append(_floor(summary))
    text.append(_starts(history, seeds))
    text.append(_deviation(history, last, seeds))
    return " ".join(text)


def _first_difference(summary, drives: int) -> str:
    """The first round after round 0 where the arms failed different numbers of drives, if one did before the last."""
    for step, rows in summary[summary.step > 0].groupby("step"):
        counts = {row.arm: round(row.failure_rate * drives) for row in rows.itertuples()}
        if step < summary.step.max() and len(set(counts.values())) > 1:
            return (f"Earlier, in round {step} ({rows.dataset.iloc[0]:.0f} states), they differed: DAgger failed "
                    f"{counts['dagger']} of {drives}, cloning from the same starts {counts['bc']}, from centred starts "
                    f"{counts['bc_centred']}.")
    return ""


def _floor(summary) -> str:
    """Said when, from some round before the last on, no arm failed any drive: the test cannot separate them."""
    last = int(summary.step.max())
    clean = [step for step in range(1, last + 1) if (summary[summary.step >= step].failure_rate == 0).all()]
    if not clean or clean[0] == last:
        return ""
    step = clean[0]
    states = summary[summary.step == step].dataset.iloc[0]
    return (f"From round {step} ({states:.0f} states) on, no arm failed any held-out drive: from there these drives "
            "cannot tell the arms apart; the lane deviation is the finer measure.")


def _starts(history, seeds: int) -> str:
    off, centred = dagger.paired(history, "bc", "bc_centred"), dagger.paired(history, "bc_centred", "bc")
    if off.clearly_fewer:
        return ("Where the expert started mattered: its drives from perturbed starts (like the held-out drives') "
                f"gave fewer failures than its drives from the centre on {off.fewer} of {seeds} training seeds.")
    if centred.clearly_fewer:
        return ("Cloning the expert's centred drives failed fewer drives than cloning its drives from perturbed "
                f"starts on {centred.fewer} of {seeds} training seeds.")
    return ("In the last round, whether the expert's drives started off the centre (like the held-out drives) or on "
            "it made no clear difference to failures.")


def _deviation(history, last, seeds: int) -> str:
    closer = dagger.paired(history, "dagger", "bc", column="mean_deviation")
    text = (f"While the drives lasted, DAgger's stayed {last.loc['dagger'].mean_deviation:.2f} m from the lane "
            f"centre on average, same-start cloning's {last.loc['bc'].mean_deviation:.2f} m and centred cloning's "
            f"{last.loc['bc_centred'].mean_deviation:.2f} m")
    if seeds == 1:
        return text + "."
    clear = closer.clearly_fewer or dagger.paired(history, "bc", "dagger", column="mean_deviation").clearly_fewer
    return (f"{text}; seed by seed, DAgger's were closer to the centre than same-start cloning's on {closer.fewer} "
            f"of {seeds} training seeds and farther on {closer.more}{'' if clear else ': no clear difference'}.")
