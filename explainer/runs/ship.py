"""Ship trained presets with the repository (explainer/presets/, store format) so a fresh install is instant.

    python -m explainer ship-presets [NAMES...]

Each preset is taken from the cache (or trained, through the job registry), then written compressed (and
with float16 snapshot pictures: RunStore's `compact`) into
PRESETS_DIR, where RunStore looks when the cache misses. Entries for configs that are no longer shipped are
removed, so the directory always matches explainer.site.shipped_runs() (every topic's presets).
"""
import sys
import time
from pathlib import Path

from explainer.paths import PRESETS_DIR
from explainer.runs.follow import follow
from explainer.runs.store import RunStore


def shipped_size(dest: Path = PRESETS_DIR) -> int:
    return sum(p.stat().st_size for p in dest.rglob("*") if p.is_file()) if dest.exists() else 0


def ship_presets(names: list[str] | None = None, dest: Path = PRESETS_DIR, registry=None, out=None) -> None:
    from explainer.runs.jobs import get_registry
    from explainer.site import shipped_runs

    out = out or sys.stdout  # looked up per call, so redirected stdout (tests, capture) is used
    PRESETS = shipped_runs()

    names = names or sorted(PRESETS)
    unknown = sorted(set(names) - set(PRESETS))
    if unknown:
        raise ValueError(f"unknown preset(s): {', '.join(unknown)}; choose from {', '.join(sorted(PRESETS))}")
    registry = registry or get_registry()
    shipped = RunStore(dest, readonly=[])
    t0 = time.monotonic()
    jobs = {name: registry.get_or_start(PRESETS[name]) for name in names}  # a few train at once
    for name, job in jobs.items():
        v = follow(job, out=out, quiet=True)
        if job.result is None:
            print(f"{name:>14}: not shipped ({v.state}{': ' + v.error if v.error else ''})", file=out, flush=True)
            continue
        entry = shipped.save(job.result, compress=True, compact=True)
        size = sum(p.stat().st_size for p in entry.iterdir())
        print(f"{name:>14}: {v.state:<8} {job.key[:12]}  {size / 1e6:5.2f} MB  (from {v.source})", file=out, flush=True)
    # keep the directory equal to the current presets: old configs (or old schema keys) go
    keep = {c.key() for c in PRESETS.values()}
    for key in shipped.keys():
        if key not in keep:
            shipped.delete(key)
            print(f"removed stale shipped entry {key[:12]}", file=out)
    print(f"shipped {len(shipped.keys())} presets in {dest}: {shipped_size(dest) / 1e6:.2f} MB total "
          f"({time.monotonic() - t0:.0f} s)", file=out)
