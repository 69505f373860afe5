"""The driving page's runs that ship in explainer/presets/, so the page draws at once on a fresh install: the
replayed episodes, the full BC-vs-DAgger result, its live-sized version, and the data engine."""
from explainer.driving.dagger import DaggerConfig
from explainer.driving.data_engine import DataEngineConfig
from explainer.driving.episode import EpisodeConfig

LIVE_DAGGER = DaggerConfig(rounds=2, test_seeds=5)  # ≈ 15 s on one CPU thread: the page's live version
FULL_DAGGER = DaggerConfig(rounds=4, rollouts=2, test_seeds=12, horizon=75, epochs=500)
LIVE_DATA_ENGINE = DataEngineConfig(rounds=1, fleet=4, test_seeds=4)
FULL_DATA_ENGINE = DataEngineConfig(rounds=3, fleet=6, test_seeds=10)
EPISODES = {"highway": EpisodeConfig("highway", 0, 50), "racetrack": EpisodeConfig("racetrack", 0, 50)}

PRESETS = {f"driving-episode-{name}": config for name, config in EPISODES.items()} | {
    "driving-dagger": FULL_DAGGER, "driving-dagger-live": LIVE_DAGGER,
    "driving-data-engine": FULL_DATA_ENGINE, "driving-data-engine-live": LIVE_DATA_ENGINE}
