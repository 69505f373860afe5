"""The in-process job registry: ask for a config, get a Job that is finished, running, or queued; and `execute`,
the harness every run trains in.

    registry = get_registry()              # one per process
    job = registry.get_or_start(config)    # store hit -> finished job; same key running -> that job; else train
    v = job.view()                         # immutable snapshot, safe from any thread: state, step, losses, ...
    job.cancel(); job.wait(timeout)
    result = execute(config)               # train here and now, in this thread (tests, scripts): no store, no queue

A job runs in a daemon thread calling `execute`, which hands `config.train` a Run (explainer.runs.context: progress,
stop, private random streams, the device, other runs it needs) with the thread policy of explainer.threads.
The config declares its device ("cpu", or "auto" for the best one here); the registry reads it and never guesses.
CPU jobs and GPU jobs are bounded separately (`max_cpu_jobs`, default one per core; `max_gpu_jobs`, default one),
so a CPU job never waits for the GPU; the rest wait in a FIFO queue. Finished runs go to the RunStore (diverged
ones too, flagged); cancelled runs are not stored. An exception in training ends the job as "failed" with its
message; it is logged, never lost in a thread. A run that needs another run's result (`run.require(config)`) gets
it through `result_of`, which trains it in the asking thread when nobody else is: that thread already holds a
slot, and a job waiting for a slot of its own could wait for ever.

Processes sharing one store train a key once: a job trains only while it holds the key's lock (runs.locks).
A job another process is training runs here without a slot (_follow): it mirrors that process's step and
losses (not its snapshots), then loads the run from the store, or queues to train here if none came (the
other process cancelled, failed or died). Cancelling it only stops waiting.
"""
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from explainer.device import pick_device
from explainer.runs import cost, locks
from explainer.runs.config import RunConfig
from explainer.runs.context import Run, Stopped
from explainer.runs.job import FAILED, FINISHED, QUEUED, RUNNING, Job, JobView  # noqa: F401 (re-exported)
from explainer.runs.result import CANCELLED, DIVERGED, DONE, Progress, TrainResult
from explainer.runs.store import RunStore, default_store
from explainer.threads import job_threads, limited

RETRAIN = "~retrain"  # a private retrain's key: its config's key and this (JobRegistry.retrain)

log = logging.getLogger(__name__)


def resolve_device(declared: str) -> str:
    """The device kind a config's declared device means on this machine ("auto": the best one found)."""
    return pick_device(None if declared == "auto" else declared).kind


def execute(config, on_progress: Callable[[Progress], None] | None = None, stop=None, device: str | None = None,
            require: Callable | None = None, threads: int = 1) -> TrainResult:
    """Train `config` in this thread: hand its train() a Run (progress to `on_progress`, the `stop` event, private
    random streams, `device` or the one it declares, other runs from `require`, by default this process's
    registry) with `threads` torch threads; a stop ends it as a cancelled result."""
    if not isinstance(config, RunConfig):
        raise TypeError(f"{type(config).__name__} is not a RunConfig")
    run = Run(config, on_progress, stop, device or resolve_device(config.device),
              require or (lambda needed: get_registry().result_of(needed)))
    with limited(threads):
        try:
            result = config.train(run)
        except Stopped:
            return run.cancelled()
    if not isinstance(result, TrainResult):
        raise TypeError(f"train() returned {type(result).__name__}, not a TrainResult")
    if result.status not in (CANCELLED, DONE, DIVERGED):
        raise ValueError(f"train() returned {result!r:.80}, not a TrainResult with a known status")
    return result


class JobRegistry:
    """Starts, joins and queues training jobs; see the module docstring."""

    def __init__(self, store: RunStore | None = None, max_cpu_jobs: int | None = None, max_gpu_jobs: int = 1,
                 auto_device: str | None = None, keep_finished: int = 64, cpu_threads: int | None = None):
        """auto_device: what a config declaring "auto" trains on here (default: the best device found; tests
        inject "cuda" to schedule as a GPU machine would). cpu_threads: torch threads per job (explainer.threads)."""
        self.max_cpu_jobs = max_cpu_jobs or os.cpu_count() or 1
        if self.max_cpu_jobs < 1 or max_gpu_jobs < 1:
            raise ValueError("max_cpu_jobs and max_gpu_jobs must be at least 1")
        self.cpu_threads = cpu_threads or job_threads(self.max_cpu_jobs)
        self._store = store
        self.max_gpu_jobs, self.keep_finished = max_gpu_jobs, keep_finished
        self._auto_device = auto_device
        self._lock = threading.RLock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()  # key -> newest job for it, oldest first
        self._queue: list[Job] = []
        self._running: set[Job] = set()
        self._following: set[Job] = set()  # jobs another process is training (see _follow); they take no slot

    def device_of(self, config) -> str:
        declared = getattr(config, "device", "cpu")
        if declared == "auto" and self._auto_device is not None:
            return self._auto_device
        return resolve_device(declared)

    @property
    def store(self) -> RunStore:
        return self._store if self._store is not None else default_store()

    def get_or_start(self, config, restart: bool = False) -> Job:
        """The job for `config`: finished from the store, the one already running/queued, or a new one.

        A failed or cancelled job is returned as it is (a page that reruns must not retrain a failing config
        in a loop); restart=True forgets a finished job and looks again (store, then a new training run).
        """
        key = config.key()
        with self._lock:  # one lock around lookup + start: two callers with one key get one job
            job = self._jobs.get(key)
            if job is not None and not (restart and job._finished.is_set()):
                self._jobs.move_to_end(key)
                return job
            job = Job(config, key, self.device_of(config), self)
            self._jobs[key] = job
            result, source = self.store.load_entry(key)
            if result is not None:
                job._end(result.status, result=result, source=source)
            else:
                self._queue.append(job)
                self._pump()
            self._evict()
            return job

    def retrain(self, config) -> Job:
        """`config` trained again from scratch, for whoever asked and whoever watches it (a speaker's "Retrain
        live"): a job of its own (key: the config's and RETRAIN), never stored, so the run everyone else sees
        for the config (shipped, cached, trained) stays as it is. Two viewers retraining one config at once join
        one retrain; a retrain asked for after the last one ended is a new one."""
        key = config.key() + RETRAIN
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not job._finished.is_set():
                self._jobs.move_to_end(key)
                return job
            job = Job(config, key, self.device_of(config), self)
            job._private = True
            self._jobs[key] = job
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

    def result_of(self, config) -> TrainResult:
        """The finished run of `config`, for a run that builds on it (Run.require): from the store, from the job
        training it, or trained in the calling thread (taken out of the queue if it waits there). Raises
        RuntimeError when it fails or is cancelled."""
        key = config.key()
        while True:
            with self._lock:
                job = self._jobs.get(key)
                if job is None or (job._finished.is_set() and job.result is None):
                    job = self.get_or_start(config, restart=job is not None)
                inline = job in self._queue
                if inline:
                    self._queue.remove(job)
                    job._mark_running()
                    self._running.add(job)
            if inline:
                lock = locks.try_lock(self.store.root, key)
                if lock is None:  # another process trains it: wait for it, then look again
                    with self._lock:
                        self._running.discard(job)
                        with job._lock:
                            job._state = QUEUED
                        self._queue.insert(0, job)
                    locks.wait_for_release(self.store.root, key, threading.Event(), job._on_progress)
                    continue
                self._run(job, lock)
            job.wait()
            if job.result is not None:
                return job.result
            view = job.view()
            raise RuntimeError(f"the {type(config).__name__} run this one needs ended {view.state}"
                               f"{': ' + view.error if view.error else ''}")

    def cancel(self, job: Job) -> None:
        with self._lock:
            if job in self._queue:
                self._queue.remove(job)
                job._stop.set()
                job._end(CANCELLED)
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
        """Start queued jobs, oldest first, while their kind (CPU or GPU) has a free slot."""
        i = 0
        while i < len(self._queue):
            job = self._queue[i]
            if sum(j.uses_gpu == job.uses_gpu for j in self._running) >= self._slots(job):
                i += 1  # its kind is full; a job of the other kind behind it may still start
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

    def _slots(self, job: Job) -> int:
        return self.max_gpu_jobs if job.uses_gpu else self.max_cpu_jobs

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
                result, source = (None, None) if job._private else self.store.load_entry(job.key)
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
                self._pump()

    def _train(self, job: Job, lock: locks.TrainLock) -> TrainResult:
        """Train job's config here (telling other processes how far it is) and store a finished run."""
        def progress(p: Progress) -> None:
            job._on_progress(p)
            lock.write_progress(p)

        started = time.perf_counter()
        result = execute(job.config, progress, job._stop, job.device_kind, self.result_of, self.cpu_threads)
        if result.status == DONE:
            cost.record(job.config, time.perf_counter() - started)  # this server's speed, for the next estimate
        if result.status != CANCELLED and not job._private:
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


_registry: JobRegistry | None = None
_registry_lock = threading.Lock()


def get_registry(warm_imports: tuple[str, ...] = ()) -> JobRegistry:
    """The process-wide registry (the UI and the CLI both call this). Making it also warms torch up in the
    background, so the first job a server runs reports progress at once, then imports `warm_imports` (the slow
    modules the pages need, from explainer.site) in that thread."""
    global _registry
    with _registry_lock:
        if _registry is None:
            _registry = JobRegistry()
            threading.Thread(target=warm_up, args=(warm_imports,), name="torch-warm-up", daemon=True).start()
        return _registry


def warm_up(modules: tuple[str, ...] = ()) -> None:
    """Pay one-off costs now rather than in a learner's first job or page: first what every training job pays
    on its first step (a fused Adam's first step imports torch._dynamo and torch.distributed: 1.6–3 s on this
    2-core machine), then `modules` (Captum pulls in matplotlib). A job or page that needs a module this thread
    is still importing waits for it rather than importing it a second time."""
    import importlib

    import torch

    param = torch.nn.Parameter(torch.zeros(2))
    param.grad = torch.ones(2)
    torch.optim.Adam([param], lr=1e-3, fused=True).step()

    for module in modules:
        importlib.import_module(module)
