"""The trained presets shipped in explainer/presets/: all there, loadable, equal to their configs, small.

Regenerate with `python -m explainer ship-presets` whenever a preset or the trainer changes.
"""
import pytest

from explainer.gan.config import GANConfig
from explainer.gan.presets import PRESETS
from explainer.paths import PRESETS_DIR
from explainer.runs.result import DIVERGED, DONE
from explainer.runs.store import RunStore

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
    assert run.key == config.key() and GANConfig.from_dict(run.config_dict) == config
    assert run.status in (DONE, DIVERGED) and len(run.metrics) == config.n_seeds and run.snapshots


def test_no_stale_entries_and_small():
    keys = {c.key() for c in PRESETS.values()}
    entries = [p for p in PRESETS_DIR.iterdir() if p.is_dir()] if PRESETS_DIR.exists() else []
    assert {p.name for p in entries} <= keys, "entries for configs that are no longer presets: re-ship"
    total = sum(f.stat().st_size for p in entries for f in p.iterdir())
    assert total < MAX_TOTAL_MB * 1e6
