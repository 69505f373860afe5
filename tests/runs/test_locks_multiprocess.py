"""Real server processes sharing one run store (tests/support/store_child.py is each process's registry).

Every wait is on a file a process writes, with a generous timeout; nothing asserts how long anything took.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explainer.runs import locks
from explainer.runs.jobs import RUNNING, JobRegistry
from explainer.runs.result import DONE
from explainer.runs.store import RunStore
from tests.support.apptest import ROOT
from tests.support.fakes import GATES, FakeConfig
from tests.support.store_child import counted_train, fingerprint

pytestmark = pytest.mark.skipif(locks.fcntl is None, reason="no fcntl: each process trains for itself")
TIMEOUT = 120  # seconds; each child imports torch, on two busy cores


def until(predicate, what: str, procs=(), timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        for p in procs:
            assert p.poll() is None or p.returncode == 0, f"a child died (rc {p.returncode}) before {what}"
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def start(tmp_path: Path, role: str, name: str = "shared") -> subprocess.Popen:
    args = {"root": str(tmp_path / "store"), "dir": str(tmp_path), "role": role, "name": name}
    return subprocess.Popen([sys.executable, "-m", "tests.support.store_child", json.dumps(args)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def starts(tmp_path: Path) -> list[int]:
    path = tmp_path / "counter.txt"
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def outcome(tmp_path: Path, role: str, proc: subprocess.Popen) -> dict:
    assert proc.wait(TIMEOUT) == 0
    return json.loads((tmp_path / f"{role}.json").read_text())


def test_two_processes_train_one_config_once(tmp_path):
    a = start(tmp_path, "a")
    try:
        until(lambda: starts(tmp_path), "the first process to start training", [a])
        b = start(tmp_path, "b")
        try:
            # b shows the job running with a's progress, and trains nothing
            until(lambda: (tmp_path / "b.following").exists(), "the second process to follow", [a, b])
            (tmp_path / "release").touch()
            out_a, out_b = outcome(tmp_path, "a", a), outcome(tmp_path, "b", b)
        finally:
            b.kill()
    finally:
        a.kill()
    assert starts(tmp_path) == [out_a["pid"]]  # trained exactly once, in a
    assert (out_a["state"], out_a["source"]) == (DONE, "trained")
    assert (out_b["state"], out_b["source"], out_b["followed"]) == (DONE, "cache", True)
    assert out_a["result"] == out_b["result"] is not None


def test_two_processes_started_together_train_once(tmp_path):
    """No choreography: both ask at about the same moment (whichever way their start-ups overlap)."""
    (tmp_path / "release").touch()
    procs = [start(tmp_path, role) for role in "ab"]
    try:
        outs = [outcome(tmp_path, role, p) for role, p in zip("ab", procs, strict=True)]
    finally:
        for p in procs:
            p.kill()
    assert len(starts(tmp_path)) == 1
    assert all(o["state"] == DONE for o in outs) and outs[0]["result"] == outs[1]["result"]
    assert sorted(o["source"] for o in outs) == ["cache", "trained"]


def test_a_killed_trainer_does_not_block_the_key(tmp_path):
    """The process training a key is SIGKILLed mid-run: the process waiting for it takes over and trains."""
    owner = start(tmp_path, "a", name="killed")
    try:
        until(lambda: starts(tmp_path), "the owner to start training", [owner])
        GATES["counted"] = counted_train(tmp_path)  # this process trains through the same gate
        registry = JobRegistry(store=RunStore(tmp_path / "store", readonly=[]))
        job = registry.get_or_start(FakeConfig(gate="counted", name="killed", steps=20))
        until(lambda: job.view().state == RUNNING and job.view().step == 1, "this process to follow the owner")
        assert job in registry._following and starts(tmp_path) == [owner.pid]
    finally:
        owner.kill()
        owner.wait(TIMEOUT)
    (tmp_path / "release").touch()
    assert job.wait(TIMEOUT)
    assert (job.view().state, job.view().source) == (DONE, "trained")
    assert starts(tmp_path) == [owner.pid, os.getpid()]
    assert fingerprint(RunStore(tmp_path / "store", readonly=[]).load(job.key)) == fingerprint(job.result)


def test_cancel_in_the_waiting_process_leaves_the_training_alone(tmp_path):
    owner = start(tmp_path, "a", name="kept")
    try:
        until(lambda: starts(tmp_path), "the owner to start training", [owner])
        GATES["counted"] = counted_train(tmp_path)
        registry = JobRegistry(store=RunStore(tmp_path / "store", readonly=[]))
        config = FakeConfig(gate="counted", name="kept", steps=20)
        job = registry.get_or_start(config)
        assert job in registry._following
        job.cancel()
        assert job.wait(TIMEOUT) and job.view().state == "cancelled"
        (tmp_path / "release").touch()
        out = outcome(tmp_path, "a", owner)
    finally:
        owner.kill()
    assert (out["state"], out["source"]) == (DONE, "trained") and starts(tmp_path) == [owner.pid]
    again = registry.get_or_start(config, restart=True)
    assert (again.view().state, again.view().source) == (DONE, "cache")
