"""Does every section fit the screen it is shown on? Measure each page's sections on a phone (390x844) and in
presenter mode at 1920x1080, and save a screenshot of each.

    .venv/bin/python bench/layout.py [--out /tmp/layout] [--only gans] [--screens phone,presenter]

Per section it prints: where the first figure starts (px from the top of the page), how many screens the section
runs (its top to the page's References divider, or the page's end), the largest figure (its size, and whether it
is the largest element on the first screen), and what overlaps or is cut off:
  - `overflow`: the page is wider than the screen (sideways scrolling);
  - `overlap`: two figures' boxes intersect, or in one Plotly figure the legend or colour bar covers the plot area
    or each other;
  - `clipped`: a Plotly title or axis title runs past its figure's edge.
Screenshots: OUT/<page>-<section>-<screen>.png (full page) and ...-first.png (the first screen only).
"""
import argparse
import importlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, LAYOUT_JS, PHONE, serve_app, settle  # noqa: E402

# a phone also opens a speaker's link (presenter mode on); the app knows a phone by its User-Agent (PHONE)
SCREENS = {"phone": (PHONE["viewport"], ""), "phone-presenter": (PHONE["viewport"], "present=1"),
           "presenter": ({"width": 1920, "height": 1080}, "present=1")}
FIRST_SCREEN_PX = 250  # a phone's first screen shows at least this much of the first figure
# page path -> its sections (None: a page without a section control)
PAGES = {"": None, "deep-learning": "deep_learning", "interpretability": "interpretability", "driving": "driving",
         "gans": "gan", "mode-collapse": None}




def sections(module: str | None) -> list[str | None]:
    if module is None:
        return [None]
    return list(importlib.import_module(f"explainer.ui.{module}.params").SECTIONS)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/layout")
    ap.add_argument("--only", default="", help="one page path, e.g. gans (home is 'home')")
    ap.add_argument("--section", default="")
    ap.add_argument("--screens", default="phone,presenter")
    ap.add_argument("--base", default="", help="a running server's URL (default: start one)")
    ap.add_argument("--talk", action="store_true", help="walk every slide of every built-in deck instead (/talk)")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = {p: m for p, m in PAGES.items() if not a.only or (p or "home") == a.only}
    results = []
    with (serve_app() if not a.base else _given(a.base)) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for screen in a.screens.split(","):
            viewport, query = SCREENS[screen]
            context = browser.new_context(**(PHONE if screen.startswith("phone") else {"viewport": viewport}))
            page = context.new_page()
            for path, section, params in (_slides() if a.talk else _sections(pages)):
                if True:
                    if a.section and section != a.section:
                        continue
                    params = "&".join(q for q in (query, params) if q)
                    page.goto(f"{base}/{path}" + (f"?{params}" if params else ""), wait_until="commit")
                    settle(page, quiet_cap_ms=8_000)
                    page.wait_for_timeout(800)
                    found = page.evaluate(LAYOUT_JS)
                    name = f"{path or 'home'}-{section or 'page'}-{screen}"
                    page.screenshot(path=out / f"{name}-first.png")
                    # the page scrolls inside Streamlit's main pane: a window as tall as the pane shows it all
                    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
                    page.set_viewport_size({"width": viewport["width"], "height": min(tall, 16_000)})
                    page.wait_for_timeout(800)
                    page.screenshot(path=out / f"{name}.png")
                    page.set_viewport_size(viewport)
                    results.append({"name": name, **found})
                    fits = _verdict(found, viewport["height"], screen.startswith("phone"))
                    print(f"{name:42s} first fig {found['first']!s:>5} px  {found['screens']:5.2f} screens  "
                          f"biggest {found['biggest']}  {fits}  {'; '.join(found['problems']) or 'ok'}", flush=True)
            context.close()
        browser.close()
    (out / "layout.json").write_text(json.dumps(results, indent=1))
    return 0


def _sections(pages: dict):
    """(page path, section, its query) of every section of `pages`."""
    for path, module in pages.items():
        for section in sections(module):
            yield path, section, f"section={section}" if section else ""


def _slides():
    """("talk", "DECK-N", its query) of every slide of every built-in deck."""
    from explainer.site import PAGES
    from explainer.talks import decks

    for name, (deck, _) in decks.built_in({p.url_path for p in PAGES if p.demo}).items():
        for n in range(1, len(deck.slides) + 1):
            yield "talk", f"{name}-{n}", f"deck={name}&slide={n}"


def _verdict(found: dict, height: int, phone: bool) -> str:
    """A phone: does the first figure start on the first screen, with room to see it (FIRST_SCREEN_PX)? A slide:
    does the largest figure end on the first screen?"""
    if found["first"] is None:
        return "no figure"
    if phone:
        if found["first"] <= height - FIRST_SCREEN_PX:
            return "on the first screen"
        return f"ONLY {height - found['first']} px ON THE FIRST SCREEN" if found["first"] < height else "BELOW IT"
    size, top = found["biggest"].split("@")
    bottom = int(top) + int(size.split("x")[1])
    return "fits" if bottom <= height else f"RUNS {bottom - height} px PAST THE SCREEN"


class _given:
    def __init__(self, base):
        self.base = base

    def __enter__(self):
        return self.base.rstrip("/")

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    raise SystemExit(main())
