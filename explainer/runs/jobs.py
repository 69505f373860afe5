"""The in-process job registry: ask for a config, get a Job that is finished, running, or queued.

    registry = get_registry()              # one per process
    job = registry.get_or_start(config)    # store hit -> finished job; same key running -> that job; else train
    v = job.view()                         # immutable snapshot, safe from any thread: state, step, losses, ...
    job.cancel(); job.wait(timeout)

Training runs in daemon threads calling `config.train(progress=callback, stop=event)`: the config says how it
trains (see explainer.runs.result for the contract), so every topic's runs share this one registry. At most
`max_jobs` run at once (at most `max_gpu_jobs` on a GPU, which one job fills); the rest wait in a FIFO queue.
Finished runs go to the RunStore (diverged ones too, flagged); cancelled runs are not stored. An exception in
training ends the job as "failed" with its message; it is logged, never lost in a thread.

Beyond train(), the registry needs only `config.key()` (and `config.steps`, `config.device` when present).

Processes sharing one store train a key once: a job trains only while it holds the key's lock (runs.locks).
A job another process is training runs here without a slot (_follow): it mirrors that process's step and
losses (not its snapshots), then loads the run from the store, or queues to train here if none came (the
other process cancelled, failed or died). Cancelling it only stops the waiting.
"""
import itertools
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from explainer.device import pick_device
from explainer.runs import locks
from explainer.runs.result import CANCELLED, DIVERGED, DONE, Progress, Snapshot, TrainResult
from explainer.runs.store import RunStore, default_store

log = logging.getLogger(__name__)

_SERIALS = itertools.count(1)
QUEUED, RUNNING, FAILED = "queued", "running", "failed"
FINISHED = (DONE, DIVERGED, CANCELLED, FAILED)


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
    attempt: str | None = None  # a retrain of this finished run that did not finish: "cancelled" | "failed"
    attempt_error: str | None = None  # why that retrain failed

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

    def __init__(self, config, key: str, device_kind: str, registry: "JobRegistry"):
        self.config, self.key, self.device_kind = config, key, device_kind
        self.serial = next(_SERIALS)  # "job 7": lets viewers see that they share one job
        self._registry = registry
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._state = QUEUED
        self._step, self._total = 0, int(getattr(config, "steps", 0) or 0)
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
        self._replaces: Job | None = None  # for a retrain: the finished job it would replace
        self._fresh = False  # a retrain that must not answer from the store
        self._attempt: tuple[str, str | None] | None = None  # (state, error) of a retrain that did not finish

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
                attempt=self._attempt[0] if self._attempt else None,
                attempt_error=self._attempt[1] if self._attempt else None,
            )

    def cancel(self) -> None:
        """Stop this job: a queued one ends now, a running one at the trainer's next check of the stop event."""
        self._registry.cancel(self)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished (any way); True if it has."""
        return self._finished.wait(timeout)

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

    def _mark_running(self) -> None:
        with self._lock:
            self._state, self._t_start = RUNNING, time.monotonic()

    def _end(self, state: str, result: TrainResult | None = None, error: str | None = None,
             source: str | None = None) -> None:
        with self._lock:
            self._state, self._result, self._error, self._source = state, result, error, source
            self._t_end = time.monotonic() if self._t_start is not None else None
            if result is not None:
                self._total = self._total or int(getattr(self.config, "steps", 0) or 0)
                self._step = self._total
                self._losses = _final_losses(result) or self._losses
                self._snapshot = result.snapshots[-1] if result.snapshots else self._snapshot
                self._snapshots = list(result.snapshots)
        self._finished.set()


def _set_torch_threads(n: int) -> None:
    import torch

    if torch.get_num_threads() != n:
        torch.set_num_threads(n)  # process-wide in effect (OpenMP pool): every CPU job here wants the same


def _default_device_of(config) -> str:
    prefer = getattr(config, "device", None)
    return pick_device(prefer if isinstance(prefer, str) else None).kind


class JobRegistry:
    """Starts, joins and queues training jobs; see the module docstring."""

    def __init__(self, store: RunStore | None = None, max_jobs: int = 2, max_gpu_jobs: int = 1,
                 device_of: Callable | None = None, keep_finished: int = 64, cpu_threads: int | None = None):
        if max_jobs < 1 or max_gpu_jobs < 1:
            raise ValueError("max_jobs and max_gpu_jobs must be at least 1")
        # torch intra-op threads for CPU training. Small GAN models gain little from more than one, and
        # oversubscribed threads are disastrous: on 2 busy cores, 2 threads per job ran a textbook loop at
        # 6 steps/s against 290 with 1. Default: the cores shared out between the concurrent jobs.
        self.cpu_threads = cpu_threads or max(1, (os.cpu_count() or 1) // max_jobs)
        self._store = store
        self.max_jobs, self.max_gpu_jobs, self.keep_finished = max_jobs, max_gpu_jobs, keep_finished
        self.device_of = device_of or _default_device_of
        self._lock = threading.RLock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()  # key -> newest job for it, oldest first
        self._queue: list[Job] = []
        self._running: set[Job] = set()
        self._following: set[Job] = set()  # jobs another process is training (see _follow); they take no slot

    @property
    def store(self) -> RunStore:
        return self._store if self._store is not None else default_store()

    def get_or_start(self, config, restart: bool = False, fresh: bool = False) -> Job:
        """The job for `config`: finished from the store, the one already running/queued, or a new one.

        A failed or cancelled job is returned as it is (a page that reruns must not retrain a failing config
        in a loop); restart=True forgets a finished job and looks again (store, then a new training run);
        fresh=True (with restart) skips the store and trains again, e.g. to show a cached demo live; if that
        retrain is cancelled or fails, the finished run it was retraining stays (see _keep_previous).
        """
        key = config.key()
        with self._lock:  # one lock around lookup + start: two callers with one key get one job
            job = self._jobs.get(key)
            if job is not None and not (restart and job._finished.is_set()):
                self._jobs.move_to_end(key)
                return job
            previous = job
            job = Job(config, key, self.device_of(config), self)
            if fresh and previous is not None and previous.result is not None:
                job._replaces = previous
            job._fresh = fresh
            self._jobs[key] = job
            result, source = (None, None) if fresh else self.store.load_entry(key)
            if result is not None:
                job._end(result.status, result=result, source=source)
            else:
                self._queue.append(job)
                self._pump()
            self._evict()
            return job

    def get(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def jobs(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    def cancel(self, job: Job) -> None:
        with self._lock:
            if job in self._queue:
                self._queue.remove(job)
                job._stop.set()
                job._end(CANCELLED)
                self._keep_previous(job)
                return
        if not job._finished.is_set():
            job._stop.set()

    def shutdown(self, timeout: float | None = 10.0) -> None:
        """Cancel everything and wait for running threads (for tests and the CLI; daemons die with the process)."""
        with self._lock:
            jobs = list(self._queue) + list(self._running) + list(self._following)
        for job in jobs:
            self.cancel(job)
        for job in jobs:
            job.wait(timeout)

    # --- scheduling (call with self._lock held)

    def _queue_position(self, job: Job) -> int | None:
        with self._lock:
            return self._queue.index(job) if job in self._queue else None

    def _pump(self) -> None:
        """Start queued jobs, oldest first, while there are free slots (a GPU job waits for the GPU slot)."""
        i = 0
        while i < len(self._queue) and len(self._running) < self.max_jobs:
            job = self._queue[i]
            if job.uses_gpu and sum(j.uses_gpu for j in self._running) >= self.max_gpu_jobs:
                i += 1  # the GPU is busy; a CPU job behind this one may still start
                continue
            self._queue.pop(i)
            job._mark_running()
            lock = locks.try_lock(self.store.root, job.key)
            if lock is None:  # another process is training this key: wait for its run rather than train it
                self._following.add(job)
                threading.Thread(target=self._follow, args=(job,), name=f"follow-{job.key[:12]}", daemon=True).start()
                continue
            self._running.add(job)
            threading.Thread(target=self._run, args=(job, lock), name=f"train-{job.key[:12]}", daemon=True).start()

    def _keep_previous(self, job: Job) -> None:
        """A retrain that was cancelled or failed never takes the place of the finished run it retrained: that
        run (in this process, else in the store) is what the key answers again, with a note of the attempt."""
        if job.state not in (CANCELLED, FAILED) or self._jobs.get(job.key) is not job:
            return
        previous = job._replaces
        if previous is None and job.state == CANCELLED:
            result, source = self.store.load_entry(job.key)
            if result is None:
                return
            previous = Job(job.config, job.key, job.device_kind, self)
            previous._end(result.status, result=result, source=source)
        if previous is None:
            return
        previous._attempt = (job.state, job._error)
        self._jobs[job.key] = previous

    def _evict(self) -> None:
        """Forget the oldest finished jobs beyond keep_finished (their runs stay in the store)."""
        finished = [k for k, j in self._jobs.items() if j._finished.is_set()]
        for k in finished[: max(len(finished) - self.keep_finished, 0)]:
            del self._jobs[k]

    # --- the training thread

    def _run(self, job: Job, lock: locks.TrainLock) -> None:
        try:
            try:
                # another process may have stored this run between our look in the store and our lock
                result, source = (None, None) if job._fresh else self.store.load_entry(job.key)
                if result is None:
                    result, source = self._train(job, lock), "trained"
            finally:
                lock.release()  # before the job ends: whoever sees it end may ask for the key again at once
            kept = result.status != CANCELLED  # a cancelled run is no result
            job._end(result.status, result=result if kept else None, source=source if kept else None)
        except BaseException as e:  # noqa: BLE001 - a thread must report every failure, not swallow it
            log.exception("job %s failed", job.key)
            job._end(FAILED, error=f"{type(e).__name__}: {e}")
        finally:
            with self._lock:
                self._running.discard(job)
                self._keep_previous(job)
                self._pump()

    def _train(self, job: Job, lock: locks.TrainLock) -> TrainResult:
        """Train job's config here (telling other processes how far it is) and store a finished run."""
        if not job.uses_gpu:
            _set_torch_threads(self.cpu_threads)

        def progress(p: Progress) -> None:
            job._on_progress(p)
            lock.write_progress(p)

        result = job.config.train(progress=progress, stop=job._stop)
        if not isinstance(result, TrainResult):
            raise TypeError(f"train() returned {type(result).__name__}, not a TrainResult")
        if result.status not in (CANCELLED, DONE, DIVERGED):
            raise ValueError(f"train() returned {result!r:.80}, not a TrainResult with a known status")
        if result.status != CANCELLED:
            try:
                self.store.save(result)
            except Exception:  # a full disk must not lose the run the user is looking at
                log.exception("job %s: could not store the finished run", job.key)
        return result

    def _follow(self, job: Job) -> None:
        """Another process holds the lock on job's key: mirror its progress until it lets go, then take its run
        from the store, or (none there: it was cancelled, failed or killed) queue the job to train here."""
        try:
            released = locks.wait_for_release(self.store.root, job.key, job._stop, job._on_progress)
            result, source = self.store.load_entry(job.key) if released else (None, None)
            with self._lock:
                self._following.discard(job)
                if result is not None:
                    job._end(result.status, result=result, source=source)
                elif job._stop.is_set():
                    job._end(CANCELLED)  # the other process trains on: this one only stops waiting for it
                else:
                    with job._lock:
                        job._state, job._first_report = QUEUED, None
                    self._queue.insert(0, job)  # it was next to start when it began to wait
                    self._pump()
        except BaseException as e:  # noqa: BLE001 - as in _run
            log.exception("job %s: waiting for another process failed", job.key)
            job._end(FAILED, error=f"{type(e).__name__}: {e}")
        with self._lock:
            self._following.discard(job)
            self._keep_previous(job)


_registry: JobRegistry | None = None
_registry_lock = threading.Lock()


def get_registry() -> JobRegistry:
    """The process-wide registry (the UI and the CLI both call this). Making it also warms torch up in the
    background, so the first job a server runs reports progress at once."""
    global _registry
    with _registry_lock:
        if _registry is None:
            _registry = JobRegistry()
            threading.Thread(target=warm_up, name="torch-warm-up", daemon=True).start()
        return _registry


def warm_up() -> None:
    """Pay torch's one-off costs now rather than in a learner's first job: the first step of a fused Adam
    imports torch._dynamo and torch.distributed (about 3 s on this 2-core machine)."""
    import torch

    param = torch.nn.Parameter(torch.zeros(2))
    param.grad = torch.ones(2)
    torch.optim.Adam([param], lr=1e-3, fused=True).step()
