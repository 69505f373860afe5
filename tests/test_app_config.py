"""The served app's Streamlit settings that keep live training at the engine's speed."""
import tomllib

from tests.support.apptest import ROOT


def test_streamlit_does_not_collect_garbage_after_every_script_run():
    """Streamlit's default runs gc.collect(2) after each script run, fragment reruns too: a watched job's fragment
    reruns twice a second per viewer, and each full collection holds the GIL long enough to starve the training
    thread (measured: 8% of the CLI's speed with one browser watching, 88% without the collections)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
