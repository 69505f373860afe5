"""Training jobs on a page: find a run without starting one, start one, and watch it live.

The one rule for when a demo computes inline and when it goes through a job:
- inline: work well under a second (a forward pass, a formula, one gradient step, a figure), done in the script
  run and cached per process (st.cache_data / st.cache_resource, or `derived` on a finished run);
- a job: anything that trains or takes longer. It runs in the background (a progress bar, never blocking a first
  render), is shared by every session that asks for the same config, and is cached on disk by the run store.
  Demos whose default config is slow ship it trained (explainer/presets/), so a first visit is instant; a short
  job (a second or two) may start on its own (`autostart`), a long one waits for the viewer's Train button.

The registry (one per process) lives in `explainer.runs.jobs`; this module only adds Streamlit: a fragment
that polls the job twice a second while it runs (the rest of the page stays put and other sessions are never
blocked), a stop button, and a full rerun once the job ends so the page draws the finished run.
"""
import json
import math
import os
import time
import uuid
from collections.abc import Callable

import streamlit as st

from explainer.runs import cost
from explainer.runs.job import JobView
from explainer.runs.jobs import RETRAIN, get_registry
from explainer.site import warm_imports

POLL_S = 0.5
STOP_HELP = ("Stops the run if nobody else is watching it. If other viewers are (another tab, an audience), it "
             "keeps training for them and stops only for you.")
# A poll of a job that is running but has no step count yet waits up to this long for its first report (the
# trainers report step 1 as soon as their set-up is done): the first number shows that much sooner than the
# next poll would show it. A click in the panel (Stop) waits at most this long.
FIRST_STEP_WAIT_S = 0.3
POLL_LOG = os.environ.get("EXPLAINER_POLL_LOG")  # a file: one JSON line per live poll (bench/live_training.py)


def log_poll(demo: str, started: float, **facts) -> None:
    """With EXPLAINER_POLL_LOG set, append how long this poll (fragment run) took on the server, from
    `started` (time.perf_counter()), as a JSON line; otherwise nothing."""
    if POLL_LOG:
        line = {"demo": demo, "t": time.time(), "server_s": time.perf_counter() - started, **facts}
        with open(POLL_LOG, "a") as f:
            f.write(json.dumps(line) + "\n")


def registry():
    """The process's job registry (one per server process, shared by every session); made on a server's first
    visit, when it starts importing the pages' slow modules in the background."""
    return get_registry(warm_imports=warm_imports())


def viewer() -> str:
    """This browser session's id: the watcher of the jobs it shows (explainer.runs.job.Job.watch)."""
    if "viewer" not in st.session_state:
        st.session_state["viewer"] = uuid.uuid4().hex
    return st.session_state["viewer"]


def _mine(name: str) -> set:
    """A per-session set of job keys: "detached" (this viewer stopped watching a run others still follow),
    "retrained" (configs this viewer retrained: they see their retrain, everyone else the shared run)."""
    return st.session_state.setdefault(f"jobs:{name}", set())


def find(config):
    """The job for `config` if it is running, finished in this process, or cached on disk; else None.
    Never starts training, so merely looking at a page costs nothing."""
    reg = registry()
    job = reg.get(config.key())
    if job is None and reg.store.has(config.key()):
        job = reg.get_or_start(config)  # a store hit: returns a finished job, trains nothing
    return job


def start(config, restart: bool = False):
    """Start (or join: the same config from another session shares one job) the training of `config`; this
    viewer watches it."""
    job = registry().get_or_start(config, restart=restart)
    job.watch(viewer())
    _mine("detached").discard(job.key)
    return job


def _eta(view: JobView) -> str:
    if view.state == "queued":
        return f"queued (position {view.queue_position + 1 if view.queue_position is not None else '?'})"
    if view.eta_s is None:
        return "estimating..."
    return f"about {view.eta_s:.0f} s left" if view.eta_s >= 1 else "finishing"


def live(job, draw: Callable[[JobView], None] | None = None, label: str = "Training",
         controls_below: bool = False) -> None:
    """Poll `job` in a fragment every POLL_S seconds: progress bar, step, losses, ETA, a stop button and
    whatever `draw(view)` adds (e.g. the newest snapshot), below them or (`controls_below`: a picture that
    should stay where the untrained preview and the finished run draw theirs, or level with a comparison's
    other side) above them. Reruns the whole page when
    the job ends."""

    @st.fragment(run_every=POLL_S)
    def panel():
        started = time.perf_counter()
        view = job.view()
        if view.state == "running" and view.step == 0 and job.wait_past(0, FIRST_STEP_WAIT_S):
            view = job.view()
        if view.finished:
            st.rerun()
        job.watch(viewer())
        if draw is not None and controls_below:
            draw(view)
        losses = "  ·  ".join(f"{k.replace('_', ' ')} {v:.3f}" for k, v in view.losses.items()
                              if math.isfinite(v))  # none yet at step 0: say nothing rather than "nan"
        parts = [f"{label} (run #{job.serial}): step {view.step:,} / {view.total:,}", losses, _eta(view)]
        text = "  ·  ".join(part for part in parts if part)
        st.progress(min(max(view.fraction, 0.0), 1.0), text=text)
        if st.button("Stop training", key=f"stop:{job.key}", icon=":material/stop_circle:",
                     disabled=view.cancel_requested, help=STOP_HELP):
            if not job.leave(viewer()):  # others still watch: it goes on for them, this viewer lets go
                _mine("detached").add(job.key)
            st.rerun()
        if draw is not None and not controls_below:
            draw(view)
        log_poll(label, started, step=view.step, key=job.key[:12])

    panel()


def status_message(view: JobView) -> None:
    """A finished job's ending, said plainly (diverged, failed and cancelled runs are never shown as results)."""
    if view.state == "diverged":
        st.error("**Diverged.** Every seed produced NaN or infinite values and was stopped. "
                 "Try a smaller learning rate.", icon=":material/error:")
    elif view.state == "failed":
        st.error(f"**Training failed:** {view.error}", icon=":material/error:")
    elif view.state == "cancelled":
        st.warning("Training was stopped before it finished, so nothing was saved.", icon=":material/stop_circle:")


def show(config, done: Callable, draw: Callable[[JobView], None] | None = None, what: str = "this configuration",
         key: str = "", autostart: bool = False, preview: Callable[[], None] | None = None,
         controls_below: bool = False, retrain_help: str | None = None) -> None:
    """The one flow every training demo uses: draw the finished run with `done(result)` and say where it came
    from; until then, `finished` shows the job's state (live progress, a Train button, or why it ended). With
    `retrain_help`, a finished run gets a "Retrain live" button (that text its help): the same config trained
    again from scratch, shown to this viewer (and whoever watches that retrain) while everyone else keeps the
    shared run (JobRegistry.retrain)."""
    if config.key() in _mine("retrained") and _retrained(config, done, draw, key, controls_below):
        return
    result = finished(config, draw, what, key, autostart, preview, controls_below)
    if result is not None:
        job = find(config)
        view = job.view()
        done(result)
        origin = {"trained": "Trained on this server", "cache": "Loaded from this server's run cache",
                  "preset": "A trained run shipped with the site"}.get(view.source or "", "A finished run")
        # the number lets viewers see that they share one run (another tab, a speaker's audience)
        st.caption(f"{origin} (run #{job.serial}, the same for everyone who opens this configuration).")
        if retrain_help:  # a callback: the job starts before the rerun, so one run (not two) draws it live
            st.button("Retrain live", key=f"retrain-live:{key}:{config.key()}", icon=":material/replay:",
                      help=retrain_help, on_click=retrain, args=(config,))


def finished(config, draw: Callable[[JobView], None] | None = None, what: str = "this configuration",
             key: str = "", autostart: bool = False, preview: Callable[[], None] | None = None,
             controls_below: bool = False):
    """The finished run of `config` (done or diverged: diverged runs are drawn, flagged, by the caller), or None
    after drawing what there is instead: the running job live (with `draw(view)`), a Train button (or, with
    `autostart`, for jobs of a second or two, the job started at once; `preview()` draws the untrained state
    beside it), or why it failed or was cancelled."""
    job = find(config)
    if job is None and autostart:
        job = start(config)
    if job is None:
        untrained(config, draw, what, key, preview, controls_below)
        return None
    view = job.view()
    if not view.finished and job.key in _mine("detached"):
        detached(job, config, key, preview)
        return None
    if not view.finished:
        live(job, draw, controls_below=controls_below)
        return None
    if job.result is not None:
        return job.result
    picture = st.container()  # above the message with `controls_below`: where the live picture was
    status_message(view)
    st.button("Train again", key=f"retrain:{key}:{config.key()}", icon=":material/replay:", on_click=start,
              args=(config, True))
    with picture if controls_below else st.container():
        if view.state == "cancelled" and draw is not None and view.snapshot is not None:
            st.caption("The last picture before it stopped:")
            draw(view)  # a stopped run keeps its last live picture rather than leaving an empty panel
        elif preview is not None:
            preview()
    return None


def detached(job, config, key: str, preview) -> None:
    """This viewer pressed Stop on a run that others still watch: it trains on for them; here, say so and offer
    to watch again (the untrained preview stays, so the panel is never empty)."""
    others = job.watchers(but=viewer())
    st.info(f"You stopped watching this run. {others or 'Another'} viewer{'s' if others > 1 else ''} "
            f"{'are' if others > 1 else 'is'} still watching it, so it keeps training on the server; its result "
            "will show here when it ends.", icon=":material/visibility_off:")
    st.button("Watch again", key=f"rewatch:{key}:{config.key()}", icon=":material/visibility:",
              on_click=_mine("detached").discard, args=(job.key,))
    if preview is not None:
        preview()


def untrained(config, draw, what: str, key: str, preview, controls_below: bool) -> None:
    """A Train button (and `preview()`) in a fragment: the click reruns only the fragment, which then holds the
    live panel (a fragment that polls, declared inside this one), so the first step count does not wait for a
    rerun of the whole page. The button's callback starts the job before that rerun."""

    @st.fragment
    def panel():
        job = find(config)
        if job is not None:
            live(job, draw, controls_below=controls_below)
            return
        estimate = cost.estimate_s(config)
        if estimate is not None and estimate > cost.MAX_S:  # refuse: one click must not hold the server for hours
            st.warning(f"This configuration would take about {cost.said(estimate)} to train on this server; the "
                       f"limit here is {cost.said(cost.MAX_S)}. Make it smaller: fewer steps or seeds, a smaller "
                       "network or batch, fewer D or unrolled steps.", icon=":material/hourglass_disabled:")
            if preview is not None:
                preview()
            return
        if preview is not None and controls_below:
            preview()
        st.info(f"{what[0].upper() + what[1:]} has not been trained yet. Training runs in the background on "
                "the server; you can watch it live and stop it.", icon=":material/model_training:")
        long = estimate is not None and estimate > cost.CONFIRM_S
        sure = long and st.checkbox(f"Yes, train for about {cost.said(estimate)}", key=f"sure:{key}:{config.key()}")
        st.button(f"Train (about {cost.said(estimate)})" if long else "Train", key=f"train:{key}:{config.key()}",
                  type="primary", icon=":material/play_arrow:", on_click=start, args=(config,),
                  disabled=long and not sure, help="Tick the box first: this one takes a while." if long else None)
        if preview is not None and not controls_below:
            preview()

    panel()


def retrain(config):
    """Train `config` again from scratch, live, for this viewer, even when a finished run is cached or shipped;
    everyone else keeps seeing that run."""
    job = registry().retrain(config)
    job.watch(viewer())
    _mine("retrained").add(config.key())
    _mine("detached").discard(job.key)
    return job


def _retrained(config, done: Callable, draw, key: str, controls_below: bool) -> bool:
    """Draw this viewer's retrain of `config` (live, or its result with a way back to the shared run); False
    when there is none to draw (it ended unfinished: said here, and the shared run is drawn instead)."""
    job = registry().get(config.key() + RETRAIN)
    view = job.view() if job is not None else None
    if view is None or view.state in ("cancelled", "failed") or job.key in _mine("detached"):
        _mine("retrained").discard(config.key())
        if view is not None and view.state == "failed":
            st.warning(f"Retraining failed ({view.error}); this is the shared run, unchanged.", icon=":material/error:")
        elif view is not None:
            st.info("Retraining was stopped; this is the shared run, unchanged.", icon=":material/stop_circle:")
        return False
    if not view.finished:
        st.caption("Your retrain, live: everyone else still sees the shared run.")
        live(job, draw, label="Retraining", controls_below=controls_below)
        return True
    done(job.result)
    st.caption(f"Your retrain (run #{job.serial}), trained on this server just now from the same seed; everyone "
               "else sees the shared run.")
    st.button("Back to the shared run", key=f"unretrain:{key}:{config.key()}", icon=":material/undo:",
              on_click=_mine("retrained").discard, args=(config.key(),))
    return True
