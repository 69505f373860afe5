"""The README's map and its "Adding a topic" recipe name files that exist (a recipe that points nowhere is worse
than none); the example topic it walks through, language_models, is the one name allowed not to exist yet."""
import re

from tests.support.apptest import ROOT


def test_every_file_the_readme_names_exists():
    text = (ROOT / "README.md").read_text()
    named = set(re.findall(r"(?<![\w/<])((?:explainer|tests|bench|site_pages|deploy)/[\w/]+\.(?:py|js|md))", text))
    assert len(named) > 10  # the pattern found the map
    missing = sorted(p for p in named if "language_models" not in p and not (ROOT / p).exists())
    assert missing == []


def test_every_dotted_name_the_readme_uses_resolves():
    """`explainer.runs.config.RunConfig`, `explainer.ui.jobs.show`, ...: each is a module, or a name in one."""
    import importlib

    text = (ROOT / "README.md").read_text()
    names = set(re.findall(r"`(explainer(?:\.\w+)+)", text))
    assert "explainer.ui.jobs.show" in names  # the pattern found the recipe's names
    unresolved = []
    for name in sorted(names):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
                break
            except ImportError:
                continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr, None)
        if obj is None:
            unresolved.append(name)
    assert unresolved == []
