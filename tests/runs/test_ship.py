"""The trained runs shipped in explainer/presets/ (every topic's, see explainer.site.shipped_runs): all there,
loadable, equal to their configs, small.

Regenerate with `python -m explainer ship-presets` whenever a preset or the trainer changes.
"""
import pytest

from explainer.deep_learning.recipe import KNOBS, configure
from explainer.paths import PRESETS_DIR
from explainer.runs.result import DIVERGED, DONE
from explainer.runs.store import RunStore
from explainer.site import shipped_runs

PRESETS = shipped_runs()

MAX_TOTAL_MB = 10  # "a few MB": the repository carries them


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return RunStore(tmp_path_factory.mktemp("empty-cache"), readonly=[PRESETS_DIR])  # presets only


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_preset_is_shipped_and_matches_its_config(store, name):
    config = PRESETS[name]
    run, source = store.load_entry(config.key())
    assert run is not None, f"preset {name!r} is not shipped (or is corrupt): run python -m explainer ship-presets"
    assert source == "preset"
    assert run.key == config.key() and type(config)(**_fields(run.config_dict, config)) == config
    assert run.status in (DONE, DIVERGED) and len(run.metrics) >= 1


def _fields(stored: dict, config) -> dict:
    """A stored config dict with JSON's lists back as the tuples the frozen config holds."""
    return {k: tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v
            for k, v in stored.items() if k in config.__dataclass_fields__}


def test_every_setting_the_recipe_offers_ships_at_seed_0():
    shipped = {c.key() for c in PRESETS.values()}
    for name, knobs in KNOBS.items():
        for knob in knobs:
            assert configure(name, knob).key() in shipped, (name, knob)


def test_no_stale_entries_and_small():
    keys = {c.key() for c in PRESETS.values()}
    entries = [p for p in PRESETS_DIR.iterdir() if p.is_dir()] if PRESETS_DIR.exists() else []
    assert {p.name for p in entries} <= keys, "entries for configs that are no longer presets: re-ship"
    total = sum(f.stat().st_size for p in entries for f in p.iterdir())
    assert total < MAX_TOTAL_MB * 1e6
