"""Cross-process training locks: several server processes sharing one run store train each config once.

    lock = try_lock(store.root, key)      # a TrainLock if this process may train `key`, else None (held elsewhere)
    lock.write_progress(progress)         # a Progress, written atomically at most a few times a second
    read_progress(store.root, key)        # the Progress the owner last wrote (no snapshot), or None
    lock.release()                        # after the finished run is in the store (or the run was given up)
    wait_for_release(store.root, key, stop, on_progress)   # another process's view: until the owner lets go

A lock is `<root>/.locks/<key>.lock`, held with fcntl.flock(LOCK_EX | LOCK_NB) on an open descriptor: the OS
drops it when its process exits or is killed, so a crash never leaves a lock that blocks anyone. The owner's
pid, host and start time are written into the file (for people reading the directory, not for correctness).
Release unlinks the file and then unlocks it; a taker checks after locking that the file it locked is still
the one at the path (same inode), and starts again otherwise, so a lock is never taken on a deleted file.
On shared storage, flock needs a file system that supports it across hosts (NFS does, via fcntl locks).

Where fcntl is missing (Windows), or the lock directory cannot be written, every try_lock succeeds with a
lock that does nothing: each process then trains on its own, as before this module existed.
"""
import json
import logging
import os
import re
import socket
import time
import uuid
from pathlib import Path

from explainer.runs.result import Progress

try:
    import fcntl
except ImportError:  # Windows: no cross-process locking, each process trains for itself
    fcntl = None

log = logging.getLogger(__name__)

LOCK_DIR = ".locks"  # under the store root; a dot name, so RunStore.keys() never mistakes it for a run
PROGRESS_EVERY_S = 0.2  # the owner writes its progress file at most this often
POLL_S = 0.2  # how often a waiting process looks at the lock and the progress file
_KEY_RE = re.compile(r"^[0-9A-Za-z_-]{1,128}$")  # keys become file names: no dots, no slashes


def _paths(root: Path | str, key: str) -> tuple[Path, Path]:
    d = Path(root) / LOCK_DIR
    return d / f"{key}.lock", d / f"{key}.progress.json"


class TrainLock:
    """The right to train one key, held until release(); `fd` is None for a lock that does nothing."""

    def __init__(self, root: Path | str, key: str, fd: int | None):
        self.key, self.fd = key, fd
        self.path, self.progress_path = _paths(root, key)
        self._last_write = 0.0

    @property
    def real(self) -> bool:
        """True if this lock excludes other processes (False for the no-op fallback)."""
        return self.fd is not None

    def write_progress(self, p: Progress, force: bool = False) -> None:
        """Tell waiting processes how far training is: a small JSON file, replaced atomically, throttled."""
        now = time.monotonic()
        if self.fd is None or (not force and now - self._last_write < PROGRESS_EVERY_S):
            return
        self._last_write = now
        data = {"step": int(p.step), "total": int(p.total_steps), "elapsed_s": float(p.elapsed_s),
                "losses": {str(k): float(v) for k, v in p.losses.items()},
                "pid": os.getpid(), "host": socket.gethostname(), "time": time.time()}
        tmp = self.progress_path.with_name(f".{self.progress_path.name}.{os.getpid()}-{uuid.uuid4().hex[:6]}")
        try:
            tmp.write_text(json.dumps(data))
            os.replace(tmp, self.progress_path)
        except OSError as e:  # progress is a courtesy: never fail a training run over it
            log.debug("lock %s: cannot write progress: %s", self.key, e)
            tmp.unlink(missing_ok=True)

    def release(self) -> None:
        """Give the key up (idempotent). The files go first, the lock last: see the module docstring."""
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        for p in (self.progress_path, self.path):
            try:
                p.unlink()
            except OSError:
                pass
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> "TrainLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _unlocked(root: Path | str, key: str, why: OSError) -> TrainLock:
    log.warning("no cross-process lock for %s (%s): training without one", key, why)
    return TrainLock(root, key, None)


def try_lock(root: Path | str, key: str) -> TrainLock | None:
    """Take the lock on `key` without blocking: a TrainLock, or None when another process holds it."""
    if fcntl is None or not _KEY_RE.match(key or ""):  # a bad key fails later, in the store, with a message
        return TrainLock(root, key, None)
    path, progress = _paths(root, key)
    for _ in range(100):  # another process may unlink the file between our open and our flock: try again
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:  # e.g. a read-only store
            return _unlocked(root, key, e)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except BlockingIOError:
            os.close(fd)
            return None
        except FileNotFoundError:
            same = False
        except OSError as e:  # a file system without flock
            os.close(fd)
            return _unlocked(root, key, e)
        if not same:  # we locked a file its owner had just released and unlinked
            os.close(fd)
            continue
        try:
            os.ftruncate(fd, 0)  # a note for people reading the directory; the lock is what counts
            note = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
            os.write(fd, json.dumps(note).encode())
            progress.unlink(missing_ok=True)  # a killed owner's last words are not this run's progress
        except OSError as e:
            log.debug("lock %s: cannot write the owner note: %s", key, e)
        return TrainLock(root, key, fd)
    return None  # pragma: no cover - a hundred lost races in a row: treat it as held


def read_progress(root: Path | str, key: str) -> Progress | None:
    """The progress the owner of `key` last wrote (without a snapshot), or None (none yet, or unreadable)."""
    _, path = _paths(root, key)
    try:
        d = json.loads(path.read_text())
        losses = {str(k): float(v) for k, v in (d.get("losses") or {}).items()}
        return Progress(step=int(d["step"]), total_steps=int(d["total"]), elapsed_s=float(d.get("elapsed_s", 0.0)),
                        losses=losses)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def wait_for_release(root: Path | str, key: str, stop, on_progress=None, poll_s: float = POLL_S) -> bool:
    """Block until no process holds the lock on `key` (True) or the event `stop` is set (False), passing the
    owner's progress (a Progress) to on_progress as it changes. A killed owner's lock counts as released."""
    last = None
    while not stop.wait(poll_s):
        lock = try_lock(root, key)
        if lock is not None:
            lock.release()
            return True
        p = read_progress(root, key)
        if p is not None and on_progress is not None and p != last:
            on_progress(p)
            last = p
    return False
