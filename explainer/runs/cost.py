"""What a training run will cost before it starts, in seconds on this server, so a page can refuse or ask before a
viewer starts hours of training (one click on a public site must not occupy the machine for an afternoon).

A config that can say overrides RunConfig.predicted_s(): seconds on one CPU thread of the development machine, from its
sizes (a model calibrated there: bench/RESULTS.md). Every finished run then teaches the server its own speed:
`record(config, seconds)` keeps, per model, a running ratio of measured to predicted time, so estimates follow the
machine they run on (a GPU, a slower CPU). They are rough, within a factor of about two: enough to tell seconds
from hours, which is all a guard needs.

    MAX_S      above it the page refuses (EXPLAINER_MAX_TRAIN_S, for a private deployment that may train longer)
    CONFIRM_S  above it the page asks the viewer to confirm (EXPLAINER_CONFIRM_TRAIN_S)
"""
import os
import threading

MAX_S = float(os.environ.get("EXPLAINER_MAX_TRAIN_S", 30 * 60))
CONFIRM_S = float(os.environ.get("EXPLAINER_CONFIRM_TRAIN_S", 2 * 60))

_speed: dict[str, float] = {}  # MODEL -> measured / predicted seconds, a running mean over finished runs
_lock = threading.Lock()


def estimate_s(config) -> float | None:
    """Seconds `config` would take to train here, or None when its kind of run cannot say."""
    predicted = config.predicted_s()
    if predicted is None:
        return None
    with _lock:
        return predicted * _speed.get(config.MODEL, 1.0)


LEARN_FROM_S = 10.0  # shorter runs are mostly set-up and scoring, which the per-step models leave out


def record(config, seconds: float) -> None:
    """A run of `config` took `seconds` here: update this server's speed for its model (runs predicted to take at
    least LEARN_FROM_S only; the ratio is clamped, so one odd run cannot swing it far)."""
    predicted = config.predicted_s()
    if predicted is None or not seconds > 0 or predicted < LEARN_FROM_S:
        return
    ratio = min(max(seconds / predicted, 0.2), 5.0)
    with _lock:
        old = _speed.get(config.MODEL)
        _speed[config.MODEL] = ratio if old is None else 0.5 * old + 0.5 * ratio


def said(seconds: float) -> str:
    """A duration as a viewer reads it: '40 s', '7 min', '5 h'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
