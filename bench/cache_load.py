"""How long loading a cached run takes (target: <= 50 ms for a preset-sized run).

    python bench/cache_load.py [--preset vanilla] [--repeats 20]

Puts the preset into the cache first if it is not there (from the shipped copy, else by training; not timed),
then times RunStore.load (read every file, verify its sha256, decode npz/safetensors into a TrainResult) from
the cache, and from the shipped presets (compressed, float16 pictures) when that preset is shipped.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explainer.cli import run_config  # noqa: E402
from explainer.gan.presets import PRESETS  # noqa: E402
from explainer.paths import PRESETS_DIR  # noqa: E402
from explainer.runs.store import RunStore  # noqa: E402


def time_loads(store: RunStore, key: str, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = store.load(key)
        times.append((time.perf_counter() - t0) * 1000)
        assert result is not None, "the run vanished from the store"
    return times


def describe(label: str, times: list[float]) -> str:
    return (f"{label:<28} first {times[0]:6.1f} ms   median {statistics.median(times):6.1f} ms   "
            f"max {max(times):6.1f} ms   (n={len(times)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--preset", default="vanilla", choices=sorted(PRESETS))
    ap.add_argument("--repeats", type=int, default=20)
    args = ap.parse_args()

    config = PRESETS[args.preset]
    key = config.key()
    store = RunStore()
    if not store.path(key).exists():  # put it in the cache (not timed): from the shipped copy, else train it
        result = store.load(key)
        if result is None:
            print(f"training preset {args.preset!r} into the cache first (not timed)...")
            v, result = run_config(config, quiet=True)
            if result is None:
                sys.exit(f"training ended {v.state}: {v.error}")
        store.save(result)
    entry = store.path(key)
    size = sum(p.stat().st_size for p in entry.iterdir())
    result = store.load(key)
    n_arrays = sum(len(s.arrays) for s in result.snapshots)
    print(f"preset {args.preset!r}: {config.n_seeds} seeds, {config.steps:,} steps, {len(result.history):,} history "
          f"rows, {len(result.snapshots)} snapshots ({n_arrays} arrays), {size / 1e6:.2f} MB in the cache")
    print(describe("cache (RunStore.load)", time_loads(store, key, args.repeats)))
    if (PRESETS_DIR / key).exists():
        with tempfile.TemporaryDirectory() as empty:  # an empty cache, so the shipped copy is the one read
            shipped = RunStore(empty, readonly=[PRESETS_DIR])
            size = sum(p.stat().st_size for p in (PRESETS_DIR / key).iterdir())
            print(describe(f"shipped ({size / 1e6:.2f} MB, compact)", time_loads(shipped, key, args.repeats)))


if __name__ == "__main__":
    main()
