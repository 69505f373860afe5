"""A server process in miniature, for tests of several processes sharing one run store.

    python -m tests.support.store_child '{"root": ..., "dir": ..., "role": "a", "name": "shared"}'

It asks its own JobRegistry (on the store at `root`) for FakeConfig(gate="counted", name=name) and writes to
`dir`:  counter.txt  one line per training run started in any process (the pid), appended by the gate;
        <role>.following  once its job shows "running" with the owner's progress while it trains nothing;
        <role>.json  the finished job: state, source, pid and a fingerprint of the result.
The gate trains only once `dir`/release exists (reporting step 1 until then), so a test decides when.
"""
import json
import os
import sys
import time
from pathlib import Path

from explainer.runs.jobs import RUNNING, JobRegistry
from explainer.runs.store import RunStore
from tests.support.fakes import GATES, FakeConfig, fake_train


def counted_train(directory: Path):
    """The gate: note the start in counter.txt, hold at step 1 until `release` exists, then train the fake."""
    def train(run):
        with open(directory / "counter.txt", "a") as f:
            f.write(f"{os.getpid()}\n")
        run.tick(1, d_loss=0.5)
        while not (directory / "release").exists():
            run.tick(0, d_loss=0.5)  # step 1, again: until released (raises Stopped if asked to stop)
            time.sleep(0.02)
        run.step = 0  # the fake counts its steps from the start again
        return fake_train(run)
    return train


def fingerprint(result) -> list:
    return [result.key, result.status, float(sum(w.sum() for w in result.weights.values())),
            result.history["d_loss"].round(9).tolist()]


def main(args: dict) -> None:
    directory = Path(args["dir"])
    GATES["counted"] = counted_train(directory)
    registry = JobRegistry(store=RunStore(args["root"], readonly=[]), max_cpu_jobs=1)
    job = registry.get_or_start(FakeConfig(gate="counted", name=args.get("name", "shared"), steps=20))
    flagged = False
    while not job.wait(0.02):
        v = job.view()
        if not flagged and v.state == RUNNING and v.step >= 1 and str(os.getpid()) not in _starts(directory):
            (directory / f"{args['role']}.following").touch()
            flagged = True
    v = job.view()
    out = {"state": v.state, "source": v.source, "pid": os.getpid(), "followed": flagged,
           "result": fingerprint(job.result) if job.result is not None else None}
    tmp = directory / f".{args['role']}.json"
    tmp.write_text(json.dumps(out))
    os.replace(tmp, directory / f"{args['role']}.json")


def _starts(directory: Path) -> list[str]:
    try:
        return (directory / "counter.txt").read_text().split()
    except FileNotFoundError:
        return []


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
