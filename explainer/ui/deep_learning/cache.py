"""Process-wide caches for the "Deep learning" page that show a progress bar while they compute.

Why not plain `st.cache_data` around the experiment: Streamlit records every element a cached function draws and
replays it on each cache hit, and replaying a progress bar that lives outside the function raises
`CacheReplayClosureError`. So the results live in a small LRU store that `st.cache_resource` holds (one per
process, shared by every session, cleared by "Clear cache"), keyed by the experiment's frozen config; the page
computes on a miss, in the script thread, with a progress bar, and never on a hit. Two sessions asking for the
same missing key compute it once: the second waits behind a spinner.
"""
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import streamlit as st

from explainer.deep_learning.cnn import CNNConfig, DigitsCNNResult, get_digits_cnn
from explainer.deep_learning.recipe import EXPERIMENTS, ExperimentResult

_MISSING = object()


class _Store:
    """A bounded LRU dict with a lock per key (so one key is computed by one caller at a time)."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._items: OrderedDict = OrderedDict()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key not in self._items:
                return _MISSING
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                old, _ = self._items.popitem(last=False)
                self._key_locks.pop(old, None)

    def key_lock(self, key) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())


@st.cache_resource(show_spinner=False)
def _store() -> _Store:
    return _Store(max_entries=64)


def is_cached(key) -> bool:
    return _store().get(key) is not _MISSING


def cached(key: Hashable, compute: Callable[[Callable[[float], None]], object], label: str):
    """The stored value for `key`, or `compute(progress)` run now under a spinner and a progress bar."""
    store = _store()
    value = store.get(key)
    if value is not _MISSING:
        return value
    lock = store.key_lock(key)
    if not lock.acquire(blocking=False):
        with st.spinner("Another viewer is computing this right now; waiting for it..."):
            lock.acquire()
    try:
        value = store.get(key)
        if value is not _MISSING:
            return value
        bar = None

        def progress(fraction: float) -> None:
            nonlocal bar
            fraction = min(max(float(fraction), 0.0), 1.0)
            if bar is None:
                bar = st.progress(fraction, text=label)
            else:
                bar.progress(fraction, text=label)

        with st.spinner(label, show_time=True):
            try:
                value = compute(progress)
            finally:
                if bar is not None:
                    bar.empty()
        store.put(key, value)
        return value
    finally:
        lock.release()


def digits_cnn(config: CNNConfig | None = None) -> DigitsCNNResult:
    """The digits CNN: from this process's cache, else from the disk cache, else trained now (≈1 s on 2 cores)."""
    config = config or CNNConfig()
    return cached(("digits_cnn", config), lambda progress: get_digits_cnn(progress=progress, config=config),
                  "Training the CNN on 8×8 digits (about a second, once; then it is cached)...")


def experiment(name: str, config) -> ExperimentResult:
    """A recipe experiment (explainer.deep_learning.recipe.EXPERIMENTS) for a frozen config, cached by config."""
    return cached(("recipe", name, config), lambda progress: EXPERIMENTS[name](config, progress=progress),
                  f"Running the experiment: training {_RUNS.get(name, 'a few')} small networks on the digits...")


_RUNS = {"init_loss": "three", "overfit_one_batch": "one", "input_independent_baseline": "two",
         "learning_rates": "three", "overfitting": "four"}
