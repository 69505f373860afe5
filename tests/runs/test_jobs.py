"""The job registry, with fake configs: train once, queue, cancel, failure, divergence."""
import os
import threading
import time

import pytest

from explainer.runs.jobs import FAILED, QUEUED, RETRAIN, RUNNING, JobRegistry, JobView, get_registry
from explainer.runs.result import CANCELLED, DIVERGED, DONE
from explainer.runs.store import RunStore
from tests.support.fakes import GATES, FakeConfig, fake_train
from tests.support.gates import TIMEOUT, GatedTrain, wait_for


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "cache", readonly=[])


def test_two_threads_same_config_train_once(store):
    train = GatedTrain()
    reg = JobRegistry(store=store)
    config, barrier, jobs = train.config(), threading.Barrier(8), []

    def ask():
        barrier.wait()
        jobs.append(reg.get_or_start(config))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    train.release.set()
    assert all(j is jobs[0] for j in jobs)
    assert jobs[0].wait(TIMEOUT) and jobs[0].view().state == DONE
    assert train.calls == [config.key()]
    # a new registry (a new process) finds it in the store: still no second training
    again = JobRegistry(store=store).get_or_start(config)
    assert again.view().state == DONE and again.view().source == "cache" and len(train.calls) == 1


def test_finished_job_view(store):
    reg = JobRegistry(store=store)
    job = reg.get_or_start(FakeConfig(steps=10))
    assert job.wait(TIMEOUT)
    v = job.view()
    assert isinstance(v, JobView) and v.state == DONE and v.finished and v.fraction == 1.0
    assert v.step == v.total == 10 and v.source == "trained" and v.error is None
    assert set(v.losses) >= {"d_loss", "g_loss"} and v.snapshot is not None
    assert len(v.snapshots) == 2 and v.snapshots[-1] is v.snapshot
    assert job.result is not None and store.load(job.key) is not None
    with pytest.raises(TypeError):
        v.losses["d_loss"] = 0.0  # the view is immutable
    with pytest.raises(AttributeError):
        v.state = "x"


def test_bounded_concurrency_and_fifo_queue(store):
    train = GatedTrain()
    reg = JobRegistry(store=store, max_cpu_jobs=2)
    jobs = [reg.get_or_start(train.config(name=f"c{i}")) for i in range(4)]
    assert train.started.acquire(timeout=TIMEOUT) and train.started.acquire(timeout=TIMEOUT)
    assert [j.view().state for j in jobs] == [RUNNING, RUNNING, QUEUED, QUEUED]
    assert [jobs[2].view().queue_position, jobs[3].view().queue_position] == [0, 1]
    time.sleep(0.05)
    assert len(train.calls) == 2  # the queued ones have not started
    train.release.set()
    for j in jobs:
        assert j.wait(TIMEOUT) and j.view().state == DONE
    assert train.calls == [j.key for j in jobs]  # FIFO


def test_cpu_jobs_start_while_a_gpu_job_runs_and_gpu_jobs_queue_for_the_gpu(store):
    """A registry told that "auto" means a GPU here: the GPU job takes the GPU slot, a second one waits for it,
    and CPU-declared jobs start beside it (bounded by their own slots), never waiting for the GPU."""
    train = GatedTrain()
    reg = JobRegistry(store=store, max_cpu_jobs=1, max_gpu_jobs=1, auto_device="cuda")
    g1 = reg.get_or_start(train.config(name="g1", device="auto"))
    g2 = reg.get_or_start(train.config(name="g2", device="auto"))
    c1 = reg.get_or_start(train.config(name="c1", device="cpu"))
    c2 = reg.get_or_start(train.config(name="c2", device="cpu"))
    assert train.started.acquire(timeout=TIMEOUT) and train.started.acquire(timeout=TIMEOUT)
    assert [g1.device_kind, c1.device_kind] == ["cuda", "cpu"]
    assert [j.view().state for j in (g1, g2, c1, c2)] == [RUNNING, QUEUED, RUNNING, QUEUED]
    train.release.set()
    assert all(j.wait(TIMEOUT) and j.view().state == DONE for j in (g1, g2, c1, c2))


def test_the_registry_reads_the_declared_device_and_never_guesses(store):
    """Every config but the GAN trainer's declares "cpu": on a GPU machine it is still a CPU job."""
    from explainer.deep_learning.cnn import CNNConfig
    from explainer.gan.config import GANConfig

    reg = JobRegistry(store=store, auto_device="cuda")
    assert reg.device_of(CNNConfig()) == "cpu"
    assert reg.device_of(GANConfig()) == "cuda"
    assert reg.device_of(GANConfig(device="cpu")) == "cpu"


def test_cancel_running_and_queued(store):
    train = GatedTrain()
    reg = JobRegistry(store=store, max_cpu_jobs=1)
    running, queued = reg.get_or_start(train.config(name="a")), reg.get_or_start(train.config(name="b"))
    assert train.started.acquire(timeout=TIMEOUT)
    queued.cancel()
    assert queued.view().state == CANCELLED  # immediately, it never started
    running.cancel()
    assert running.wait(TIMEOUT) and running.view().state == CANCELLED
    assert running.result is None and store.load(running.key) is None  # cancelled runs are not stored
    assert train.calls == [running.key]
    # a cancelled job stays cancelled on a plain request (no retraining loop on page reruns) ...
    assert reg.get_or_start(train.config(name="a")) is running
    # ... and restarts when asked
    train.release.set()
    again = reg.get_or_start(train.config(name="a"), restart=True)
    assert again is not running and again.wait(TIMEOUT) and again.view().state == DONE


def test_a_viewer_leaving_stops_a_run_only_when_nobody_else_watches(store, monkeypatch):
    """One viewer's Stop must not end a run another viewer follows; the last one's Stop does. A viewer who has
    not looked for WATCH_TTL_S (a closed tab) no longer counts."""
    from explainer.runs import job as job_module

    train = GatedTrain()
    reg = JobRegistry(store=store, max_cpu_jobs=1)
    job = reg.get_or_start(train.config(name="watched"))
    assert train.started.acquire(timeout=TIMEOUT)
    monkeypatch.setattr(job_module, "WATCH_TTL_S", 0.5)
    job.watch("speaker")
    job.watch("audience")
    assert job.watchers() == 2 and job.watchers(but="speaker") == 1
    assert job.leave("audience") is False  # the speaker still watches: it trains on
    assert not job.view().cancel_requested and job.view().state == "running"
    time.sleep(0.6)  # the speaker's tab has been closed for longer than the TTL
    job.watch("audience")
    assert job.leave("audience") is True  # nobody else: the run stops
    assert job.wait(TIMEOUT) and job.view().state == CANCELLED


def test_failed_job_reports_its_error(store):
    reg = JobRegistry(store=store)
    job = reg.get_or_start(FakeConfig(fail=True))
    assert job.wait(TIMEOUT)
    v = job.view()
    assert v.state == FAILED and "failed on purpose" in v.error and "RuntimeError" in v.error
    assert store.load(job.key) is None
    # the slot was released: another job still runs
    assert reg.get_or_start(FakeConfig(name="next")).wait(TIMEOUT)


def test_train_returning_garbage_fails_cleanly(store):
    GATES["garbage"] = lambda run: None
    job = JobRegistry(store=store).get_or_start(FakeConfig(gate="garbage"))
    assert job.wait(TIMEOUT) and job.view().state == FAILED
    assert job.view().error == "TypeError: train() returned NoneType, not a TrainResult"


def test_diverged_is_stored_and_reported(store):
    reg = JobRegistry(store=store)
    config = FakeConfig(diverge=True)
    job = reg.get_or_start(config)
    assert job.wait(TIMEOUT) and job.view().state == DIVERGED
    stored = store.load(config.key())
    assert stored is not None and stored.status == DIVERGED and stored.diverged.all()
    assert JobRegistry(store=store).get_or_start(config).view().state == DIVERGED


def test_progress_view_while_running(store):
    reg = JobRegistry(store=store)
    job = reg.get_or_start(FakeConfig(steps=400, delay_s=0.002))
    assert wait_for(lambda: job.view().step >= 20)
    v = job.view()
    assert v.state == RUNNING and v.total == 400 and v.elapsed_s > 0 and v.eta_s is not None and v.losses
    assert v.snapshot is not None and v.snapshot.step == 10 and len(v.snapshots) == 1  # sent at step 10
    job.cancel()
    assert job.wait(TIMEOUT) and job.view().state == CANCELLED


def test_view_is_safe_under_concurrent_reads(store):
    reg = JobRegistry(store=store)
    job, errors = reg.get_or_start(FakeConfig(steps=2000)), []

    def read():
        try:
            while not job.view().finished:
                v = job.view()
                assert 0 <= v.step <= v.total
        except Exception as e:  # pragma: no cover
            errors.append(e)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    for t in readers:
        t.join(TIMEOUT)
    assert not errors and job.view().state == DONE


def test_eviction_keeps_store_results(store):
    reg = JobRegistry(store=store, keep_finished=2)
    configs = [FakeConfig(name=f"e{i}") for i in range(4)]
    for c in configs:
        assert reg.get_or_start(c).wait(TIMEOUT)
    assert len(reg.jobs()) <= 3
    assert reg.get_or_start(configs[0]).view().source == "cache"


def test_get_registry_is_a_singleton():
    assert get_registry() is get_registry()


def test_shutdown_cancels(store):
    train = GatedTrain()
    reg = JobRegistry(store=store, max_cpu_jobs=1)
    jobs = [reg.get_or_start(train.config(name=n)) for n in "xy"]
    assert train.started.acquire(timeout=TIMEOUT)
    reg.shutdown()
    assert [j.view().state for j in jobs] == [CANCELLED, CANCELLED]


def test_eta_counts_speed_from_the_first_report_not_the_set_up(store, monkeypatch):
    """A job that spends 5 s setting up, then runs 10 steps/s, is estimated at 10 steps/s (an honest ETA)."""
    from explainer.runs import job as job_module
    from explainer.runs.result import Progress

    clock = [100.0]
    monkeypatch.setattr(job_module.time, "monotonic", lambda: clock[0])
    reg = JobRegistry(store=store)
    job = job_module.Job(FakeConfig(steps=100), "k" * 16, "cpu", reg)
    job._mark_running()
    clock[0] += 5.0  # set-up: models, the first snapshot
    job._on_progress(Progress(step=0, total_steps=100, elapsed_s=5.0, losses={}))
    assert job.view().eta_s is None  # no speed measured yet
    clock[0] += 2.0
    job._on_progress(Progress(step=20, total_steps=100, elapsed_s=7.0, losses={}))
    assert job.view().eta_s == pytest.approx(8.0)  # 80 steps left at 10 steps/s


def test_a_retrain_is_private_and_never_replaces_the_shared_run(store):
    """Mode collapse's "Retrain live": a job of its own that is neither answered from nor written to the store,
    so the run every other visitor sees (in this process, or on disk for the next one) stays; two viewers who
    retrain at once share one retrain; a stopped retrain changes nothing."""
    train = GatedTrain()
    reg = JobRegistry(store=store)
    config = train.config(name="shipped")
    train.release.set()
    shared = reg.get_or_start(config)
    assert shared.wait(TIMEOUT) and shared.view().state == DONE
    on_disk = store.load(config.key())
    train.release.clear()
    retrain = reg.retrain(config)
    assert retrain is not shared and retrain.key == config.key() + RETRAIN
    assert reg.retrain(config) is retrain  # a second viewer joins it
    assert train.started.acquire(timeout=TIMEOUT)
    assert reg.get(config.key()) is shared and reg.get_or_start(config) is shared
    train.release.set()
    assert retrain.wait(TIMEOUT) and retrain.view().state == DONE and retrain.view().source == "trained"
    assert retrain.result is not shared.result
    assert reg.get(config.key()) is shared
    assert store.load(config.key()).extra == on_disk.extra and not store.has(retrain.key)
    train.release.clear()
    again = reg.retrain(config)  # the last one ended: a new retrain
    assert again is not retrain and train.started.acquire(timeout=TIMEOUT)
    again.cancel()
    assert again.wait(TIMEOUT) and again.view().state == CANCELLED
    assert reg.get(config.key()) is shared and shared.view().state == DONE


def test_a_cpu_job_trains_on_one_torch_thread(tmp_path):
    """Two intra-op threads per job on 2 busy cores ran 13x slower: the registry shares the cores out between its
    concurrent jobs (one thread each on this 2-core machine), set inside the training thread itself."""
    import torch

    from explainer.runs.jobs import JobRegistry

    seen = []

    def train(run):
        seen.append(torch.get_num_threads())
        return fake_train(run)

    GATES["count-threads"] = train
    registry = JobRegistry(store=RunStore(tmp_path, readonly=[]), max_cpu_jobs=2, cpu_threads=None)
    job = registry.get_or_start(FakeConfig(gate="count-threads"))
    assert job.wait(10) and seen == [registry.cpu_threads]
    assert registry.cpu_threads == max(1, (os.cpu_count() or 1) // 2)


def test_a_poll_can_wait_for_a_just_started_jobs_first_step(tmp_path):
    """Job.wait_past(step) returns as soon as the job reports a later step (or ends), so a poll of a job that has
    just started shows its first step count instead of step 0 for a whole poll period."""
    import threading

    from explainer.runs.jobs import JobRegistry

    go = threading.Event()

    def train(run):
        run.tick(0)
        go.wait(30)
        return fake_train(run)

    GATES["first-step"] = train
    registry = JobRegistry(store=RunStore(tmp_path, readonly=[]), max_cpu_jobs=1)
    job = registry.get_or_start(FakeConfig(gate="first-step"))
    assert not job.wait_past(0, 0.05)  # still at step 0: the wait ends at its timeout, saying so
    go.set()
    assert job.wait_past(0, 30) and job.view().step > 0
    assert job.wait(30) and job.wait_past(10**9, 30)  # an ended job never keeps a poll waiting


def test_a_run_that_needs_another_gets_it_even_with_every_slot_taken(store):
    """run.require(config) inside a job: with the only CPU slot held by the asking job, the needed run is trained
    in the asking thread (a job waiting for a slot of its own would wait for ever), once, and stored."""
    needed = FakeConfig(name="needed")

    def needs_another(run):
        dependency = run.require(needed)
        assert dependency.status == DONE and dependency.key == needed.key()
        return fake_train(run)

    GATES["needs-another"] = needs_another
    reg = JobRegistry(store=store, max_cpu_jobs=1)
    job = reg.get_or_start(FakeConfig(name="asking", gate="needs-another"))
    assert job.wait(TIMEOUT) and job.view().state == DONE, job.view().error
    assert reg.get(needed.key()).view().source == "trained" and store.load(needed.key()) is not None
    assert reg.result_of(needed) is reg.get(needed.key()).result  # asked again: the same run, not trained again


def test_a_live_retrain_of_a_shipped_run_reproduces_its_numbers():
    """The Retrain live button's promise: the same config trained again from scratch through the app's registry
    (a private retrain: not answered from the store) gives the shipped run's weights and scores bit for bit. The
    Lab's preset, one seed of 3,000 steps (the Mode collapse page's 10-seed "collapse" was checked the same way:
    bench/RESULTS.md)."""
    import numpy as np

    from explainer.gan.presets import PRESETS

    reg = get_registry()
    shipped = reg.result_of(PRESETS["lab"])
    job = reg.retrain(PRESETS["lab"])
    assert job.wait(300) and job.view().source == "trained"
    retrained = job.result
    assert retrained is not shipped
    for name, weight in shipped.weights.items():
        assert np.array_equal(weight.numpy(), retrained.weights[name].numpy()), name
    assert shipped.metrics.equals(retrained.metrics)
