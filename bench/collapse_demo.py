"""The cold "mode collapse across seeds" demo, end to end: several configs x 8 seeds on the ring, with metrics.

    python bench/collapse_demo.py [--presets collapse,vanilla,pacgan] [--seeds 8] [--steps N]
                                  [--mode threads|processes|sequential] [--jobs 3]

Cold: an empty temp cache, so every config trains. The configs are the presets as the Mode collapse page
trains them (8 seeds, their own steps), unless --seeds / --steps say otherwise. Modes:
  threads     the site's way: one JobRegistry, `--jobs` background threads
  processes   a pool of `--jobs` spawned processes, results saved to the same store
  sequential  one after another in this process
torch intra-op threads: --threads, default cores // jobs (at least 1) in parallel modes, all cores in sequential.
Prints per config: modes covered per seed, mean high quality, how many seeds collapsed or did not converge; then
the wall time (target <= 60 s on a 2-core machine).
"""
import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explainer.gan.presets import PRESETS  # noqa: E402
from explainer.mode_collapse.summary import outcome_counts  # noqa: E402
from explainer.runs.jobs import JobRegistry  # noqa: E402
from explainer.runs.store import RunStore  # noqa: E402


def demo_configs(names: list[str], seeds: int, steps: int | None) -> dict:
    out = {}
    for name in names:
        c = PRESETS[name].replace(n_seeds=seeds)
        if steps:
            c = c.replace(steps=steps, n_snapshots=min(c.n_snapshots, steps + 1))
        out[name] = c
    return out


def _train_and_store(config, root: str, threads: int) -> None:
    from explainer.runs.jobs import execute

    RunStore(root, readonly=[]).save(execute(config, threads=threads))


def run_threads(configs: dict, store: RunStore, jobs: int, threads: int) -> dict:
    registry = JobRegistry(store=store, max_cpu_jobs=jobs, cpu_threads=threads)
    running = {name: registry.get_or_start(c) for name, c in configs.items()}
    for job in running.values():
        job.wait()
    return {name: job.result for name, job in running.items()}


def run_processes(configs: dict, store: RunStore, jobs: int, threads: int) -> dict:
    with mp.get_context("spawn").Pool(jobs) as pool:
        pool.starmap(_train_and_store, [(c, str(store.root), threads) for c in configs.values()])
    return {name: store.load(c.key()) for name, c in configs.items()}


def run_sequential(configs: dict, store: RunStore, threads: int) -> dict:
    from explainer.runs.jobs import execute

    results = {}
    for name, c in configs.items():
        results[name] = execute(c, threads=threads)
        store.save(results[name])
    return results


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--presets", default="collapse,vanilla,pacgan")
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--steps", type=int, default=0, help="steps per config (0: the presets' own)")
    ap.add_argument("--mode", choices=["threads", "processes", "sequential"], default="threads")
    ap.add_argument("--jobs", type=int, default=3, help="configs trained at once (threads/processes)")
    ap.add_argument("--threads", type=int, default=0, help="torch threads per job (0: see above)")
    args = ap.parse_args(argv)
    cores = os.cpu_count() or 1
    threads = args.threads or (cores if args.mode == "sequential" else max(1, cores // args.jobs))
    configs = demo_configs(args.presets.split(","), args.seeds, args.steps or None)

    with tempfile.TemporaryDirectory() as cache:
        store = RunStore(cache, readonly=[])  # cold: nothing cached, nothing shipped
        t0 = time.perf_counter()
        if args.mode == "threads":
            results = run_threads(configs, store, args.jobs, threads)
        elif args.mode == "processes":
            results = run_processes(configs, store, args.jobs, threads)
        else:
            results = run_sequential(configs, store, threads)
        wall = time.perf_counter() - t0

    jobs = 1 if args.mode == "sequential" else args.jobs
    print(f"{len(configs)} configs x {args.seeds} seeds, mode {args.mode}, {jobs} at once, {threads} torch "
          f"thread(s) each, {cores} cores")
    for name, r in results.items():
        c = configs[name]
        if r is None:
            print(f"{name:>14}: no result")
            continue
        m = r.metrics
        modes = m["modes_covered"].to_numpy()
        print(f"{name:>14}: {c.steps:,} steps, status {r.status}, modes per seed {[int(x) for x in modes]}, "
              f"mean HQ {m['high_quality'].mean():.1%}, per seed {dict(outcome_counts(m))}, "
              f"train {r.extra.get('wall_s')} s")
    print(f"wall time, cold, end to end: {wall:.1f} s")


if __name__ == "__main__":
    main()
