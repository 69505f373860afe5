"""Running pages under Streamlit's AppTest, and reading what a visitor would see on them."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_page(script: str, query: dict | None = None, timeout: float = 60):
    """Run the whole app (app.py: navigation, sidebar) on one page under AppTest and return it.

    AppTest drops the elements the shell draws before `navigation.run()` (the sidebar) after a
    `switch_page`, so the default page is run without one; that is where the shell gets checked.
    """
    from streamlit.testing.v1 import AppTest

    from explainer.site import PAGES

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if not any(p.default and p.script == script for p in PAGES):
        # st.Page names a page by its url_path, not its file name: AppTest can only map the file to it once a
        # first run has registered the navigation
        at.run()
        at.switch_page(script)
    for key, value in (query or {}).items():  # after the first run: home would drop another page's keys
        at.query_params[key] = value
    return at.run()


def run_clean(script: str, query: dict | None = None):
    """run_page, failing the test (with the messages) if the page raised anything."""
    at = run_page(script, query)
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_specs(at) -> list[str]:
    """The Plotly figure JSON of every chart on the page: `st.plotly_chart`'s, then the live charts' (a custom
    component, explainer/ui/live_chart.py, that AppTest lists as a bidi component)."""
    import json

    return ([c.proto.spec for c in at.get("plotly_chart")]
            + [json.loads(c.proto.json)["figure"] for c in at.get("bidi_component")])


TEXT_ELEMENTS = ("markdown", "caption", "text", "code", "info", "warning", "error", "success", "title", "header",
                 "subheader")


def shown_text(at) -> str:
    """Everything a visitor can read on the page, sidebar and folded expanders included."""
    return "\n".join(str(e.value) for kind in TEXT_ELEMENTS for e in at.get(kind))


def assert_no_cache_path(at):
    from explainer.paths import cache_dir

    # The test session points EXPLAINER_CACHE_DIR at a temporary folder: that path is the server's, not the visitor's.
    text = shown_text(at)
    for path in {os.environ["EXPLAINER_CACHE_DIR"], str(cache_dir())}:
        assert path not in text
