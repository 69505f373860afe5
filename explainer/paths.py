"""Where things live on disk: the run cache and the presets shipped with the package."""
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PRESETS_DIR = PACKAGE_DIR / "presets"  # small trained runs shipped in the repository
THUMBNAILS_DIR = PACKAGE_DIR / "ui" / "static" / "thumbnails"  # the home map's pictures of them (ship-presets)


def cache_dir() -> Path:
    """The run cache: env EXPLAINER_CACHE_DIR, else ~/.cache/explainer. Created on first use."""
    path = Path(os.environ.get("EXPLAINER_CACHE_DIR") or Path.home() / ".cache" / "explainer").expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path
