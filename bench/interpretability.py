"""Time the Interpretability page's computations on the CPU: each attribution method on one 8×8 digit, the whole
sanity-check cascade (every method at every stage) for one digit, the adversarial accuracy curve, and what the
cascade measures (mean ρ per method over test digits).

    .venv/bin/python bench/interpretability.py [--digits 20]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from explainer.deep_learning.cnn import CNNConfig, digits_cnn  # noqa: E402
from explainer.interpretability import attributions, robustness, sanity  # noqa: E402
from explainer.runs.jobs import get_registry  # noqa: E402


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--digits", type=int, default=20)
    args = ap.parse_args()
    cnn = digits_cnn(get_registry().result_of(CNNConfig()))
    image, label = cnn.test_images[0], int(cnn.test_labels[0])
    attributions.attribute(cnn.model, image, "saliency", label)  # imports Captum
    print(f"attribution of one 8×8 digit (median of 20, ms); caps {attributions.CAPS}")
    for name, method in attributions.METHODS.items():
        ms = 1000 * timed(lambda n=name: attributions.attribute(cnn.model, image, n, label), 20)
        print(f"  {method.label:<22}{ms:7.1f}")
    seconds = timed(lambda: sanity.cascade(cnn.model, image, label), 5)
    print(f"sanity cascade, one digit, {len(attributions.METHODS)} methods × {len(sanity.STAGE_LABELS)} stages: "
          f"{seconds:.2f} s (median of 5)")
    seconds = timed(lambda: robustness.accuracy_curve(cnn.model, cnn.test_images, cnn.test_labels), 3)
    print(f"accuracy over ε ({len(robustness.EPSILONS)} ε × FGSM and PGD, {len(cnn.test_labels)} test digits): "
          f"{seconds:.2f} s")
    rho = {name: [] for name in attributions.METHODS}
    for i in range(args.digits):
        result = sanity.cascade(cnn.model, cnn.test_images[i], int(cnn.test_labels[i]))
        for name in rho:
            rho[name].append(result["similarity"][name])
    print(f"mean Spearman ρ (|maps|) with the trained map over {args.digits} test digits, stage by stage:")
    print(f"  {'method':<22}" + "".join(f"{s:>20}" for s in sanity.STAGE_LABELS))
    for name, values in rho.items():
        means = np.nanmean(np.array(values), axis=0)
        print(f"  {attributions.METHODS[name].label:<22}" + "".join(f"{m:>20.2f}" for m in means))


if __name__ == "__main__":
    main()
