"""Section ④ of the driving page: the data-engine loop on a rare scenario, measured round by round."""
from dataclasses import replace

import streamlit as st

from explainer.driving import data_engine as engine
from explainer.driving import sim
from explainer.driving.presets import FULL_DATA_ENGINE, LIVE_DATA_ENGINE
from explainer.ui import charts, jobs, presenter
from explainer.ui.driving import plots
from explainer.ui.driving.params import RUNS


def render(url) -> None:
    st.header("The data engine: find the failures, label them, retrain")
    presenter.prose(
        f"""
A policy trained on ordinary driving meets, once in a long while, something its data barely contains. Here the
common case is the racetrack with its light traffic; the rare case is a car {engine.BRAKE_GAP_M:.0f} m ahead in
the same lane that brakes hard to a stop {engine.BRAKE_AFTER_S:.0f} s into the drive. The loop meant to fix it:
the policy drives a "fleet" of drives (each one rare with probability {FULL_DATA_ENGINE.rare_share:.0%});
the expert runs in its shadow, and a **trigger**
fires on every step where the two disagree by more than {engine.TRIGGER} (in units of full braking or full
steering) or where the drive failed. Only those steps are labelled by the expert and added to the data (labels are
what costs, so a run may have a label budget: then only that many a round, the largest disagreements first); the
policy is retrained and measured again on the same held-out common and rare drives. At Tesla Autonomy Day
(22 April 2019) Andrej Karpathy spoke about training the networks, collecting data from the fleet, and automated
labelling; the loop here is our miniature of those ideas, and "data engine" is this page's name for it.

Whether the first policy fails the rare case depends on what its few common drives happened to contain: with some
seeds it already brakes for the car, and then there is nothing for the loop to fix. The shipped run's seed
({FULL_DATA_ENGINE.seed}) and the live run's default ({LIVE_DATA_ENGINE.seed}) were chosen as ones where it fails;
the live run says what any other seed shows, including when there is nothing to fix or the labels make it worse.
""", label="What the loop is")
    which = presenter.choice(url, "engine", "Run", RUNS)
    if which == "live":
        sim.preload()  # a live run is on offer: have the simulator imported before Train is pressed
        seed = url.widget(st.number_input, "gseed", f"Seed of the live run ({LIVE_DATA_ENGINE.seed} is shipped)",
                          step=1, min_value=0, max_value=engine.RULES["seed"].hi)
        config = replace(LIVE_DATA_ENGINE, seed=int(seed))
    else:
        config = FULL_DATA_ENGINE
    jobs.show(config, lambda run: _result(run, config), what="this data-engine run", key="engine")


def _result(run, config) -> None:
    h = run.history
    first, last = h.iloc[0], h.iloc[-1]
    n = config.test_seeds
    c1, c2, c3 = presenter.one_row("engine-scores").columns(3)
    c1.metric("Rare scenario: drives failed", f"{first.rare_failure_rate:.0%} → {last.rare_failure_rate:.0%}")
    c2.metric("Common driving: drives failed", f"{first.common_failure_rate:.0%} → {last.common_failure_rate:.0%}")
    c3.metric("Labelled states", f"{int(first.dataset)} → {int(last.dataset)}",
              help="Only the states the trigger fired on were labelled and added.")
    charts.show(plots.data_engine_rounds(h), key="drive:engine")
    per_round = "; ".join(
        f"round {int(r.step)}: the trigger fired on {int(r.triggered)} states, {int(r.mined)} labelled, rare "
        f"{round(r.rare_failure_rate * n)}/{n} failed, common {round(r.common_failure_rate * n)}/{n}"
        for r in h.iloc[1:].itertuples())
    budget = (f"a label budget of {config.label_budget} state{'s' if config.label_budget > 1 else ''} a round"
              if config.label_budget else "every triggered state labelled")
    presenter.prose(
        f"Measured in this run, on {n} held-out drives of each kind: trained on {int(first.dataset)} states of "
        f"common driving, the policy failed {round(first.rare_failure_rate * n)} of {n} rare drives and "
        f"{round(first.common_failure_rate * n)} of {n} common ones. Then {per_round}. "
        f"{config.fleet} fleet drives a round, {budget}; {run.extra.get('wall_s', 0):.0f} s on one CPU thread in "
        f"all.{_trend(h, n)}",
        label="What this run measured")


def _trend(h, n: int) -> str:
    """What the rare-case curve did, read off the rounds (a fall that is gradual, at once, or none)."""
    rare = [round(x * n) for x in h.rare_failure_rate]
    common = [round(x * n) for x in h.common_failure_rate]
    falls = sum(now < prev for prev, now in zip(rare[:-1], rare[1:], strict=True))
    rises = [int(r) for r, prev, now in zip(h.step[1:], rare[:-1], rare[1:], strict=True) if now > prev]
    held = (" while common driving stayed at " + f"{common[0]}/{n}") if len(set(common)) == 1 else (
        f"; common driving went {' → '.join(map(str, common))} of {n}")
    if rare[0] == 0:
        said = (" With this seed the policy trained on common driving already got through every rare drive, so this "
                "run shows nothing for the loop to fix (try another seed)")
        if rare[-1] > 0:
            said += f"; the added labels made it worse: {' → '.join(map(str, rare))} of {n} rare drives failed"
    elif rare[-1] >= rare[0]:
        said = f" The rare-case failures did not fall ({rare[0]} → {rare[-1]} of {n})"
    elif len(rare) == 2:
        said = f" The rare-case failures fell {rare[0]} → {rare[1]} of {n} in one round"
    elif falls == 1 and rare[1] == rare[-1]:
        said = f" The rare-case failures fell at once, {rare[0]} → {rare[1]} of {n}, after round 1, and stayed"
    else:
        said = f" The rare-case failures fell over {falls} rounds: {' → '.join(map(str, rare))} of {n}"
    if rises:
        said += f" (round {', '.join(map(str, rises))} failed more than the round before)"
    return said + held + "."
