"""Figures for the "Autonomous driving" page: how fast an episode records, how long the live BC-vs-DAgger and
data-engine runs take and how soon they show progress, each through the job registry as the page runs them.

    .venv/bin/python bench/driving.py [--seed 901]

The seed is one the page does not ship, so every run is fresh (a temporary run cache). First render of the page
from the shipped cache is measured by bench/page_load.py (`.venv/bin/python bench/page_load.py driving`), how soon
the served page shows a live run's progress by bench/driving_live.py.
Figures only; no assertion.
"""
import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def through_registry(config) -> tuple[float, float, object]:
    """(seconds to the first progress report, seconds to the finished run, the run) for a fresh job."""
    from explainer.runs.jobs import JobRegistry
    from explainer.runs.store import RunStore

    registry = JobRegistry(store=RunStore(Path(tempfile.mkdtemp()), readonly=[]))
    t0 = time.perf_counter()
    job = registry.get_or_start(config)
    first = None
    while not job.view().finished:
        if first is None and job.view().step > 0:
            first = time.perf_counter() - t0
        time.sleep(0.02)
    total = time.perf_counter() - t0
    registry.shutdown(timeout=10)
    return first if first is not None else total, total, job.result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=901)
    a = ap.parse_args()
    os.environ.setdefault("EXPLAINER_CACHE_DIR", tempfile.mkdtemp())
    from explainer.driving.episode import EpisodeConfig
    from explainer.driving.presets import LIVE_DAGGER, LIVE_DATA_ENGINE

    for scenario in ("highway", "racetrack"):
        config = EpisodeConfig(scenario, a.seed, 50)
        first, total, run = through_registry(config)
        size = sum(run.snapshots[0].arrays["frame_sizes"])
        print(f"episode {scenario:9}: {len(run.history)} steps recorded in {total:.2f} s "
              f"({len(run.history) / total:.0f} steps/s with rendering, grid and table); first progress "
              f"{first:.2f} s; frames {size / 1e3:.0f} kB PNG")
    for name, config in (("live DAgger", replace(LIVE_DAGGER, seed=a.seed)),
                         ("live data engine", replace(LIVE_DATA_ENGINE, seed=a.seed))):
        first, total, run = through_registry(config)
        rounds = len(run.history)
        print(f"{name:16}: {total:.1f} s in all ({rounds} rounds incl. round 0: {total / rounds:.1f} s a round); "
              f"first progress {first:.2f} s")
        print("   ", run.history.round(3).to_dict("list"))


if __name__ == "__main__":
    main()
