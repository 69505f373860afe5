"""Serve the app on a free local port and drive it in headless Debian Chromium (tests and bench/ share this).

Nothing here imports streamlit: the app runs in its own process, as it does for users.
"""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling Google on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# The script has finished its run and the websocket is up: the page is drawn.
SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
         && app.getAttribute('data-test-connection-state') === 'CONNECTED';
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(env: dict | None = None, timeout_s: float = 60):
    """Run `streamlit run app.py` headless on a free port; yield its base URL; stop it afterwards."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    log = open(os.devnull, "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start on port {port} (exit code {proc.poll()})")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


# True once the page's DOM has not changed for `ms` milliseconds (the first call starts the watch).
QUIET_JS = """(ms) => {
  if (window.__lastMutation === undefined) {
    window.__lastMutation = performance.now();
    new MutationObserver(() => { window.__lastMutation = performance.now(); })
      .observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    return false;
  }
  return performance.now() - window.__lastMutation > ms;
}"""


def settle(page, timeout_ms: int = 60_000, quiet_ms: int = 400, quiet_cap_ms: int = 5_000) -> None:
    """Wait until the page has drawn its title and its script run has finished (a first wait lets a rerun
    start; on a busy machine the state can read "notRunning" before the first run has begun), then until
    the DOM is quiet for `quiet_ms`: elements (charts, late exceptions) can still be drawing when the run
    has ended. A page that never goes quiet (a live fragment) is let through after `quiet_cap_ms`.
    """
    page.wait_for_timeout(200)
    page.wait_for_selector("h1", timeout=timeout_ms)
    page.wait_for_function(SETTLED_JS, timeout=timeout_ms, polling=100)
    if quiet_ms:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout  # test/bench-only dependency

        try:
            page.wait_for_function(QUIET_JS, arg=quiet_ms, timeout=quiet_cap_ms, polling=100)
        except PlaywrightTimeout:
            pass


EXCEPTION = '[data-testid="stException"]'


def visit(page, url):
    page.goto(url, wait_until="commit")
    settle(page)


def visit_section(page, app_url: str, path: str, query: str, title: str) -> None:
    """Open `path?query` (a page's section from its link) and check it drew cleanly under a title starting with
    `title`."""
    visit(page, f"{app_url}/{path}" + (f"?{query}" if query else ""))
    assert_clean(page)
    assert page.locator("h1").first.inner_text().startswith(title)


def assert_clean(page):
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()
    # Streamlit's "Page not found" and other errors come as dialogs.
    assert page.locator('[role="dialog"]').count() == 0, page.locator('[role="dialog"]').first.inner_text()


# A phone as the browser presents it to the app: the app lays a page out for a phone by its User-Agent ("Mobi").
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
                       "Gecko) Version/17.0 Mobile/15E148 Safari/604.1"}
# Where the page's figures are and what overlaps or is cut off (tests and bench/layout.py): `first`, the first
# figure's top (px from the top of the page, which scrolls inside Streamlit's main pane); `screens`, the section's
# height (from its picker to the References divider) in screens; `biggest`, the largest figure (WxH@top);
# `problems`: figures overlapping, a legend or colour bar on a plot, a title past its figure's edge, sideways
# scrolling, an exception.
LAYOUT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');  // the scrolling pane, not the window
  const top0 = main.getBoundingClientRect().top - main.scrollTop;
  const figs = [...document.querySelectorAll(
    '[data-testid="stPlotlyChart"], .live-plot, [data-testid="stImage"], [data-testid="stBidiComponentIsolated"],'
    + ' [data-testid="stCustomComponentV1"], [data-testid="stGraphVizChart"]')]
    .filter(e => !e.parentElement.closest('[data-testid="stPlotlyChart"], .live-plot'))
    .map(e => { const r = e.getBoundingClientRect();
                return {x: r.left, y: r.top - top0, w: r.width, h: r.height, el: e}; })
    .filter(f => f.w > 20 && f.h > 20);
  const hr = [...main.querySelectorAll('hr')].pop();
  const end = hr ? hr.getBoundingClientRect().top - top0 : main.scrollHeight;
  const problems = [];
  const hit = (a, b) => a.left < b.right - 2 && b.left < a.right - 2 && a.top < b.bottom - 2 && b.top < a.bottom - 2;
  figs.forEach((a, i) => figs.slice(i + 1).forEach(b => {
    if (a.x < b.x + b.w - 2 && b.x < a.x + a.w - 2 && a.y < b.y + b.h - 2 && b.y < a.y + a.h - 2)
      problems.push(`overlap: figures ${i} and ${figs.indexOf(b)}`);
  }));
  figs.forEach((f, i) => {
    const svg = f.el.querySelector('svg.main-svg'); if (!svg) return;
    const box = svg.getBoundingClientRect();
    const area = f.el.querySelector('.nsewdrag'), legend = f.el.querySelector('.legend'),
          bar = f.el.querySelector('.colorbar');
    const rect = e => e && e.getBoundingClientRect();
    if (legend && area && hit(rect(legend), rect(area))) problems.push(`overlap: figure ${i} legend on its plot`);
    if (bar && area && hit(rect(bar), rect(area))) problems.push(`overlap: figure ${i} colour bar on its plot`);
    if (bar && legend && hit(rect(bar), rect(legend))) problems.push(`overlap: figure ${i} colour bar on legend`);
    f.el.querySelectorAll('.gtitle, .g-xtitle text, .g-ytitle text, .legendtext').forEach(t => {
      const r = t.getBoundingClientRect();
      // a text box reaches a few px above its glyphs
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 8))
        problems.push(`clipped: figure ${i} "${t.textContent.slice(0, 40)}"`);
    });
  });
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    problems.push(`overflow: page ${document.documentElement.scrollWidth}px wide`);
  const control = document.querySelector('[data-testid="stButtonGroup"]');
  const start = control ? control.getBoundingClientRect().top - top0 : 0;
  const big = figs.reduce((a, f) => (!a || f.w * f.h > a.w * a.h ? f : a), null);
  problems.push(...[...document.querySelectorAll('[data-testid="stException"]')].map(e => 'EXCEPTION'));
  return {first: figs.length ? Math.round(Math.min(...figs.map(f => f.y))) : null,
          screens: +((end - start) / window.innerHeight).toFixed(2), figures: figs.length,
          biggest: big ? `${Math.round(big.w)}x${Math.round(big.h)}@${Math.round(big.y)}` : null, problems};
}"""

CANVAS = '[data-testid="stBidiComponentIsolated"]'  # streamlit-drawable-canvas, drawn in the page (no iframe)


def draw_strokes(page, strokes, canvas: int = 0, hover_ms: int = 400) -> None:
    """Drag the mouse along each stroke (points as fractions of the canvas's width and height) on the page's
    `canvas`-th drawable canvas, as a learner draws; then give the component time to send the drawing.

    `hover_ms`: how long the pointer rests on the canvas before the first press. streamlit-drawable-canvas 0.13
    keeps its (invisible) toolbar over the canvas's top ~30 px, right of ~50 px, until the pointer has hovered
    for about 0.2 s; a press there sooner lands on the toolbar and the stroke is lost."""
    surface = page.locator(CANVAS).nth(canvas).locator("canvas.upper-canvas")
    surface.wait_for(timeout=30_000)
    surface.scroll_into_view_if_needed()
    box = surface.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(hover_ms)
    for stroke in strokes:
        page.mouse.move(box["x"] + stroke[0][0] * box["width"], box["y"] + stroke[0][1] * box["height"])
        page.mouse.down()
        for fx, fy in stroke[1:]:
            page.mouse.move(box["x"] + fx * box["width"], box["y"] + fy * box["height"], steps=12)
        page.mouse.up()
    page.wait_for_timeout(500)
