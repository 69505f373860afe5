"""Train functions a test controls (tests of the registry, the locks and the UI hold jobs running with these)."""
import threading
import time

from tests.support.fakes import GATES, FakeConfig, fake_train

TIMEOUT = 10  # seconds; generous so a loaded CI machine does not flake


class GatedTrain:
    """A fake train function that counts calls and blocks until released, so tests can hold jobs 'running'."""

    def __init__(self):
        self.calls, self.lock = [], threading.Lock()
        self.release = threading.Event()
        self.started = threading.Semaphore(0)
        self.name = f"gated-{id(self)}"
        GATES[self.name] = self

    def config(self, **fields) -> FakeConfig:
        """A fake config that trains through this gate."""
        return FakeConfig(gate=self.name, **fields)

    def __call__(self, run):
        with self.lock:
            self.calls.append(run.config.key())
        self.started.release()
        while not self.release.wait(0.005):
            if run.stopped():
                break
        return fake_train(run)


def wait_for(predicate, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.002)
    return False
