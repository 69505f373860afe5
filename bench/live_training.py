"""Live training as a learner sees it: the served app in headless Chromium, Train clicked, progress read off the page.

    .venv/bin/python bench/live_training.py [--demos lab collapse images playground] [--viewers 1 5] [--seed 5555]
                                            [--device cpu]

For each demo (the GAN Lab's default config with an unused seed, so nothing is cached; Mode collapse's "Retrain
live" of the collapsing preset; the image GAN with an unused seed; the Deep learning playground's Play), it
reports:
- the CLI's speed for the same config on this machine, in this run (runs.jobs.execute, one thread, a fresh process);
- from the click to the first progress text with a step count;
- the served app's training speed while 1 (and N) browsers watch the same job, as a share of the CLI's;
- how often the live view shows a new frame (step count changes per second);
- per poll (one fragment rerun): its server time, median and p95 (EXPLAINER_POLL_LOG, written by the fragments in
  explainer/ui/jobs.py and the playground), and the bytes the watching tab received over the websocket for it,
  median and p95 (its frames parsed as ForwardMsgs and summed up to each script_finished);
- the ETA's error after 20% of the run (|ETA − real remaining| / real remaining).
Each viewer count uses its own seed, so each measures a fresh job. Figures only; no assertion.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, serve_app, settle  # noqa: E402

PROGRESS = re.compile(r"step ([\d,]+) / ([\d,]+)")
ETA = re.compile(r"about (\d+) s left")
CLI_CODE = """
import sys, time
from explainer.gan.presets import PRESETS
from explainer.runs.jobs import execute
config = PRESETS[sys.argv[1]].replace(seed=int(sys.argv[2]))
t = time.perf_counter(); execute(config); print(config.steps / (time.perf_counter() - t))
"""
# demo -> (preset the CLI trains, page path and query with {seed}, the button that starts it)
DEMOS = {
    "lab": ("lab", "gans?seed={seed}", "Train"),
    "collapse": ("collapse", "mode-collapse?config=collapse", "Retrain live"),
    "images": ("digits", "gans?section=images&img_seed={seed}", "Train"),
}
RATE = re.compile(r"Training at about ([\d,]+) steps a second, redrawn ([\d.]+) times")
READ_JS = """() => {
  const bar = document.querySelector('[data-testid="stProgress"]');
  const done = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
      .some(c => c.innerText.includes('Trained on this server'));
  return {text: bar ? bar.innerText : '', done};
}"""


def cli_steps_per_s(preset: str, seed: int, device: str) -> float:
    out = subprocess.run([sys.executable, "-c", CLI_CODE, preset, str(seed)], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={**os.environ, "EXPLAINER_DEVICE": device})
    return float(out.stdout.strip().splitlines()[-1])


class RunBytes:
    """Bytes a tab receives over Streamlit's websocket, per script run (a fragment rerun is one): every frame is a
    ForwardMsg, and a run's messages end with its script_finished."""

    def __init__(self, page):
        self.runs: list[tuple[float, int]] = []  # (time the run finished, bytes it sent)
        self._pending = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if not isinstance(payload, bytes):
            return
        self._pending += len(payload)
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - not one message: count its bytes with the run it came in
            return
        if msg.WhichOneof("type") == "script_finished":
            self.runs.append((time.perf_counter(), self._pending))
            self._pending = 0

    def between(self, t0: float, t1: float) -> list[int]:
        return [n for t, n in self.runs if t0 < t <= t1]


def polls_logged(log: Path, t0: float, t1: float, demo: str | None = None) -> list[float]:
    """Server seconds of each poll the app logged (EXPLAINER_POLL_LOG) between wall times t0 and t1."""
    if not log.exists():
        return []
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    # a playground poll also trains (train_s, by design): its server time here is the rest, the drawing
    return [p["server_s"] - p.get("train_s", 0.0) for p in lines
            if t0 <= p["t"] <= t1 and (demo is None or p["demo"] == demo)]


def spread(values: list[float]) -> tuple[float, float] | tuple[None, None]:
    """(median, p95) of values, or (None, None)."""
    if not values:
        return None, None
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def poll_text(server: list[float], sent: list[int]) -> str:
    (s50, s95), (b50, b95) = spread(server), spread(sent)
    if s50 is None or b50 is None:
        return "polls: none logged"
    return (f"{len(server)} polls: server {1e3 * s50:.0f} ms median, {1e3 * s95:.0f} ms p95; sent "
            f"{b50 / 1e3:.1f} kB median, {b95 / 1e3:.1f} kB p95")


def watch(browser, base: str, path: str, button: str, viewers: int, log: Path) -> dict:
    """Open `viewers` tabs on one untrained config, press `button` in the first, and sample its progress."""
    pages, received = [], None
    for i in range(viewers):
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        if i == 0:
            received = RunBytes(page)
        page.goto(f"{base}/{path}", wait_until="commit")
        settle(page)
        pages.append(page)
    first = pages[0]
    clicked, wall_clicked = time.perf_counter(), time.time()
    first.get_by_role("button", name=button).click()
    samples = []  # (t since click, step, total, eta_s)
    while time.perf_counter() - clicked < 900:
        state = first.evaluate(READ_JS)
        now = time.perf_counter() - clicked
        m = PROGRESS.search(state["text"])
        if m:
            eta = ETA.search(state["text"])
            samples.append((now, int(m.group(1).replace(",", "")), int(m.group(2).replace(",", "")),
                            float(eta.group(1)) if eta else None))
        # a retrain's page says "Trained on this server" before and while it runs too: done is that, bar gone
        if state["done"] and samples and not state["text"]:
            break
        first.wait_for_timeout(100)
    end = time.perf_counter() - clicked
    server = polls_logged(log, wall_clicked, wall_clicked + end, "Training")
    # the first is the run the click caused, the last the full rerun that draws the finished run: neither a poll
    sent = received.between(clicked, clicked + end)[1:-1]
    for page in pages:
        page.context.close()
    moving = [s for s in samples if s[1] > 0]
    if not moving:
        return {"first_progress_s": None, "end_s": end}
    total = moving[-1][2]
    t0, s0 = moving[0][0], moving[0][1]
    rate = (total - s0) / max(end - t0, 1e-9)
    frames = [b - a for (a, sa, *_), (b, sb, *_) in zip(moving, moving[1:], strict=False) if sb != sa]
    fifth = next((s for s in moving if s[1] >= 0.2 * total and s[3] is not None), None)
    eta_err = abs(fifth[3] - (end - fifth[0])) / max(end - fifth[0], 1e-9) if fifth else None
    return {"first_progress_s": moving[0][0], "end_s": end, "steps_per_s": rate,
            "frame_gap_s": statistics.median(frames) if frames else None, "max_frame_gap_s": max(frames, default=None),
            "eta_error": eta_err, "polls": poll_text(server, sent)}


STEP_JS = """() => {
  const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
      .find(e => e.innerText.trim().startsWith('Step'));
  return m ? m.querySelector('[data-testid="stMetricValue"]').innerText : null;
}"""


def playground(browser, base: str, log: Path, seconds: float = 20) -> dict:
    """Press Play on the Deep learning playground: the time to the first step count above 0, its own speed and
    redraw rate read off the page, each poll's server time and bytes, and how soon Pause takes effect."""
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    received = RunBytes(page)
    page.goto(f"{base}/deep-learning?section=playground", wait_until="commit")
    settle(page)
    clicked, wall_clicked = time.perf_counter(), time.time()
    page.get_by_role("button", name="Play").click()
    first = None
    while first is None and time.perf_counter() - clicked < 30:
        step = page.evaluate(STEP_JS)
        if step and int(step.replace(",", "")) > 0:
            first = time.perf_counter() - clicked
        else:
            page.wait_for_timeout(50)
    rates = []
    while time.perf_counter() - clicked < seconds:
        m = RATE.search(page.inner_text("body"))
        if m:
            rates.append((float(m.group(1).replace(",", "")), float(m.group(2))))
        page.wait_for_timeout(500)
    played = time.perf_counter()
    server = polls_logged(log, wall_clicked, time.time(), "playground")
    sent = received.between(clicked, played)[1:]
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=30_000)
    paused = time.perf_counter() - played
    page.context.close()
    return {"first_progress_s": first, "steps_per_s": statistics.median(r for r, _ in rates) if rates else None,
            "redraws_per_s": statistics.median(d for _, d in rates) if rates else None, "pause_s": paused,
            "polls": poll_text(server, sent)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--demos", nargs="+", default=["lab"], choices=[*DEMOS, "playground"])
    ap.add_argument("--viewers", type=int, nargs="+", default=[1, 5])
    ap.add_argument("--seed", type=int, default=5555, help="first seed; each viewer count uses the next one")
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache, serve_app(env={
            "EXPLAINER_DEVICE": args.device, "EXPLAINER_CACHE_DIR": cache,
            "EXPLAINER_POLL_LOG": str(log := Path(cache) / "polls.jsonl")}) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        seed = args.seed
        for demo in args.demos:
            print(f"[load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}]")
            if demo == "playground":
                r = playground(browser, base, log)
                first = f"{r['first_progress_s']:.2f} s" if r["first_progress_s"] is not None else "never"
                print(f"playground: first step count {first} after the click; {r['steps_per_s'] or 0:.0f} steps/s "
                      f"while playing, redrawn {r['redraws_per_s'] or 0:.1f} times/s; {r['polls']}; Pause took "
                      f"effect after {r['pause_s']:.2f} s")
                continue
            preset, path, button = DEMOS[demo]
            cli = cli_steps_per_s(preset, seed + 100, args.device)
            print(f"{demo}: CLI, same config, one thread: {cli:.0f} steps/s")
            for n in args.viewers:
                seed += 1
                r = watch(browser, base, path.format(seed=seed), button, n, log)
                if r.get("steps_per_s") is None:
                    print(f"  {n} viewer(s): no progress seen in {r['end_s']:.0f} s")
                    continue
                eta = f"{100 * r['eta_error']:.0f}%" if r["eta_error"] is not None else "n/a"
                print(f"  {n} viewer(s): first progress {r['first_progress_s']:.2f} s after the click; "
                      f"{r['steps_per_s']:.0f} steps/s = {100 * r['steps_per_s'] / cli:.0f}% of the CLI; "
                      f"a new frame every {r['frame_gap_s'] or 0:.2f} s "
                      f"(longest gap {r['max_frame_gap_s'] or 0:.2f} s); "
                      f"ETA error at 20%: {eta}; {r['polls']}; done {r['end_s']:.1f} s after the click")
        browser.close()


if __name__ == "__main__":
    main()
