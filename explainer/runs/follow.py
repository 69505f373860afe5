"""Follow a job from a terminal: print its progress until it ends (the CLI and ship-presets use this)."""
import sys
import time


def _fmt_s(s: float | None) -> str:
    if s is None:
        return "?"
    return f"{s:.0f}s" if s < 120 else f"{s / 60:.1f}min"


def follow(job, out=None, every: float = 1.0, quiet: bool = False):
    """Print a job's progress until it finishes; Ctrl-C cancels it. Returns the final JobView."""
    out = out or sys.stdout  # looked up per call, so redirected stdout (tests, capture) is used
    last_print, last_step = 0.0, None
    try:
        while not job.wait(timeout=0.05):
            now = time.monotonic()
            if quiet or now - last_print < every:
                continue
            v = job.view()
            if v.step == last_step and now - last_print < 10 * every:  # nothing new to say
                continue
            losses = " ".join(f"{k}={val:.4f}" for k, val in v.losses.items())
            where = f"queued #{v.queue_position + 1}" if v.state == "queued" else f"step {v.step:,}/{v.total:,}"
            print(f"  {where}  {losses}  elapsed {_fmt_s(v.elapsed_s)}  eta {_fmt_s(v.eta_s)}", file=out, flush=True)
            last_print, last_step = now, v.step
    except KeyboardInterrupt:
        print("  cancelling...", file=out, flush=True)
        job.cancel()
        job.wait()
    return job.view()
