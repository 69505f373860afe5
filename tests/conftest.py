"""Shared fixtures: an isolated run cache for the whole test session, a fresh registry per test."""
import pytest

from tests.support.apptest import ROOT


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


def pytest_addoption(parser):
    parser.addoption("--screenshots", default=str(ROOT / "tests" / ".artifacts" / "screens"),
                     help="folder for the browser tests' page screenshots")
