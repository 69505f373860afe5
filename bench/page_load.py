"""Time each page's render in headless Chromium: the first visit after the server starts, a fresh browser
context (no cached plotly.js), and a reload in a warm context.

    .venv/bin/python bench/page_load.py [--repeat 3] [PATH ...]

"Rendered" means the script run finished, the websocket is connected (the same check the browser tests use) and
every Plotly chart on the page has drawn its SVG.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from explainer.browser import CHROMIUM, CHROMIUM_ARGS, serve_app, settle  # noqa: E402
from explainer.site import PAGES, url_of  # noqa: E402

CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .every(chart => chart.querySelector('svg.main-svg'))"""


def timed_visit(page, url) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    settle(page)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=60_000, polling=50)
    return time.perf_counter() - start - 0.2  # settle() waits 0.2 s before polling


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", help="page paths (default: every registered page)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    paths = args.paths or [url_of(p) for p in PAGES]
    with tempfile.TemporaryDirectory() as cache, serve_app(env={"EXPLAINER_CACHE_DIR": cache}) as base, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"{'page':<22}{'first visit':>13}{'fresh context':>15}{'warm reload':>13}   (seconds, median)")
        for path in paths:
            url = f"{base}/{path}"
            first = timed_visit(browser.new_page(), url)
            fresh, warm = [], []
            for _ in range(args.repeat):
                page = browser.new_context().new_page()
                fresh.append(timed_visit(page, url))
                warm.append(timed_visit(page, url))
                page.context.close()
            print(f"/{path:<21}{first:>13.2f}{statistics.median(fresh):>15.2f}{statistics.median(warm):>13.2f}")
        browser.close()


if __name__ == "__main__":
    main()
