"""What keeps live training at the engine's speed in the served app (no timings: the causes, checked directly)."""
import os
import tomllib

from tests.conftest import ROOT
from tests.support.fakes import GATES, FakeConfig


def test_streamlit_does_not_collect_garbage_after_every_script_run():
    """Streamlit's default runs gc.collect(2) after each script run, fragment reruns too: a watched job's fragment
    reruns twice a second per viewer, and each full collection holds the GIL long enough to starve the training
    thread (measured: 8% of the CLI's speed with one browser watching, 88% without the collections)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_a_cpu_job_trains_on_one_torch_thread(tmp_path):
    """Two intra-op threads per job on 2 busy cores ran 13x slower: the registry shares the cores out between its
    concurrent jobs (one thread each on this 2-core machine), set inside the training thread itself."""
    import torch

    from explainer.runs.jobs import JobRegistry
    from explainer.runs.store import RunStore
    from tests.support.fakes import fake_train

    seen = []

    def train(config, progress, stop):
        seen.append(torch.get_num_threads())
        return fake_train(config, progress, stop)

    GATES["count-threads"] = train
    registry = JobRegistry(store=RunStore(tmp_path, readonly=[]), max_jobs=2, cpu_threads=None)
    job = registry.get_or_start(FakeConfig(gate="count-threads"))
    assert job.wait(10) and seen == [registry.cpu_threads]
    assert registry.cpu_threads == max(1, (os.cpu_count() or 1) // 2)
