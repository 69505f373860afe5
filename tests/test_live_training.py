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


def test_the_gan_trainer_reports_step_1_as_soon_as_it_is_set_up():
    """A watcher's first step count comes after set-up and one step, not PROGRESS_EVERY_S later: the reports
    begin with step 0 (with the first snapshot) and then step 1, before any later step."""
    from explainer.gan.presets import PRESETS

    reports = []
    PRESETS["lab"].replace(steps=30, n_snapshots=2, grid_size=8, snapshot_samples=32).train(progress=reports.append)
    assert [r.step for r in reports[:2]] == [0, 1]
    assert reports[0].snapshot is not None and reports[1].snapshot is None


def test_a_poll_can_wait_for_a_just_started_jobs_first_step(tmp_path):
    """Job.wait_past(step) returns as soon as the job reports a later step (or ends), so a poll of a job that has
    just started shows its first step count instead of step 0 for a whole poll period."""
    import threading

    from explainer.runs.jobs import JobRegistry
    from explainer.runs.result import Progress
    from explainer.runs.store import RunStore
    from tests.support.fakes import fake_train

    go = threading.Event()

    def train(config, progress, stop):
        progress(Progress(step=0, total_steps=config.steps, elapsed_s=0.0, losses={}))
        go.wait(30)
        return fake_train(config, progress, stop)

    GATES["first-step"] = train
    registry = JobRegistry(store=RunStore(tmp_path, readonly=[]), max_jobs=1)
    job = registry.get_or_start(FakeConfig(gate="first-step"))
    assert not job.wait_past(0, 0.05)  # still at step 0: the wait ends at its timeout, saying so
    go.set()
    assert job.wait_past(0, 30) and job.view().step > 0
    assert job.wait(30) and job.wait_past(10**9, 30)  # an ended job never keeps a poll waiting


def test_a_live_snapshot_figure_is_built_once_for_every_poll_that_shows_it():
    """Polls that find no new snapshot rebuild nothing: one build per (snapshot, name, args), shared."""
    from explainer.runs.result import Snapshot
    from explainer.ui import charts
    from explainer.ui.gan import plots

    builds = []

    def build(snap):
        builds.append(snap.step)
        return plots.image_grid(snap.arrays["images"][0])

    import numpy as np

    first, second = (Snapshot(step=s, arrays={"images": np.zeros((1, 4, 8, 8), np.float32)}) for s in (0, 10))
    figs = [charts.snapshot_figure(first, "test", lambda: build(first), 480) for _ in range(3)]
    assert builds == [0] and figs[0] is figs[1] is figs[2]
    assert charts.snapshot_figure(second, "test", lambda: build(second), 480) is not figs[0] and builds == [0, 10]
    charts.snapshot_figure(first, "test", lambda: build(first), 420)  # other args: another figure
    assert builds == [0, 10, 0]
