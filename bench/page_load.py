"""Time each page's render in headless Chromium: the first visit after the server starts, a fresh browser
context (no cached plotly.js), a reload in a warm context (the whole Streamlit frontend loads again), and an
in-app switch (a click on the page's link in the sidebar while another page is open, as a speaker moves on).

    .venv/bin/python bench/page_load.py [--repeat 3] [PATH ...]

"Rendered" means the script run finished, the websocket is connected (the same check the browser tests use) and
every Plotly chart of the page (live charts too) has drawn its SVG (the first visit does not wait for charts: it
counts them).
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from explainer.site import PAGES, url_of  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, SETTLED_JS, serve_app, settle  # noqa: E402

# Streamlit loads its Plotly component lazily, so right after the script run a page may hold no chart element
# yet: wait for as many drawn charts as the page has once it has had time to draw everything (`expected`).
CHARTS_DRAWN_JS = """(expected) => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"], .live-plot')];
  return charts.length >= expected && charts.every(chart => chart.querySelector('svg.main-svg'));
}"""


SWITCHED_JS = """(old) => {
  const h = document.querySelector('h1');
  return !!h && h.textContent !== old;
}"""


def charts(page) -> int:
    return page.evaluate("document.querySelectorAll('[data-testid=\"stPlotlyChart\"], .live-plot').length")


def timed_switch(page, path: str, expected: int) -> float:
    """Click the sidebar link to `path` on the page that is open; until the new page and its charts are drawn."""
    old = page.inner_text("h1")
    start = time.perf_counter()
    page.click(f'[data-testid="stSidebarNav"] a[href$="/{path}"]')
    page.wait_for_function(SWITCHED_JS, arg=old, timeout=60_000, polling=20)
    page.wait_for_function(SETTLED_JS, timeout=60_000, polling=20)
    page.wait_for_function(CHARTS_DRAWN_JS, arg=expected, timeout=60_000, polling=20)
    return time.perf_counter() - start


def timed_visit(page, url, expected: int) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    settle(page, quiet_ms=0)  # the chart wait below is the end; no quiet period in the figure
    page.wait_for_function(CHARTS_DRAWN_JS, arg=expected, timeout=60_000, polling=20)
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
        print(f"{'page':<22}{'first visit':>13}{'fresh context':>15}{'warm reload':>13}{'in-app switch':>15}"
              f"{'charts':>8}   (seconds, median)")
        rows, expected = {}, {}
        for path in paths:
            url = f"{base}/{path}"
            first_page = browser.new_page()
            first = timed_visit(first_page, url, 0)
            first_page.wait_for_timeout(5000)
            expected[path] = charts(first_page)  # every chart the page draws, given time
            fresh, warm = [], []
            for _ in range(args.repeat):
                page = browser.new_context().new_page()
                fresh.append(timed_visit(page, url, expected[path]))
                warm.append(timed_visit(page, url, expected[path]))
                page.context.close()
            rows[path] = (first, statistics.median(fresh), statistics.median(warm))
        # in-app switches: one tab goes round the pages by their sidebar links, as a speaker does in a talk
        switch = {path: [] for path in paths if path and "?" not in path}  # a sidebar link has no query
        page = browser.new_context().new_page()
        timed_visit(page, f"{base}/", 0)
        for _ in range(args.repeat + 1):
            for path in switch:
                if page.url.split("?")[0].rstrip("/").endswith("/" + path):  # leave it first (home if it is alone)
                    timed_switch(page, next((p for p in switch if p != path), ""), 0)
                switch[path].append(timed_switch(page, path, expected[path]))
        for path, (first, fresh, warm) in rows.items():
            times = switch.get(path, [])[1:]  # the first round also loads the frontend's Plotly component
            in_app = f"{statistics.median(times):>15.2f}" if times else f"{'-':>15}"
            print(f"/{path:<21}{first:>13.2f}{fresh:>15.2f}{warm:>13.2f}{in_app}{expected[path]:>8}")
        browser.close()


if __name__ == "__main__":
    main()
