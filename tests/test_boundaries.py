"""The architecture as tests: the engine never imports Streamlit, and the package imports without cycles."""
import ast
import subprocess
import sys

from tests.conftest import ROOT

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


def test_no_import_cycle_between_modules():
    """Module-level imports of explainer's modules form no cycle (imports inside functions are late on purpose)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        targets = set()
        for node in tree.body:  # top level only
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("explainer"):
                targets |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                            for a in node.names}
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("explainer")}
        graph[name] = {t for t in targets if t in modules and t != name}
    state = {}

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
