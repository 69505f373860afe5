"""One training job and what it looks like at an instant (JobView); the JobRegistry (jobs.py) makes and runs them."""
import itertools
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from explainer.runs.result import CANCELLED, DIVERGED, DONE, Progress, Snapshot, TrainResult

_SERIALS = itertools.count(1)
QUEUED, RUNNING, FAILED = "queued", "running", "failed"
FINISHED = (DONE, DIVERGED, CANCELLED, FAILED)


WATCH_TTL_S = 5.0  # a viewer whose page has not looked at a running job for this long has left (pages poll at 2 Hz)


@dataclass(frozen=True)
class JobView:
    """What a job looks like at one instant. Arrays inside `snapshot` are shared: treat them as read-only."""
    key: str
    state: str  # queued | running | done | diverged | cancelled | failed
    step: int
    total: int
    losses: Mapping[str, float]
    snapshot: Snapshot | None  # the newest snapshot (the last one of the run, once finished)
    snapshots: tuple[Snapshot, ...]  # every snapshot so far, oldest first (to scrub through while training)
    elapsed_s: float  # seconds spent running (0 for a run loaded from the store)
    eta_s: float | None  # estimated seconds left while running, else None
    error: str | None  # why it failed
    source: str | None  # where the result came from: "trained" | "cache" | "preset"
    cancel_requested: bool = False
    queue_position: int | None = None  # 0 = next to start, while queued

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def fraction(self) -> float:
        return 1.0 if self.state in (DONE, DIVERGED) else (self.step / self.total if self.total else 0.0)


def _final_losses(result: TrainResult) -> dict[str, float]:
    """Mean over seeds of the numeric history columns at the last logged step."""
    h = result.history
    if h is None or len(h) == 0 or "step" not in h:
        return {}
    last = h[h["step"] == h["step"].max()].select_dtypes("number").drop(columns=["step", "seed"], errors="ignore")
    return {c: float(v) for c, v in last.mean().items()}  # pandas skips NaN without warning


class Job:
    """One training run of one config; created by a JobRegistry, safe to read from any thread."""

    def __init__(self, config, key: str, device_kind: str, registry):  # the JobRegistry that made it
        self.config, self.key, self.device_kind = config, key, device_kind
        self.serial = next(_SERIALS)  # "job 7": lets viewers see that they share one job
        self._registry = registry
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # notified on every progress report and at the end
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._state = QUEUED
        self._step, self._total = 0, int(getattr(config, "progress_units", 0) or 0)
        self._losses: dict[str, float] = {}
        self._snapshot: Snapshot | None = None
        self._snapshots: list[Snapshot] = []
        self._error: str | None = None
        self._result: TrainResult | None = None
        self._source: str | None = None
        self._t_start: float | None = None  # monotonic times
        self._t_end: float | None = None
        self._t_progress: float | None = None
        self._first_report: tuple[float, int] | None = None  # (time, step) of the first progress report
        self._private = False  # a retrain (JobRegistry.retrain): never read from nor written to the store
        self._watchers: dict[str, float] = {}  # viewer id -> when its page last looked at this job (monotonic)

    @property
    def uses_gpu(self) -> bool:
        return self.device_kind in ("cuda", "mps")

    @property
    def state(self) -> str:
        return self._state

    @property
    def result(self) -> TrainResult | None:
        """The finished run (done or diverged), else None."""
        return self._result

    def view(self) -> JobView:
        # The queue position is read first, outside self._lock: the registry takes its lock then a job's,
        # so taking them the other way round here could deadlock.
        position = self._registry._queue_position(self)
        with self._lock:
            now = time.monotonic()
            elapsed = 0.0 if self._t_start is None else (self._t_end or now) - self._t_start
            eta = None
            if self._state == RUNNING and self._first_report and self._step > self._first_report[1]:
                # the speed since the first report: the set-up before it (building models, the first snapshot)
                # is over, and counting it would inflate every estimate of a short run
                t0, s0 = self._first_report
                rate = (self._step - s0) / max(self._t_progress - t0, 1e-9)
                eta = max((self._total - self._step) / rate - (now - self._t_progress), 0.0)
            return JobView(
                key=self.key, state=self._state, step=self._step, total=self._total,
                losses=MappingProxyType(dict(self._losses)), snapshot=self._snapshot,
                snapshots=tuple(self._snapshots), elapsed_s=elapsed,
                eta_s=eta, error=self._error, source=self._source, cancel_requested=self._stop.is_set(),
                queue_position=position if self._state == QUEUED else None,
            )

    def cancel(self) -> None:
        """Stop this job: a queued one ends now, a running one at the trainer's next check of the stop event."""
        self._registry.cancel(self)

    def watch(self, viewer: str) -> None:
        """`viewer` (one browser session) is looking at this job now; pages that show a running job call this on
        every poll, so a viewer who closed the tab stops counting after WATCH_TTL_S."""
        with self._lock:
            self._watchers[viewer] = time.monotonic()

    def watchers(self, but: str | None = None) -> int:
        """How many viewers (other than `but`) looked at this job within the last WATCH_TTL_S."""
        now = time.monotonic()
        with self._lock:
            return sum(1 for v, seen in self._watchers.items() if v != but and now - seen <= WATCH_TTL_S)

    def leave(self, viewer: str) -> bool:
        """`viewer` stops watching. The run stops only when nobody else is watching it: one viewer's Stop must
        not end a run that others (a speaker's audience, another tab) are following. True if the run stops."""
        with self._lock:
            self._watchers.pop(viewer, None)
        if self.watchers() > 0:
            return False
        self.cancel()
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished (any way); True if it has."""
        return self._finished.wait(timeout)

    def wait_past(self, step: int, timeout: float) -> bool:
        """Block until the job reports a step beyond `step` or ends, at most `timeout` seconds; True if it did.
        A watcher that polls on a fixed period can wait this way for the first step count of a job that has just
        started instead of showing step 0 for a whole period."""
        with self._changed:
            return self._changed.wait_for(lambda: self._step > step or self._finished.is_set(), timeout)

    # --- called by the registry and the training thread

    def _on_progress(self, p: Progress) -> None:
        with self._lock:
            self._step, self._total = int(p.step), int(p.total_steps)
            self._losses = dict(p.losses)
            if p.snapshot is not None:
                self._snapshot = p.snapshot
                self._snapshots.append(p.snapshot)
            self._t_progress = time.monotonic()
            if self._first_report is None:
                self._first_report = (self._t_progress, self._step)
            self._changed.notify_all()

    def _mark_running(self) -> None:
        with self._lock:
            self._state, self._t_start = RUNNING, time.monotonic()

    def _end(self, state: str, result: TrainResult | None = None, error: str | None = None,
             source: str | None = None) -> None:
        with self._lock:
            self._state, self._result, self._error, self._source = state, result, error, source
            self._t_end = time.monotonic() if self._t_start is not None else None
            if result is not None:
                self._total = self._total or int(getattr(self.config, "progress_units", 0) or 0)
                self._step = self._total
                self._losses = _final_losses(result) or self._losses
                self._snapshot = result.snapshots[-1] if result.snapshots else self._snapshot
                self._snapshots = list(result.snapshots)
            self._finished.set()  # under the lock, so that a wait_past() sees it with the state
            self._changed.notify_all()
