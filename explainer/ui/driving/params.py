"""The "Autonomous driving" page's URL parameters: one list for the whole page, so every knob is a link.

Ranges come from the engine's configs, so the URL can never hold a value the engine would reject; an
out-of-range seed or step is clamped (with the page's link notice), an unknown section or scenario falls back
to the default.
"""
from explainer.driving import dagger, data_engine, episode, sim
from explainer.driving.presets import LIVE_DATA_ENGINE, PILOTNET
from explainer.urlstate import ChoiceParam, IntParam

PAGE = "drive"

SECTIONS = {
    "stack": "① The stack",
    "steering": "② End-to-end steering",
    "imitation": "③ Cloning vs DAgger",
    "data-engine": "④ The data engine",
}
SCENARIO_LABELS = {"highway": "Highway (highway-fast-v0)", "racetrack": "Racetrack (racetrack-v0)"}
RUNS = {"full": "The full experiment (shipped)", "live": "A smaller one, run live"}
MAX_STEP = episode.RULES["steps"].hi - 1
assert set(SCENARIO_LABELS) == set(sim.SCENARIOS)


def specs():
    def seed(name, rule):
        return IntParam(name, 0, rule.lo, rule.hi)

    return [
        ChoiceParam("section", "stack", tuple(SECTIONS)),
        ChoiceParam("scenario", "highway", tuple(SCENARIO_LABELS)),
        seed("eseed", episode.RULES["seed"]),  # the episode's seed (0 ships recorded)
        IntParam("step", 0, 0, MAX_STEP),  # the replayed step the tables show (clamped to the episode's length)
        # the held-out frame whose saliency is shown: by default one in the first curve, not the start (frame 0,
        # where the car begins off the centre line and the expert steers hard back: the drive's outlier)
        IntParam("sframe", 12, 0, PILOTNET.test_steps - 1),
        ChoiceParam("dagger", "full", tuple(RUNS)),
        seed("dseed", dagger.RULES["seed"]),  # the live DAgger run's seed
        ChoiceParam("engine", "full", tuple(RUNS)),
        IntParam("gseed", LIVE_DATA_ENGINE.seed, data_engine.RULES["seed"].lo, data_engine.RULES["seed"].hi),
    ]

