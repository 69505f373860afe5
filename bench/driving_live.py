"""How soon the driving page's live actions show progress in the served app, and when their result is drawn: a
headless Chromium clicks Train (live BC vs DAgger, live data engine) or types a new episode seed (the episode
recorder starts on its own), then reads the progress bar's "step N / M" every 20 ms.

    .venv/bin/python bench/driving_live.py [--seeds 7 8]

A fresh run cache and a fresh server, so every run trains, and the first run of each kind may include loading
highway-env (the live sections start that import in the background when they offer a live run; a new episode
seed starts recording at once, so the first one after server start waits for it and for pygame's first render).
The live panel polls its job every 0.5 s (explainer.ui.jobs.POLL_S), which is part of these figures.
Figures only; no assertion.
"""
import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, SETTLED_JS, serve_app  # noqa: E402

STEP_JS = """() => { const p = document.querySelector('[data-testid="stProgress"]'); if (!p) return 0;
  const m = p.innerText.match(/step ([0-9,]+) \\/ ([0-9,]+)/); return m ? parseInt(m[1].replace(/,/g, '')) : 0; }"""
STEPPED_JS = f"() => ({STEP_JS})() > 0"


def finished_js(text: str) -> str:
    bar = "document.querySelector('[data-testid=\"stProgress\"]')"
    return f"() => !{bar} && document.body.innerText.includes({text!r})"


def timed(page, act, done_text: str) -> tuple[float, int, float]:
    """(seconds to a step count above 0 on the page, that step, seconds to the drawn result) after act()."""
    start = time.perf_counter()
    act()
    page.wait_for_function(STEPPED_JS, timeout=60_000, polling=20)
    first, step = time.perf_counter() - start, page.evaluate(f"({STEP_JS})()")
    page.wait_for_function(finished_js(done_text), timeout=180_000, polling=50)
    return first, step, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 8])
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache, serve_app(env={"EXPLAINER_CACHE_DIR": cache}) as base, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for seed in a.seeds:
            for name, query, done_text in (
                    ("live BC vs DAgger", f"section=imitation&dagger=live&dseed={seed}", "Seed by seed, DAgger"),
                    ("live data engine", f"section=data-engine&engine=live&gseed={seed}", "Measured in this run")):
                page.goto(f"{base}/driving?{query}", wait_until="commit")
                page.wait_for_timeout(300)
                page.wait_for_function(SETTLED_JS, timeout=120_000, polling=50)
                button = page.get_by_role("button", name=re.compile("Train$")).first
                first, step, done = timed(page, button.click, done_text)
                print(f"{name:18} seed {seed}: step {step} on the page {first:.2f} s after Train; result {done:.1f} s")
            page.goto(f"{base}/driving?section=stack&scenario=racetrack", wait_until="commit")
            page.wait_for_timeout(300)
            page.wait_for_function(SETTLED_JS, timeout=120_000, polling=50)
            box = page.locator('[data-testid="stNumberInput"] input').first
            box.fill(str(seed))
            first, step, done = timed(page, lambda box=box: box.press("Enter"), "was simulated once")
            print(f"{'racetrack episode':18} seed {seed}: step {step} on the page {first:.2f} s after the seed; "
                  f"replay {done:.1f} s")
        browser.close()


if __name__ == "__main__":
    main()
