"""Train a set of named runs through the registry (`warm`), and ship them with the repository (`ship-presets`:
explainer/presets/, store format) so a fresh install is instant.

    python -m explainer warm [NAMES...]            # into the run cache
    python -m explainer ship-presets [NAMES...]    # into explainer/presets/

The CLI passes every topic's shipped runs (explainer.site.shipped_runs); this module knows no topic. Each run is
taken from the cache (or trained, a few at a time, through the job registry); shipping writes it compressed (and
with float16 snapshot pictures: RunStore's `compact`) into PRESETS_DIR, where RunStore looks when the cache misses.
Entries for configs that are no longer shipped are removed, so the directory always matches the shipped runs.
"""
import sys
import time
from pathlib import Path

from explainer.paths import PRESETS_DIR
from explainer.runs.follow import follow
from explainer.runs.store import RunStore


def shipped_size(dest: Path = PRESETS_DIR) -> int:
    return sum(p.stat().st_size for p in dest.rglob("*") if p.is_file()) if dest.exists() else 0


def train_all(runs: dict, names: list[str] | None = None, registry=None):
    """Start (or find) every named run at once, then yield (name, job, final JobView) as each is followed to its
    end, in name order. Unknown names raise ValueError before anything starts."""
    from explainer.runs.jobs import get_registry

    names = names or sorted(runs)
    unknown = sorted(set(names) - set(runs))
    if unknown:
        raise ValueError(f"unknown run(s): {', '.join(unknown)}; choose from {', '.join(sorted(runs))}")
    registry = registry or get_registry()
    jobs = {name: registry.get_or_start(runs[name]) for name in names}  # the registry runs a few at once
    for name, job in jobs.items():
        yield name, job, follow(job, quiet=True)


def ship_presets(runs: dict, names: list[str] | None = None, dest: Path = PRESETS_DIR, registry=None,
                 out=None) -> None:
    out = out or sys.stdout  # looked up per call, so redirected stdout (tests, capture) is used
    shipped = RunStore(dest, readonly=[])
    t0 = time.monotonic()
    for name, job, v in train_all(runs, names, registry):
        if job.result is None:
            print(f"{name:>14}: not shipped ({v.state}{': ' + v.error if v.error else ''})", file=out, flush=True)
            continue
        entry = shipped.save(job.result, compress=True, compact=True)
        size = sum(p.stat().st_size for p in entry.iterdir())
        print(f"{name:>14}: {v.state:<8} {job.key[:12]}  {size / 1e6:5.2f} MB  (from {v.source})", file=out, flush=True)
    # keep the directory equal to the current shipped runs: old configs (or old schema keys) go
    keep = {c.key() for c in runs.values()}
    for key in shipped.keys():
        if key not in keep:
            shipped.delete(key)
            print(f"removed stale shipped entry {key[:12]}", file=out)
    print(f"shipped {len(shipped.keys())} presets in {dest}: {shipped_size(dest) / 1e6:.2f} MB total "
          f"({time.monotonic() - t0:.0f} s)", file=out)
