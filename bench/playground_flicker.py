"""Does the Deep learning playground's picture flicker while it plays? Rapid screenshots of its two charts.

    .venv/bin/python bench/playground_flicker.py [--shots 40] [--every-ms 100]

Serves the app, opens the playground in headless Chromium, presses Play and takes `--shots` screenshots of the
decision-boundary and loss charts, one every `--every-ms`. A chart is blank in a shot when (almost) all its pixels
are white (Streamlit mounted a new Plotly node that has not drawn yet, or left the slot empty). Also counts how
many times a chart's DOM node was replaced (a remount) during the shots, and times Pause (click → Play shown).
Figures only; no assertion.
"""
import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, serve_app, settle  # noqa: E402

# A chart is Streamlit's Plotly element or the site's live chart (explainer/ui/live_chart.py's node).
CHARTS = '[data-testid="stPlotlyChart"], .live-plot'
# Tags every chart node the first time it is seen; a remount shows up as an untagged node.
TAG_JS = """() => {
  const charts = [...document.querySelectorAll('CHARTS')];
  let fresh = 0;
  for (const c of charts) { if (!c.dataset.seen) { c.dataset.seen = '1'; fresh += 1; } }
  return {count: charts.length, fresh};
}""".replace("CHARTS", CHARTS)
BOXES_JS = """() => [...document.querySelectorAll('CHARTS')].slice(0, 2).map(c => {
  const r = c.getBoundingClientRect(); return [r.x, r.y, r.width, r.height];
})""".replace("CHARTS", CHARTS)


def blank(shot: Image.Image, box) -> bool:
    x, y, w, h = (int(v) for v in box)
    if w < 10 or h < 10:
        return True
    pixels = np.asarray(shot.crop((x, y, x + w, y + h)).convert("L"))
    return float((pixels < 235).mean()) < 0.01  # under 1% of the chart's pixels are not (near) white


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shots", type=int, default=40)
    ap.add_argument("--every-ms", type=int, default=100)
    ap.add_argument("--cycles", type=int, default=10, help="Play/Pause cycles after the shots")
    ap.add_argument("--save", help="a folder to save the shots with a blank chart in")
    args = ap.parse_args()
    with serve_app(env={"EXPLAINER_CACHE_DIR": "/tmp/explainer-flicker-cache"}) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(f"{base}/deep-learning?section=playground", wait_until="commit")
        settle(page)
        page.get_by_role("button", name="Play").click()
        page.wait_for_timeout(1500)  # past the first ticks
        chart = page.locator(CHARTS).first
        chart.scroll_into_view_if_needed()
        page.evaluate(TAG_JS)
        blank_shots, remounts, counts = 0, 0, []
        for _ in range(args.shots):
            t = time.perf_counter()
            boxes = page.evaluate(BOXES_JS)
            shot = Image.open(io.BytesIO(page.screenshot()))
            tags = page.evaluate(TAG_JS)
            remounts += tags["fresh"]
            counts.append(tags["count"])
            if len(boxes) < 2 or any(blank(shot, b) for b in boxes):
                blank_shots += 1
                if args.save:
                    shot.save(Path(args.save) / f"blank-{blank_shots}.png")
                    print("blank:", boxes)
            page.wait_for_timeout(max(0, args.every_ms - 1e3 * (time.perf_counter() - t)))
        pauses, lost = [], 0
        for i in range(args.cycles + 1):
            if i:  # play again for a second and a half, then pause
                page.get_by_role("button", name="Play").click()
                page.get_by_role("button", name="Pause").wait_for(timeout=10_000)
                page.wait_for_timeout(1500)
            clicked = time.perf_counter()
            page.get_by_role("button", name="Pause").click()
            try:  # a click that Streamlit dropped leaves the button at Pause
                page.get_by_role("button", name="Play").wait_for(timeout=5_000)
                pauses.append(time.perf_counter() - clicked)
            except Exception:  # noqa: BLE001 - playwright's TimeoutError: count it and click again
                lost += 1
                page.get_by_role("button", name="Pause").click()
                page.get_by_role("button", name="Play").wait_for(timeout=30_000)
        browser.close()
    pauses.sort()
    print(f"{blank_shots} of {args.shots} shots had a blank chart; {remounts} chart nodes remounted; "
          f"charts on the page: {min(counts)}..{max(counts)}; Pause took effect after {pauses[len(pauses) // 2]:.2f} s "
          f"median, {pauses[-1]:.2f} s at most, over {len(pauses)} pauses; {lost} Pause clicks lost")


if __name__ == "__main__":
    main()
