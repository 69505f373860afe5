"""Cross-process training locks (explainer.runs.locks), and two registries on one store in one process.

flock locks belong to an open file, so two registries in one process exclude each other as two processes
would: the registry tests here are the quick version of tests/runs/test_locks_multiprocess.py.
"""
import subprocess
import sys
import threading

import pytest

from explainer.runs import locks
from explainer.runs.jobs import FAILED, RUNNING, JobRegistry
from explainer.runs.result import CANCELLED, DONE, Progress, Snapshot
from explainer.runs.store import RunStore
from tests.support.apptest import ROOT
from tests.support.fakes import FakeConfig, fake_train
from tests.support.gates import TIMEOUT, GatedTrain, wait_for

KEY = "k" * 16
needs_fcntl = pytest.mark.skipif(locks.fcntl is None, reason="no fcntl: locks do nothing here")


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "cache", readonly=[])


@needs_fcntl
def test_one_holder_at_a_time_and_release_cleans_up(tmp_path):
    first = locks.try_lock(tmp_path, KEY)
    assert first is not None and first.real and first.path.exists()
    assert locks.try_lock(tmp_path, KEY) is None  # a second open file: as another process would be
    assert locks.try_lock(tmp_path, "other-key-1") is not None  # keys are independent
    first.release()
    first.release()  # idempotent
    assert not first.path.exists()
    with locks.try_lock(tmp_path, KEY) as again:
        assert again is not None and again.real
    assert locks.try_lock(tmp_path, KEY) is not None


@needs_fcntl
def test_progress_file_round_trip(tmp_path):
    assert locks.read_progress(tmp_path, KEY) is None
    lock = locks.try_lock(tmp_path, KEY)
    lock.write_progress(Progress(step=3, total_steps=10, elapsed_s=1.5, losses={"d_loss": 0.25}))
    lock.write_progress(Progress(step=4, total_steps=10, elapsed_s=1.6, losses={}))  # throttled: not written
    p = locks.read_progress(tmp_path, KEY)
    assert (p.step, p.total_steps, p.elapsed_s, p.losses, p.snapshot) == (3, 10, 1.5, {"d_loss": 0.25}, None)
    lock.write_progress(Progress(step=5, total_steps=10, elapsed_s=2.0, losses={}), force=True)
    assert locks.read_progress(tmp_path, KEY).step == 5
    lock.progress_path.write_text("{not json")
    assert locks.read_progress(tmp_path, KEY) is None  # garbage is no progress, never an error
    lock.release()
    assert not lock.progress_path.exists()


@needs_fcntl
def test_wait_for_release(tmp_path):
    lock, stop, seen = locks.try_lock(tmp_path, KEY), threading.Event(), []
    lock.write_progress(Progress(step=2, total_steps=9, elapsed_s=0.0, losses={}), force=True)
    stop.set()
    assert locks.wait_for_release(tmp_path, KEY, stop, seen.append, poll_s=0.01) is False  # stopped waiting
    assert lock.real and locks.try_lock(tmp_path, KEY) is None  # ... and the lock is untouched
    stop.clear()
    threading.Timer(0.2, lock.release).start()
    assert locks.wait_for_release(tmp_path, KEY, stop, seen.append, poll_s=0.01) is True
    assert seen and seen[0].step == 2


@needs_fcntl
def test_a_killed_holder_leaves_no_lock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from explainer.runs.locks import try_lock; "
         "l = try_lock(sys.argv[1], sys.argv[2]); print('locked' if l and l.real else 'no', flush=True); "
         "time.sleep(600)", str(tmp_path), KEY], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert locks.try_lock(tmp_path, KEY) is None
    finally:
        holder.kill()  # SIGKILL: no clean-up code runs in the holder
        holder.wait(TIMEOUT)
        holder.stdout.close()
    assert (tmp_path / locks.LOCK_DIR / f"{KEY}.lock").exists()  # the file stays, but nobody holds it
    lock = locks.try_lock(tmp_path, KEY)
    assert lock is not None and lock.real
    lock.release()


@needs_fcntl
def test_stale_progress_and_unusable_places(tmp_path):
    (tmp_path / locks.LOCK_DIR).mkdir()
    (tmp_path / locks.LOCK_DIR / f"{KEY}.progress.json").write_text('{"step": 7, "total": 9}')  # a dead owner's
    with locks.try_lock(tmp_path, KEY):
        assert locks.read_progress(tmp_path, KEY) is None  # taking the lock clears it
    # a key that is no file name, or a store nobody may write to: no lock, no crash, training goes on
    assert not locks.try_lock(tmp_path, "../escape").real and not (tmp_path.parent / "escape.lock").exists()
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    assert not locks.try_lock(blocked, KEY).real


def test_without_fcntl_every_lock_is_granted(tmp_path, monkeypatch):
    monkeypatch.setattr(locks, "fcntl", None)
    a, b = locks.try_lock(tmp_path, KEY), locks.try_lock(tmp_path, KEY)
    assert a is not None and b is not None and not a.real
    a.write_progress(Progress(step=1, total_steps=2, elapsed_s=0.0, losses={}), force=True)
    assert locks.read_progress(tmp_path, KEY) is None
    a.release()
    b.release()


def test_without_fcntl_the_registry_trains_as_before(store, monkeypatch):
    monkeypatch.setattr(locks, "fcntl", None)
    job = JobRegistry(store=store).get_or_start(FakeConfig(name="no-fcntl"))
    assert job.wait(TIMEOUT) and job.view().state == DONE and job.view().source == "trained"


# --- two registries on one store: the second follows the first instead of training


class Reporting(GatedTrain):
    """A gate that reports step 1 (with a snapshot) while it holds, so a follower has progress to mirror."""

    def __call__(self, run):
        with self.lock:
            self.calls.append(run.config.key())
        self.started.release()
        run.tick(1, d_loss=0.5)
        while not self.release.wait(0.02):
            run.tick(0, Snapshot(step=1), d_loss=0.5)
        run.step = 0  # the fake counts its steps from the start again
        return fake_train(run)


def owner_and_follower(store, train, name: str):
    """Two registries on one store asking for one config: (the config, the job that trains it while holding its
    lock, the second registry's job for it, the second registry)."""
    config = train.config(name=name)
    owner = JobRegistry(store=store).get_or_start(config)
    assert train.started.acquire(timeout=TIMEOUT)  # the owner holds the lock, inside train()
    waiting_registry = JobRegistry(store=store)
    return config, owner, waiting_registry.get_or_start(config), waiting_registry


@needs_fcntl
def test_second_registry_waits_and_loads_instead_of_training(store):
    train = Reporting()
    config, owner, other, waiting_registry = owner_and_follower(store, train, "shared")
    assert other in waiting_registry._following  # it trains nothing, and takes no slot
    assert wait_for(lambda: other.view().step == 1)  # the owner's step, read from its progress file
    v = other.view()
    assert (v.state, v.total, dict(v.losses), v.snapshot) == (RUNNING, 20, {"d_loss": 0.5}, None)  # no snapshots
    train.release.set()
    assert owner.wait(TIMEOUT) and other.wait(TIMEOUT)
    assert (other.view().state, other.view().source) == (DONE, "cache")
    assert train.calls == [config.key()]
    assert other.result.key == owner.result.key and other.result.history.equals(owner.result.history)


class FailFirst(GatedTrain):
    """A gate whose first run raises once released (the owner's), and whose later runs train."""

    def __call__(self, run):
        result = super().__call__(run)
        if len(self.calls) == 1:
            raise RuntimeError("the owner's run failed")
        return result


@needs_fcntl
@pytest.mark.parametrize("ending", [CANCELLED, FAILED])
def test_an_owner_that_gives_up_releases_the_key(store, ending):
    train = FailFirst() if ending == FAILED else GatedTrain()
    config, owner, other, waiting_registry = owner_and_follower(store, train, f"given-up-{ending}")
    assert other in waiting_registry._following and other.view().state == RUNNING
    if ending == CANCELLED:
        owner.cancel()
    train.release.set()
    assert owner.wait(TIMEOUT) and owner.view().state == ending
    assert other.wait(TIMEOUT) and (other.view().state, other.view().source) == (DONE, "trained")
    assert train.calls == [config.key(), config.key()]  # the second registry took over and trained it, once


@needs_fcntl
def test_cancel_while_waiting_leaves_the_owner_training(store):
    train = GatedTrain()
    config, owner, other, waiting_registry = owner_and_follower(store, train, "keep-going")
    assert wait_for(lambda: other.view().state == RUNNING)
    other.cancel()
    assert other.wait(TIMEOUT) and other.view().state == CANCELLED
    assert not owner.view().finished and not owner.view().cancel_requested
    train.release.set()
    assert owner.wait(TIMEOUT) and owner.view().state == DONE and train.calls == [config.key()]
    again = waiting_registry.get_or_start(config, restart=True)
    assert (again.view().state, again.view().source) == (DONE, "cache")
