"""The architecture as tests: the engine never imports Streamlit, the package imports without cycles (late imports
included), runs/ builds on nothing above it, modules stay small, and no code seeds a global generator."""
import ast
import subprocess
import sys

from tests.support.apptest import ROOT

PACKAGE = ROOT / "explainer"


def _imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_no_module_outside_explainer_ui_imports_streamlit():
    engine = [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts]
    assert len(engine) > 20  # the walk found the engine
    def uses_streamlit(path) -> bool:
        return any(name == "streamlit" or name.startswith(("streamlit.", "streamlit_")) for name in _imports(path))

    offenders = sorted(str(p.relative_to(ROOT)) for p in engine if uses_streamlit(p))
    assert offenders == []


def test_the_engine_imports_without_streamlit_loaded():
    """Importing every engine module in a fresh interpreter leaves `streamlit` out of sys.modules."""
    modules = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                     for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts
                     and p.name != "__main__.py")
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules) + \
           "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_no_engine_module_imports_the_cli():
    engine = [p for p in PACKAGE.rglob("*.py") if p.name not in ("cli.py", "__main__.py")]
    assert not [p for p in engine if "explainer.cli" in set(_imports(p))]


def _module_name(path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _import_graph() -> dict[str, set[str]]:
    """explainer module -> the explainer modules it imports, at the top or inside a function (a late import is
    still a dependency: it only moves the failure to run time)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("explainer") \
                    and node.level == 0:
                targets |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                            for a in node.names}
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("explainer")}
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def test_no_import_cycle_between_modules_late_imports_included():
    graph, state = _import_graph(), {}
    assert len(graph) > 50  # the walk found the package

    def visit(node, trail):
        state[node] = "open"
        for nxt in graph[node]:
            assert state.get(nxt) != "open", " -> ".join([*trail, node, nxt])
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [])


# what explainer.runs may build on: itself and the plain utilities beside it, never a topic, the site or the UI
RUNS_MAY_IMPORT = ("explainer.runs", "explainer.checks", "explainer.device", "explainer.paths", "explainer.seeding",
                   "explainer.threads")


def test_the_runs_package_imports_nothing_above_it():
    graph = _import_graph()
    above = {f"{m} -> {t}" for m, targets in graph.items() if m.startswith("explainer.runs")
             for t in targets if not t.startswith(RUNS_MAY_IMPORT)}
    assert above == set()


def test_no_module_is_over_400_lines():
    files = [*PACKAGE.rglob("*.py"), *(ROOT / "site_pages").glob("*.py"), ROOT / "app.py"]
    long = {str(p.relative_to(ROOT)): n for p in files if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}


def test_no_global_seeding_in_the_engine():
    """Every draw comes from a private generator (explainer.seeding): torch's global one is shared by every
    viewer's job in a server process."""
    import re

    pattern = re.compile(r"torch\.manual_seed|fork_rng|torch\.seed\(\)|np\.random\.seed|torch\.random\.")
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in PACKAGE.rglob("*.py")
                 for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []
