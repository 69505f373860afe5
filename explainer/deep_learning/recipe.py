"""Experiments on the 8×8 digits that follow Karpathy's "A Recipe for Training Neural Networks" (blog, 2019).

Each experiment is a function of a small frozen config that returns an `ExperimentResult` (curves, and one
typed `RunSummary` per training run; see explainer.deep_learning.experiment). Each config trains itself through
the job registry (`config.train(run)`), so results are stored, shared and shipped like every run. All are
deterministic for `config.seed` (the run's private streams; every training run of one experiment starts from
the same weights and sees the same minibatch order) and take a second or two on a CPU.

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

from explainer.checks import Choice, Each, Range
from explainer.deep_learning.experiment import (
    ExperimentConfig,
    ExperimentResult,
    RunSummary,
    digits_data,
    fit,
    frame,
    make_mlp,
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
    RULES = LIMITS


# --- 1. loss at initialisation ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InitConfig(_RecipeConfig):
    MODEL = "recipe_init_loss"
    hidden: int = 64
    scales: tuple[float, ...] = (0.01, 1.0, 10.0)  # final-layer multipliers: small, PyTorch default, large
    steps: int = 150
    lr: float = 3e-3
    batch_size: int = 64
    seed: int = 0


def init_loss(run) -> ExperimentResult:
    """Loss at step 0 vs ln 10 for each final-layer scale (a run's `setting`), then a short curve for each."""
    config = run.config
    X, y, _, _ = digits_data(config.seed)
    runs, summaries = {}, []
    for scale in config.scales:
        model = make_mlp(config.hidden, run.generator("init"), final_scale=scale)
        label = f"final layer ×{scale:g}"
        runs[label] = fit(model, X, y, run, steps=config.steps, lr=config.lr, batch_size=config.batch_size,
                          log_every=5)
        summaries.append(RunSummary.of(label, scale, len(y), runs[label]))
    return ExperimentResult(frame(runs), tuple(summaries))


# --- 2. overfit one batch --------------------------------------------------------------------------------

@dataclass(frozen=True)
class OverfitBatchConfig(_RecipeConfig):
    MODEL = "recipe_overfit_one_batch"
    batch_size: int = 32
    hidden: int = 64
    steps: int = 200
    lr: float = 1e-2
    seed: int = 0


def overfit_one_batch(run) -> ExperimentResult:
    """Train on one fixed batch until it is memorised; the validation loss shows memorising is not learning."""
    config = run.config
    X, y, X_val, y_val = digits_data(config.seed)
    Xb, yb = X[:config.batch_size], y[:config.batch_size]
    model = make_mlp(config.hidden, run.generator("init"), final_scale=0.01)
    rows = fit(model, Xb, yb, run, steps=config.steps, lr=config.lr, log_every=5, evaluate=validation(X_val, y_val))
    label = f"one batch of {len(yb)}"
    return ExperimentResult(frame({label: rows}), (RunSummary.of(label, len(yb), len(yb), rows),))


# --- 3. input-independent baseline -----------------------------------------------------------------------

@dataclass(frozen=True)
class BaselineConfig(_RecipeConfig):
    MODEL = "recipe_input_independent_baseline"
    hidden: int = 64
    steps: int = 300
    lr: float = 3e-3
    batch_size: int = 64
    seed: int = 0


def input_independent_baseline(run) -> ExperimentResult:
    """The same model trained on real inputs (setting 1) and on all-zero inputs (setting 0); the label entropy is
    the best loss possible without looking at the input."""
    config = run.config
    X, y, X_val, y_val = digits_data(config.seed)
    freq = np.bincount(y.numpy(), minlength=10) / len(y)
    entropy = float(-(freq[freq > 0] * np.log(freq[freq > 0])).sum())
    runs = {}
    for name, zero in (("real inputs", False), ("inputs zeroed", True)):
        Xt, Xv = (torch.zeros_like(X), torch.zeros_like(X_val)) if zero else (X, X_val)
        model = make_mlp(config.hidden, run.generator("init"), final_scale=0.01)
        runs[name] = fit(model, Xt, y, run, steps=config.steps, lr=config.lr, batch_size=config.batch_size,
                         evaluate=validation(Xv, y_val))
    summaries = tuple(RunSummary.of(name, float(name == "real inputs"), len(y), rows) for name, rows in runs.items())
    return ExperimentResult(frame(runs), summaries, label_entropy=entropy)


# --- 4. learning rate too small / about right / too large ------------------------------------------------

@dataclass(frozen=True)
class LearningRateConfig(_RecipeConfig):
    MODEL = "recipe_learning_rates"
    lrs: tuple[float, float, float] = (1e-4, 1e-2, 1.0)  # too small, about right, too large (for Adam)
    optimizer: str = "adam"  # or "sgd" (plain SGD needs larger rates, e.g. (1e-3, 0.3, 30.0))
    hidden: int = 64
    steps: int = 300
    batch_size: int = 64
    seed: int = 0


LR_NAMES = ("too small", "about right", "too large")


def learning_rates(run) -> ExperimentResult:
    """Three runs that differ only in the learning rate (their `setting`), in the order of LR_NAMES; a run whose
    loss became inf/nan is marked diverged (its curve stops there)."""
    config = run.config
    X, y, X_val, y_val = digits_data(config.seed)
    runs, summaries = {}, []
    for name, lr in zip(LR_NAMES, config.lrs, strict=True):
        model = make_mlp(config.hidden, run.generator("init"), final_scale=0.01)
        label = f"{name} (η = {lr:g})"
        runs[label] = fit(model, X, y, run, steps=config.steps, lr=lr, batch_size=config.batch_size,
                          optimizer=config.optimizer, evaluate=validation(X_val, y_val))
        summaries.append(RunSummary.of(label, lr, len(y), runs[label]))
    return ExperimentResult(frame(runs), tuple(summaries))


# --- 5. overfitting vs data size and weight decay --------------------------------------------------------

@dataclass(frozen=True)
class OverfittingConfig(_RecipeConfig):
    MODEL = "recipe_overfitting"
    train_sizes: tuple[int, ...] = (100, 1000)
    weight_decays: tuple[float, ...] = (0.0, 1e-3)
    hidden: int = 128
    steps: int = 300
    lr: float = 3e-3
    seed: int = 0


def overfitting(run) -> ExperimentResult:
    """Full-batch training on n examples (`n_train`), with and without an L2 penalty λ (`setting`); train vs
    validation curves, one run per (n, λ) in order."""
    config = run.config
    X, y, X_val, y_val = digits_data(config.seed)
    grid = [(n, wd) for n in config.train_sizes for wd in config.weight_decays]
    runs, summaries = {}, []
    for n, wd in grid:
        n = min(int(n), len(y))
        model = make_mlp(config.hidden, run.generator("init"), final_scale=0.01)
        label = f"n = {n}, λ = {wd:g}"
        rows = fit(model, X[:n], y[:n], run, steps=config.steps, lr=config.lr, weight_decay=wd,
                   evaluate=validation(X_val, y_val))
        for row in rows:
            row.update(n_train=n, weight_decay=wd)
        runs[label] = rows
        summaries.append(RunSummary.of(label, wd, n, rows))
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


EXPERIMENTS = {  # name -> its config (which trains itself: config.train(run) runs the experiment)
    "init_loss": InitConfig,
    "overfit_one_batch": OverfitBatchConfig,
    "input_independent_baseline": BaselineConfig,
    "learning_rates": LearningRateConfig,
    "overfitting": OverfittingConfig,
}
