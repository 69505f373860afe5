"""The driving page's runs that ship in explainer/presets/, so the page draws at once on a fresh install: the
replayed episodes, the full BC-vs-DAgger result, its live-sized version, and the data engine."""
from explainer.driving.dagger import DaggerConfig
from explainer.driving.data_engine import DataEngineConfig
from explainer.driving.episode import EpisodeConfig
from explainer.driving.pilotnet import PilotNetConfig

LIVE_DAGGER = DaggerConfig(rounds=2, test_seeds=4, horizon=50)  # the page's live version: ≈ 20 s on one thread
# small rounds (30 states) from 20 to 170 states: the data-poor regime, where who drove could matter most (≈ 230 s)
FULL_DAGGER = DaggerConfig(rounds=5, episode_steps=30, test_seeds=12, horizon=75, epochs=500, train_seeds=5)
LIVE_DATA_ENGINE = DataEngineConfig(rounds=1, fleet=4, test_seeds=4, seed=1)  # seed 1: rare 4 → 0 of 4 (seed 0: 0 → 3)
# one label a round, the trigger's worst disagreement: with every triggered state labelled (≈ 75 in round 1) the
# rare failures were gone after one round; a budget shows how the rate falls as labels arrive (bench/RESULTS.md)
# seed 7: a seed whose first policy fails the rare drives (with seeds 0, 3 and 6 of 0-7 it already brakes for the
# car, bench/RESULTS.md); the page says the seed was chosen
FULL_DATA_ENGINE = DataEngineConfig(rounds=4, fleet=6, test_seeds=10, label_budget=1, seed=7)
PILOTNET = PilotNetConfig()  # ≈ 11 s to collect and train on one CPU thread; ships its 50k weights
EPISODES = {"highway": EpisodeConfig("highway", 0, 50), "racetrack": EpisodeConfig("racetrack", 0, 50)}

PRESETS = {f"driving-episode-{name}": config for name, config in EPISODES.items()} | {
    "driving-dagger": FULL_DAGGER, "driving-dagger-live": LIVE_DAGGER,
    "driving-pilotnet": PILOTNET, "driving-data-engine": FULL_DATA_ENGINE, "driving-data-engine-live": LIVE_DATA_ENGINE}
