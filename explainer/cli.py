"""Command line: python -m explainer {train,sample,warm,bench,ship-presets}.

    python -m explainer train --preset best                    # train (or load) a preset, print per-seed metrics
    python -m explainer train --dataset ring --loss minimax --steps 4000 --seeds 8 --lr-g 5e-5
    python -m explainer sample --preset best --n 2500 --out best.npy [--seed-index 0]
    python -m explainer warm                                   # every preset into the cache
    python -m explainer bench [--quick]                        # bench/gan_throughput.py
    python -m explainer ship-presets                           # the pages' presets into explainer/presets/

Config options are generated from GANConfig's fields (--lr-g, --pack, --n-seeds/--seeds, ...); given on top of
--preset they override it. Runs go through the same job registry and run store as the site, so a run
trained here is instant on the site and the other way round.
"""
import argparse
import dataclasses
import runpy
import sys
import time
from pathlib import Path

ALIASES = {"ring": "ring8", "grid": "grid25"}  # short dataset names accepted on the command line
EXIT_DONE, EXIT_FAILED, EXIT_DIVERGED, EXIT_CANCELLED = 0, 1, 3, 130


# ---- config options -----------------------------------------------------------------------------------------


def _add_config_options(p: argparse.ArgumentParser) -> None:
    """One option per GANConfig field, all defaulting to None so only what the user typed overrides."""
    from explainer.gan import config as cfg
    from explainer.gan.presets import PRESETS

    p.add_argument("--preset", choices=sorted(PRESETS), help="start from a named preset (options below override it)")
    g = p.add_argument_group("config (GANConfig fields; see explainer/gan/config.py)")
    for f in dataclasses.fields(cfg.GANConfig):
        if f.name == "points":
            g.add_argument("--points-file", help="dataset 'points': a .npy or .csv file of (x, y) rows")
            continue
        flags = ["--" + f.name.replace("_", "-")] + (["--seeds"] if f.name == "n_seeds" else [])
        default = f.default
        help_ = f"default {default!r}"
        rule = cfg.GANConfig.RULES.get(f.name)
        if rule is not None:
            help_ += f"; {rule.describe()}" + (" (or ring, grid)" if f.name == "dataset" else "")
        if isinstance(default, bool):
            g.add_argument(*flags, dest=f.name, action=argparse.BooleanOptionalAction, default=None, help=help_)
        elif isinstance(default, tuple):
            g.add_argument(*flags, dest=f.name, type=float, nargs=len(default), default=None, help=help_)
        elif isinstance(default, (int, float, str)):
            g.add_argument(*flags, dest=f.name, type=type(default), default=None, help=help_)


def config_from_args(args: argparse.Namespace):
    """The GANConfig the options describe; raises ValueError with the config's own message when invalid."""
    from explainer.gan.config import GANConfig
    from explainer.gan.presets import PRESETS

    base = PRESETS[args.preset] if getattr(args, "preset", None) else GANConfig()
    changes = {f.name: getattr(args, f.name) for f in dataclasses.fields(GANConfig)
               if getattr(args, f.name, None) is not None}
    if "dataset" in changes:
        changes["dataset"] = ALIASES.get(changes["dataset"], changes["dataset"])
    if "betas" in changes:
        changes["betas"] = tuple(changes["betas"])
    if getattr(args, "points_file", None):
        changes["points"] = tuple(map(tuple, _read_points(args.points_file)))
        changes.setdefault("dataset", "points")
    return base.replace(**changes) if changes else base


def _read_points(path: str):
    import numpy as np

    if path.endswith(".npy"):
        return np.load(path, allow_pickle=False)
    return np.loadtxt(path, delimiter=",", ndmin=2, comments="#")


# ---- running a config ------------------------------------------------------------------------------------


def run_config(config, registry=None, force: bool = False, out=None, quiet: bool = False):
    """Train `config` (or load it from the store) and return (JobView, TrainResult | None)."""
    from explainer.runs.follow import follow
    from explainer.runs.jobs import get_registry

    out = out or sys.stdout  # looked up per call, so redirected stdout (tests, capture) is used
    registry = registry or get_registry()
    if force:
        registry.store.delete(config.key())
    job = registry.get_or_start(config, restart=force)
    v = job.view()
    if not quiet:
        where = {"cache": "loaded from the cache", "preset": "loaded from the shipped presets",
                 "trained": "already trained in this process"}.get(v.source, v.state)
        print(f"run {config.key()[:12]}: {where}{' (diverged)' if v.state == 'diverged' else ''}", file=out,
              flush=True)
    v = follow(job, out=out, quiet=quiet)
    return v, job.result


def _exit_code(state: str) -> int:
    return {"done": EXIT_DONE, "diverged": EXIT_DIVERGED, "cancelled": EXIT_CANCELLED}.get(state, EXIT_FAILED)


def print_result(v, result, out=None) -> None:
    import pandas as pd

    out = out or sys.stdout  # looked up per call, so redirected stdout (tests, capture) is used

    if v.state == "failed":
        print(f"FAILED: {v.error}", file=out)
        return
    if result is None:
        print(f"{v.state.upper()}", file=out)
        return
    extra = result.extra or {}
    facts = [f"status {result.status}"] + [f"{k} {extra[k]}" for k in ("device", "wall_s", "steps_per_s") if k in extra]
    print("  ".join(facts), file=out)
    if result.diverged.any():
        print(f"diverged seeds: {[int(i) for i in result.diverged.nonzero()[0]]}", file=out)
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.precision", 4):
        print(result.metrics.to_string(index=False), file=out)
        num = result.metrics.select_dtypes("number").drop(columns=["seed", "steps_trained"], errors="ignore")
        if len(result.metrics) > 1 and len(num.columns):
            print("mean over seeds:  " + "  ".join(f"{c} {num[c].mean():.4g}" for c in num.columns), file=out)


# ---- commands ----------------------------------------------------------------------------------------------


def cmd_train(args) -> int:
    config = config_from_args(args)
    v, result = run_config(config, force=args.force)
    print_result(v, result)
    return _exit_code(v.state)


def cmd_sample(args) -> int:
    import numpy as np

    from explainer.gan.sampling import sample_run

    config = config_from_args(args)
    v, result = run_config(config, out=sys.stderr, quiet=args.quiet)
    if result is None:
        print(f"no trained run to sample from ({v.state}{': ' + v.error if v.error else ''})", file=sys.stderr)
        return _exit_code(v.state) or EXIT_FAILED
    x = sample_run(result, n=args.n, seed_index=args.seed_index, ema=not args.no_ema)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".csv":
        flat = x.reshape(len(x), -1)
        header = "x,y" if flat.shape[1] == 2 else ",".join(f"p{i}" for i in range(flat.shape[1]))
        np.savetxt(out, flat, delimiter=",", header=header, comments="", fmt="%.6g")
    else:
        np.save(out, x)
    print(f"wrote {len(x):,} samples of shape {x.shape[1:]} from seed index {args.seed_index} to {out}",
          file=sys.stderr)
    return EXIT_DONE


def cmd_warm(args) -> int:
    from explainer.runs.ship import train_all
    from explainer.site import shipped_runs

    t0, worst, n = time.monotonic(), EXIT_DONE, 0
    for name, _, v in train_all(shipped_runs(), args.names or None):
        print(f"{name:>12}: {v.state:<9} {v.source or ''}{'  ' + v.error if v.error else ''}", flush=True)
        worst = max(worst, _exit_code(v.state) if v.state != "diverged" else EXIT_DONE)
        n += 1
    print(f"warm: {n} presets in {time.monotonic() - t0:.1f}s")
    return worst


def cmd_bench(args) -> int:
    script = Path(__file__).resolve().parent.parent / "bench" / "gan_throughput.py"
    if not script.exists():
        print(f"bench script not found at {script} (it ships with the repository, not the package)", file=sys.stderr)
        return EXIT_FAILED
    sys.argv = [str(script), *args.bench_args]
    runpy.run_path(str(script), run_name="__main__")
    return EXIT_DONE


def cmd_ship_presets(args) -> int:
    from explainer.runs.ship import ship_presets
    from explainer.site import shipped_runs, write_thumbnails

    ship_presets(shipped_runs(), names=args.names or None)
    for path in write_thumbnails():  # the home page's map, drawn from the runs just shipped
        print(f"wrote {path}")
    return EXIT_DONE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m explainer", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="train a config (or load it from the cache) and print per-seed metrics")
    _add_config_options(p)
    p.add_argument("--force", action="store_true", help="retrain even if the run is cached")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("sample", help="write samples of a trained run (trains it first if needed)")
    _add_config_options(p)
    p.add_argument("--n", type=int, default=2500, help="number of samples (default 2500)")
    p.add_argument("--out", required=True, help="output file, .npy or .csv")
    p.add_argument("--seed-index", type=int, default=0, help="which of the run's seeds (0-based)")
    p.add_argument("--no-ema", action="store_true", help="use the raw G weights, not the EMA ones")
    p.add_argument("--quiet", action="store_true", help="no progress output while training")
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("warm", help="train every preset into the cache")
    p.add_argument("names", nargs="*", help="only these presets")
    p.set_defaults(func=cmd_warm)

    p = sub.add_parser("bench", help="run bench/gan_throughput.py (extra arguments, e.g. --seconds 3, go to it)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("ship-presets", help="train the pages' presets and write them into explainer/presets/")
    p.add_argument("names", nargs="*", help="only these presets")
    p.set_defaults(func=cmd_ship_presets)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command == "bench":
        args.bench_args = rest  # the benchmark script parses its own options
    elif rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return args.func(args)
    except ValueError as e:  # invalid config values: one clear line, no traceback
        parser.exit(2, f"error: {e}\n")
