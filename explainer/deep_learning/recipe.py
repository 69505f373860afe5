"""Experiments on the 8×8 digits that follow Karpathy's "A Recipe for Training Neural Networks" (blog, 2019).

Each experiment is a function of a small frozen config that returns an `ExperimentResult` (curves, and one
typed `RunSummary` per training run; see explainer.deep_learning.experiment). Each config trains itself through
the job registry (`config.train()`), so results are stored, shared and shipped like every run. All are
deterministic for `config.seed` (private generators, one CPU thread) and take a second or two on a CPU.
Each function accepts `progress(fraction_done)`.

1. `init_loss`: at initialisation a 10-class softmax classifier should predict about 1/10 for every class, so
   its loss should be −ln(1/10) = ln 10 ≈ 2.303. A small final layer makes the logits ≈ 0 and gets exactly
   that; a large one starts far above it and wastes the first steps shrinking the logits (the "hockey stick").
2. `overfit_one_batch`: a model that cannot drive the loss on one small batch to ≈ 0 has a bug.
3. `input_independent_baseline`: with the inputs zeroed the model can only learn the class frequencies, so its
   loss stays at their entropy (≈ ln 10 here); the real model must do much better.
4. `learning_rates`: too small creeps down, about right falls fast, too large jumps up in the first steps and
   then stalls near chance (loss ≈ ln 10) or keeps jumping around; a run whose loss becomes inf/nan stops and
   is marked diverged.
5. `overfitting` (the recipe's regularise stage): with little data the training loss goes to ≈ 0 while the
   validation loss stays far higher; more data or an L2 penalty (λ/2·Σw², i.e. g ← ∇L + λw, which under Adam is
   not AdamW's decoupled weight decay) may narrow the gap. The field `weight_decays` keeps its name (it is part of
   the config's key) but holds L2 strengths.

The model is an MLP, 64 pixels → hidden (ReLU) → 10 logits, trained with cross-entropy and Adam.
"""
import math
from dataclasses import dataclass

import numpy as np
import torch

from explainer.checks import Choice, Each, Range, check_fields
from explainer.deep_learning.experiment import (
    ExperimentConfig,
    ExperimentResult,
    ProgressFn,
    RunShares,
    RunSummary,
    digits_data,
    fit,
    frame,
    make_mlp,
    timed,
    validation,
)

LN10 = math.log(10)


# --- config checks ---------------------------------------------------------------------------------------

# what each config field must be (explainer/checks.py); a tuple field is checked value by value
LIMITS = {
    "hidden": Range(1, 1024, int), "steps": Range(1, 5000, int), "batch_size": Range(1, 1257, int),
    "seed": Range(0, 2**31 - 1, int), "train_sizes": Each(Range(1, 1257, int)), "lr": Range(1e-7, 100.0),
    "lrs": Each(Range(1e-7, 100.0), length=3, items="learning rates (too small, about right, too large)"),
    "scales": Each(Range(1e-4, 100.0)),
    "weight_decays": Each(Range(0.0, 1.0)), "optimizer": Choice(("adam", "sgd")),
}


class _RecipeConfig(ExperimentConfig):
    """Every recipe config: checked against LIMITS when made (ValueError with a clear message)."""

    def __post_init__(self):
        check_fields(self, LIMITS)


# --- 1. loss at initialisation ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InitConfig(_RecipeConfig):
    hidden: int = 64
    scales: tuple[float, ...] = (0.01, 1.0, 10.0)  # final-layer multipliers: small, PyTorch default, large
    steps: int = 150
    lr: float = 3e-3
    batch_size: int = 64
    seed: int = 0


@timed
def init_loss(config: InitConfig = InitConfig(), progress: ProgressFn = None) -> ExperimentResult:
    """Loss at step 0 vs ln 10 for each final-layer scale (a run's `setting`), then a short curve for each."""
    X, y, _, _ = digits_data(config.seed)
    share, runs, summaries = RunShares(progress, len(config.scales)), {}, []
    for i, scale in enumerate(config.scales):
        model = make_mlp(config.hidden, config.seed, final_scale=scale)
        label = f"final layer ×{scale:g}"
        runs[label] = fit(model, X, y, steps=config.steps, lr=config.lr, batch_size=config.batch_size,
                          seed=config.seed, log_every=5, progress=share.run(i))
        summaries.append(RunSummary.of(label, scale, len(y), runs[label]))
    share.done()
    return ExperimentResult(frame(runs), tuple(summaries))


# --- 2. overfit one batch --------------------------------------------------------------------------------

@dataclass(frozen=True)
class OverfitBatchConfig(_RecipeConfig):
    batch_size: int = 32
    hidden: int = 64
    steps: int = 200
    lr: float = 1e-2
    seed: int = 0


@timed
def overfit_one_batch(config: OverfitBatchConfig = OverfitBatchConfig(), progress: ProgressFn = None
                      ) -> ExperimentResult:
    """Train on one fixed batch until it is memorised; the validation loss shows memorising is not learning."""
    X, y, X_val, y_val = digits_data(config.seed)
    Xb, yb = X[:config.batch_size], y[:config.batch_size]
    model = make_mlp(config.hidden, config.seed, final_scale=0.01)
    rows = fit(model, Xb, yb, steps=config.steps, lr=config.lr, seed=config.seed, log_every=5,
                evaluate=validation(X_val, y_val),
                progress=progress)
    if progress:
        progress(1.0)
    label = f"one batch of {len(yb)}"
    return ExperimentResult(frame({label: rows}), (RunSummary.of(label, len(yb), len(yb), rows),))


# --- 3. input-independent baseline -----------------------------------------------------------------------

@dataclass(frozen=True)
class BaselineConfig(_RecipeConfig):
    hidden: int = 64
    steps: int = 300
    lr: float = 3e-3
    batch_size: int = 64
    seed: int = 0


@timed
def input_independent_baseline(config: BaselineConfig = BaselineConfig(), progress: ProgressFn = None
                               ) -> ExperimentResult:
    """The same model trained on real inputs (setting 1) and on all-zero inputs (setting 0); the label entropy is
    the best loss possible without looking at the input."""
    X, y, X_val, y_val = digits_data(config.seed)
    freq = np.bincount(y.numpy(), minlength=10) / len(y)
    entropy = float(-(freq[freq > 0] * np.log(freq[freq > 0])).sum())
    share, runs = RunShares(progress, 2), {}
    for i, (name, zero) in enumerate((("real inputs", False), ("inputs zeroed", True))):
        Xt, Xv = (torch.zeros_like(X), torch.zeros_like(X_val)) if zero else (X, X_val)
        model = make_mlp(config.hidden, config.seed, final_scale=0.01)
        runs[name] = fit(model, Xt, y, steps=config.steps, lr=config.lr, batch_size=config.batch_size,
                          seed=config.seed, evaluate=validation(Xv, y_val),
                          progress=share.run(i))
    share.done()
    summaries = tuple(RunSummary.of(name, float(name == "real inputs"), len(y), rows) for name, rows in runs.items())
    return ExperimentResult(frame(runs), summaries, label_entropy=entropy)


# --- 4. learning rate too small / about right / too large ------------------------------------------------

@dataclass(frozen=True)
class LearningRateConfig(_RecipeConfig):
    lrs: tuple[float, float, float] = (1e-4, 1e-2, 1.0)  # too small, about right, too large (for Adam)
    optimizer: str = "adam"  # or "sgd" (plain SGD needs larger rates, e.g. (1e-3, 0.3, 30.0))
    hidden: int = 64
    steps: int = 300
    batch_size: int = 64
    seed: int = 0


LR_NAMES = ("too small", "about right", "too large")


@timed
def learning_rates(config: LearningRateConfig = LearningRateConfig(), progress: ProgressFn = None
                   ) -> ExperimentResult:
    """Three runs that differ only in the learning rate (their `setting`), in the order of LR_NAMES; a run whose
    loss became inf/nan is marked diverged (its curve stops there)."""
    X, y, X_val, y_val = digits_data(config.seed)
    share, runs, summaries = RunShares(progress, len(config.lrs)), {}, []
    for i, (name, lr) in enumerate(zip(LR_NAMES, config.lrs, strict=True)):
        model = make_mlp(config.hidden, config.seed, final_scale=0.01)
        label = f"{name} (η = {lr:g})"
        runs[label] = fit(model, X, y, steps=config.steps, lr=lr, batch_size=config.batch_size,
                           optimizer=config.optimizer, seed=config.seed, evaluate=validation(X_val, y_val),
                           progress=share.run(i))
        summaries.append(RunSummary.of(label, lr, len(y), runs[label]))
    share.done()
    return ExperimentResult(frame(runs), tuple(summaries))


# --- 5. overfitting vs data size and weight decay --------------------------------------------------------

@dataclass(frozen=True)
class OverfittingConfig(_RecipeConfig):
    train_sizes: tuple[int, ...] = (100, 1000)
    weight_decays: tuple[float, ...] = (0.0, 1e-3)
    hidden: int = 128
    steps: int = 300
    lr: float = 3e-3
    seed: int = 0


@timed
def overfitting(config: OverfittingConfig = OverfittingConfig(), progress: ProgressFn = None) -> ExperimentResult:
    """Full-batch training on n examples (`n_train`), with and without an L2 penalty λ (`setting`); train vs
    validation curves, one run per (n, λ) in order."""
    X, y, X_val, y_val = digits_data(config.seed)
    grid = [(n, wd) for n in config.train_sizes for wd in config.weight_decays]
    share, runs, summaries = RunShares(progress, len(grid)), {}, []
    for i, (n, wd) in enumerate(grid):
        n = min(int(n), len(y))
        model = make_mlp(config.hidden, config.seed, final_scale=0.01)
        label = f"n = {n}, λ = {wd:g}"
        rows = fit(model, X[:n], y[:n], steps=config.steps, lr=config.lr, weight_decay=wd, seed=config.seed,
                    evaluate=validation(X_val, y_val),
                    progress=share.run(i))
        for row in rows:
            row.update(n_train=n, weight_decay=wd)
        runs[label] = rows
        summaries.append(RunSummary.of(label, wd, n, rows))
    share.done()
    return ExperimentResult(frame(runs), tuple(summaries))


InitConfig.experiment, InitConfig.n_runs = init_loss, property(lambda c: len(c.scales))
OverfitBatchConfig.experiment = overfit_one_batch
BaselineConfig.experiment, BaselineConfig.n_runs = input_independent_baseline, 2
LearningRateConfig.experiment, LearningRateConfig.n_runs = learning_rates, 3
OverfittingConfig.experiment = overfitting
OverfittingConfig.n_runs = property(lambda c: len(c.train_sizes) * len(c.weight_decays))

SGD_LRS = (1e-3, 0.3, 30.0)  # too small, about right, too large for plain SGD
KNOBS = {  # the one setting the page offers per experiment (None: the experiment has none)
    "init_loss": (3, 10, 30, 100),  # scale of the badly initialised last layer
    "overfit_one_batch": (8, 32, 128),  # the batch to memorise
    "input_independent_baseline": (None,),
    "learning_rates": ("adam", "sgd"),  # the optimiser
    "overfitting": (1e-3, 1e-2, 1e-1),  # L2 strength λ of the regularised runs
}


def configure(name: str, knob, seed: int = 0):
    """The config of experiment `name` for the page's one knob and a seed (so pages and shipped presets agree)."""
    if name == "init_loss":
        return InitConfig(scales=(0.01, 1.0, float(knob)), seed=seed)
    if name == "overfit_one_batch":
        return OverfitBatchConfig(batch_size=int(knob), seed=seed)
    if name == "input_independent_baseline":
        return BaselineConfig(seed=seed)
    if name == "learning_rates":
        return LearningRateConfig(lrs=LearningRateConfig().lrs if knob == "adam" else SGD_LRS, optimizer=knob,
                                  seed=seed)
    if name == "overfitting":
        return OverfittingConfig(weight_decays=(0.0, float(knob)), seed=seed)
    raise ValueError(f"unknown experiment {name!r}; choose from {', '.join(KNOBS)}")


EXPERIMENTS = {
    "init_loss": init_loss,
    "overfit_one_batch": overfit_one_batch,
    "input_independent_baseline": input_independent_baseline,
    "learning_rates": learning_rates,
    "overfitting": overfitting,
}
