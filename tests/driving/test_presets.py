"""The shipped driving runs: their held-out drives are drives they never trained on (the pages say so)."""
from explainer.driving import presets
from explainer.seeding import episode_seeds


def test_held_out_drives_are_not_training_drives_in_any_shipped_run():
    for config in (presets.FULL_DAGGER, presets.LIVE_DAGGER):
        for t in range(config.train_seeds):
            assert set(config.demo_seeds(t) + config.learner_seeds(t)).isdisjoint(config.held_out())
    for config in (presets.FULL_DATA_ENGINE, presets.LIVE_DATA_ENGINE):
        trained = set(episode_seeds(config.seed, "demo", config.demos))
        trained |= set(episode_seeds(config.seed, "fleet", config.rounds * config.fleet))
        assert trained.isdisjoint(episode_seeds(config.seed, "held_out", config.test_seeds))
    config = presets.PILOTNET
    assert episode_seeds(config.seed, "held_out", 1)[0] not in episode_seeds(config.seed, "demo", config.drives)
