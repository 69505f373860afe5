"""Print the GAN engine's quality figures (issue 4): ring/grid mode coverage of presets, and the digits GAN.

    python bench/gan_quality.py best                     # ring of 8, 10 seeds, PacGAN protocol
    python bench/gan_quality.py collapse
    python bench/gan_quality.py best --dataset grid25    # the same preset on the grid of 25
    python bench/gan_quality.py best --width 64          # G's and D's hidden layers 64 wide instead of 128
    python bench/gan_quality.py best --pack 4            # PacGAN4 instead of PacGAN2
    python bench/gan_quality.py digits                   # image GAN: time, classes, confidence
Each run trains from scratch (no cache). --threads sets torch's CPU threads (default 1: steadier when the
machine is shared).
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from explainer.gan.classifier import ClassifierConfig  # noqa: E402
from explainer.gan.presets import PRESETS  # noqa: E402
from explainer.mode_collapse.summary import outcome_counts  # noqa: E402
from explainer.runs.jobs import execute, get_registry  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("preset", choices=sorted(PRESETS))
    ap.add_argument("--dataset", choices=["ring8", "grid25"], help="override the preset's 2D dataset")
    ap.add_argument("--steps", type=int, help="override the number of G steps")
    ap.add_argument("--seeds", type=int, help="override the number of seeds")
    ap.add_argument("--width", type=int, help="override G's and D's hidden width")
    ap.add_argument("--pack", type=int, help="override PacGAN's m (samples per pack)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    config = PRESETS[args.preset]
    changes = {k: v for k, v in {"dataset": args.dataset, "steps": args.steps, "n_seeds": args.seeds,
                                 "g_width": args.width, "d_width": args.width, "pack": args.pack}.items() if v}
    config = config.replace(**changes)
    print(f"preset {args.preset} {changes or ''} key {config.key()[:12]}")
    t0 = time.perf_counter()
    result = execute(config, threads=args.threads)
    wall = time.perf_counter() - t0
    m = result.metrics
    print(m.round(4).to_string(index=False))
    print(f"status {result.status}, {config.n_seeds} seeds x {result.extra['steps_done']} G steps, "
          f"train {result.extra['wall_s']:.1f} s ({result.extra['steps_per_s']} steps/s), total {wall:.1f} s, "
          f"{result.extra['device']}, torch threads {torch.get_num_threads()}")
    if "modes_covered" in m:
        n_modes = 8 if config.dataset == "ring8" else 25
        print(f"modes covered: mean {m.modes_covered.mean():.2f} / {n_modes} (min {m.modes_covered.min():.0f}, "
              f"max {m.modes_covered.max():.0f}); per seed {dict(outcome_counts(m))}")
        print(f"high quality: mean {100 * m.high_quality.mean():.2f}% (min {100 * m.high_quality.min():.2f}%)")
        print(f"reverse KL: mean {m.reverse_kl.mean():.4f} (max {m.reverse_kl.max():.4f})")
    if "classes_covered" in m:
        accuracy = float(get_registry().result_of(ClassifierConfig()).metrics["test_accuracy"].iloc[0])
        print(f"digits: classes covered {m.classes_covered.tolist()}, min class share "
              f"{[round(100 * x, 2) for x in m.min_class_share]}%, confident (p >= 0.9) "
              f"{[round(100 * x, 2) for x in m.confident_share]}%, training time {result.extra['wall_s']:.1f} s; "
              f"classifier test accuracy {100 * accuracy:.2f}%")


if __name__ == "__main__":
    main()
