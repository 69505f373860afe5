"""Shared fixtures: an isolated run cache for the whole test session, and a page runner for AppTest."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """Tests never read or write the user's ~/.cache/explainer."""
    path = tmp_path_factory.mktemp("explainer-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("EXPLAINER_CACHE_DIR", str(path))
    yield path
    mp.undo()


@pytest.fixture(autouse=True)
def fresh_registry(tmp_path, monkeypatch):
    """Every test gets its own job registry and its own run cache (the shipped presets stay readable), so no
    test sees another's jobs or runs and none needs a seed of its own to stay out of the way."""
    from explainer.runs import jobs

    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "run-cache"))
    registry = jobs.JobRegistry()
    monkeypatch.setattr(jobs, "_registry", registry)
    yield registry
    registry.shutdown(timeout=30)


@pytest.fixture
def torch_one_thread():
    """One intra-op thread for tests of tiny models: a busy 2-core machine makes two threads crawl."""
    from explainer.threads import one_thread

    with one_thread():
        yield


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


def chart_specs(at) -> list[str]:
    """The Plotly figure JSON of every chart on the page: `st.plotly_chart`'s, then the live charts' (a custom
    component, explainer/ui/live_chart.py, that AppTest lists as a bidi component)."""
    import json

    return ([c.proto.spec for c in at.get("plotly_chart")]
            + [json.loads(c.proto.json)["figure"] for c in at.get("bidi_component")])


def pytest_addoption(parser):
    parser.addoption("--screenshots", default=str(ROOT / "tests" / ".artifacts" / "screens"),
                     help="folder for the browser tests' page screenshots")
