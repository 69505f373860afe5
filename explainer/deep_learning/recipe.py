"""Experiments on the 8×8 digits that follow Karpathy's "A Recipe for Training Neural Networks" (blog, 2019).

Each experiment is a function with a small frozen config; it returns an `ExperimentResult`: `curves`, a
long-format DataFrame (one row per run and logged step), and `figures`, the numbers worth printing. All are
deterministic for `config.seed` (private generators, one CPU thread) and take a second or two on a CPU.
Each accepts `progress(fraction_done)`.

1. `init_loss`: at initialisation a 10-class softmax classifier should predict about 1/10 for every class, so
   its loss should be −ln(1/10) = ln 10 ≈ 2.303. A small final layer makes the logits ≈ 0 and gets exactly
   that; a large one starts far above it and wastes the first steps shrinking the logits (the "hockey stick").
2. `overfit_one_batch`: a model that cannot drive the loss on one small batch to ≈ 0 has a bug.
3. `input_independent_baseline`: with the inputs zeroed the model can only learn the class frequencies, so its
   loss stays at their entropy (≈ ln 10 here); the real model must do much better.
4. `learning_rates`: too small creeps down, about right falls fast, too large jumps up in the first steps and
   then stalls near chance (loss ≈ ln 10) or keeps jumping around; a run whose loss becomes inf/nan stops and
   is marked diverged.
5. `overfitting`: with little data the training loss goes to ≈ 0 while the validation loss climbs; more data
   or weight decay (an L2 penalty, λ/2·Σw², i.e. g ← ∇L + λw) narrows the gap.

The model is an MLP, 64 pixels → hidden (ReLU) → 10 logits, trained with cross-entropy and Adam.
"""
import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn

from explainer.checks import Choice, Each, Range, check_fields
from explainer.data.digits import load_split
from explainer.deep_learning.init import default_init_
from explainer.deep_learning.optim import SGD, Adam
from explainer.threads import one_thread

LN10 = math.log(10)
ProgressFn = Callable[[float], None] | None


@dataclass
class ExperimentResult:
    curves: pd.DataFrame  # long format: run, step, and the measured columns
    figures: dict[str, float]  # the key numbers, e.g. {"expected": 2.3026, "measured": 2.3027}
    seconds: float = 0.0


# --- shared pieces ---------------------------------------------------------------------------------------

# what each config field must be (explainer/checks.py); a tuple field is checked value by value
LIMITS = {
    "hidden": Range(1, 1024, int), "steps": Range(1, 5000, int), "batch_size": Range(1, 1257, int),
    "seed": Range(0, 2**31 - 1, int), "train_sizes": Each(Range(1, 1257, int)), "lr": Range(1e-7, 100.0),
    "lrs": Each(Range(1e-7, 100.0), length=3, items="learning rates (too small, about right, too large)"),
    "scales": Each(Range(1e-4, 100.0)),
    "weight_decays": Each(Range(0.0, 1.0)), "optimizer": Choice(("adam", "sgd")),
}


def _validate(config) -> None:
    """Raise ValueError with a clear message if a field of `config` is out of range or of the wrong kind."""
    check_fields(config, LIMITS)


def _data(seed: int, val_fraction: float = 0.3):
    """Train/validation tensors: inputs (n, 64) scaled to 0..1, labels (n,)."""
    X_train, y_train, X_val, y_val = load_split(val_fraction, seed)
    def flat(X):
        return torch.from_numpy(X.reshape(len(X), 64) / 16)
    return flat(X_train), torch.from_numpy(y_train), flat(X_val), torch.from_numpy(y_val)


def make_mlp(hidden: int, seed: int, final_scale: float = 1.0) -> nn.Sequential:
    """64 → hidden (ReLU) → 10, default initialisation from `seed`, final layer multiplied by `final_scale`."""
    model = default_init_(nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)),
                          torch.Generator().manual_seed(seed))
    with torch.no_grad():
        model[-1].weight.mul_(final_scale)
        model[-1].bias.mul_(final_scale)
    return model


def _validation(X_val: torch.Tensor, y_val: torch.Tensor):
    """An `evaluate` for `_fit`: the validation loss and accuracy."""
    def evaluate(model):
        loss, acc = _measure(model, X_val, y_val)
        return {"val_loss": loss, "val_acc": acc}
    return evaluate


@torch.no_grad()
def _measure(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    logits = model(X)
    loss = nn.functional.cross_entropy(logits, y).item()
    return (loss if math.isfinite(loss) else float("nan")), (logits.argmax(1) == y).float().mean().item()


def _fit(model, X, y, *, steps, lr, batch_size=None, weight_decay=0.0, optimizer="adam", seed=0,
         log_every=10, evaluate=None, progress=None):
    """Train with cross-entropy; every `log_every` steps (and at step 0) record {step, train_loss, train_acc}
    on all of (X, y), plus `evaluate(model)` (a dict). Stops early, marking `diverged`, if the loss is not finite.
    batch_size None = full batch.
    """
    make = Adam if optimizer == "adam" else SGD
    opt = make([{"params": model.parameters(), "weight_decay": weight_decay}], lr=lr)
    gen = torch.Generator().manual_seed(seed)
    rows = []

    def log(step):
        train_loss, train_acc = _measure(model, X, y)
        row = {"step": step, "train_loss": train_loss, "train_acc": train_acc, "diverged": False}
        row.update(evaluate(model) if evaluate else {})
        rows.append(row)
        return math.isfinite(train_loss)

    log(0)
    order, pos = torch.randperm(len(y), generator=gen), 0
    for step in range(1, steps + 1):
        if batch_size is None:
            xb, yb = X, y
        else:
            if pos + batch_size > len(y):
                order, pos = torch.randperm(len(y), generator=gen), 0
            idx = order[pos:pos + batch_size]
            pos += batch_size
            xb, yb = X[idx], y[idx]
        loss = nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % log_every == 0 or step == steps:
            if not log(step):
                rows[-1]["diverged"] = True
                break
        if progress and step % 20 == 0:
            progress(step / steps)
    return rows


class _Progress:
    """Maps each run's own 0..1 progress onto its share of the whole experiment."""

    def __init__(self, callback: ProgressFn, n_runs: int):
        self.callback, self.n_runs = callback, n_runs

    def run(self, i: int):
        if not self.callback:
            return None
        return lambda fraction: self.callback(min(1.0, (i + fraction) / self.n_runs))

    def done(self):
        if self.callback:
            self.callback(1.0)


def _frame(rows_by_run: dict[str, list[dict]]) -> pd.DataFrame:
    return pd.DataFrame([{"run": run, **row} for run, rows in rows_by_run.items() for row in rows])


def _timed(fn):
    """Run the experiment on one thread and record its wall time in `result.seconds`."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs) -> ExperimentResult:
        start = time.perf_counter()
        with one_thread():
            result = fn(*args, **kwargs)
        result.seconds = time.perf_counter() - start
        return result
    return wrapper


# --- 1. loss at initialisation ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InitConfig:
    hidden: int = 64
    scales: tuple[float, ...] = (0.01, 1.0, 10.0)  # final-layer multipliers: small, PyTorch default, large
    steps: int = 150
    lr: float = 3e-3
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self):
        _validate(self)


@_timed
def init_loss(config: InitConfig = InitConfig(), progress: ProgressFn = None) -> ExperimentResult:
    """Loss at step 0 vs ln 10 for each final-layer scale, then a short training curve for each.

    figures: expected = ln 10; measured = the loss at init of the smallest scale; measured_x<scale> for each.
    """
    X, y, _, _ = _data(config.seed)
    share, runs, figures = _Progress(progress, len(config.scales)), {}, {"expected": LN10}
    for i, scale in enumerate(config.scales):
        model = make_mlp(config.hidden, config.seed, final_scale=scale)
        runs[f"final layer ×{scale:g}"] = _fit(model, X, y, steps=config.steps, lr=config.lr,
                                               batch_size=config.batch_size, seed=config.seed, log_every=5,
                                               progress=share.run(i))
        figures[f"measured_x{scale:g}"] = runs[f"final layer ×{scale:g}"][0]["train_loss"]
    figures["measured"] = figures[f"measured_x{min(config.scales):g}"]
    share.done()
    return ExperimentResult(_frame(runs), figures)


# --- 2. overfit one batch --------------------------------------------------------------------------------

@dataclass(frozen=True)
class OverfitBatchConfig:
    batch_size: int = 32
    hidden: int = 64
    steps: int = 200
    lr: float = 1e-2
    seed: int = 0

    def __post_init__(self):
        _validate(self)


@_timed
def overfit_one_batch(config: OverfitBatchConfig = OverfitBatchConfig(), progress: ProgressFn = None
                      ) -> ExperimentResult:
    """Train on one fixed batch until it is memorised; the validation loss shows memorising is not learning.

    figures: initial_loss, final_loss, final_acc (on the batch), final_val_loss.
    """
    X, y, X_val, y_val = _data(config.seed)
    Xb, yb = X[:config.batch_size], y[:config.batch_size]
    model = make_mlp(config.hidden, config.seed, final_scale=0.01)
    rows = _fit(model, Xb, yb, steps=config.steps, lr=config.lr, seed=config.seed, log_every=5,
                evaluate=_validation(X_val, y_val),
                progress=progress)
    last = rows[-1]
    figures = {"initial_loss": rows[0]["train_loss"], "final_loss": last["train_loss"],
               "final_acc": last["train_acc"], "final_val_loss": last["val_loss"]}
    if progress:
        progress(1.0)
    return ExperimentResult(_frame({f"one batch of {len(yb)}": rows}), figures)


# --- 3. input-independent baseline -----------------------------------------------------------------------

@dataclass(frozen=True)
class BaselineConfig:
    hidden: int = 64
    steps: int = 300
    lr: float = 3e-3
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self):
        _validate(self)


@_timed
def input_independent_baseline(config: BaselineConfig = BaselineConfig(), progress: ProgressFn = None
                               ) -> ExperimentResult:
    """The same model trained on real inputs and on all-zero inputs; validation loss of each.

    figures: label_entropy (the best loss possible without looking at the input), final_val_loss_real,
    final_val_loss_zeroed.
    """
    X, y, X_val, y_val = _data(config.seed)
    freq = np.bincount(y.numpy(), minlength=10) / len(y)
    entropy = float(-(freq[freq > 0] * np.log(freq[freq > 0])).sum())
    share, runs = _Progress(progress, 2), {}
    for i, (name, zero) in enumerate((("real inputs", False), ("inputs zeroed", True))):
        Xt, Xv = (torch.zeros_like(X), torch.zeros_like(X_val)) if zero else (X, X_val)
        model = make_mlp(config.hidden, config.seed, final_scale=0.01)
        runs[name] = _fit(model, Xt, y, steps=config.steps, lr=config.lr, batch_size=config.batch_size,
                          seed=config.seed, evaluate=_validation(Xv, y_val),
                          progress=share.run(i))
    share.done()
    figures = {"label_entropy": entropy, "final_val_loss_real": runs["real inputs"][-1]["val_loss"],
               "final_val_loss_zeroed": runs["inputs zeroed"][-1]["val_loss"]}
    return ExperimentResult(_frame(runs), figures)


# --- 4. learning rate too small / about right / too large ------------------------------------------------

@dataclass(frozen=True)
class LearningRateConfig:
    lrs: tuple[float, float, float] = (1e-4, 1e-2, 1.0)  # too small, about right, too large (for Adam)
    optimizer: str = "adam"  # or "sgd" (plain SGD needs larger rates, e.g. (1e-3, 0.3, 30.0))
    hidden: int = 64
    steps: int = 300
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self):
        _validate(self)


LR_NAMES = ("too small", "about right", "too large")


@_timed
def learning_rates(config: LearningRateConfig = LearningRateConfig(), progress: ProgressFn = None
                   ) -> ExperimentResult:
    """Three runs that differ only in the learning rate; train and validation loss curves.

    figures: final_train_loss_<name> and final_val_loss_<name> for each of LR_NAMES (nan if it diverged),
    plus lr_<name>; diverged_<name> is 1.0 if that run's loss became inf/nan (its curve then stops there).
    """
    X, y, X_val, y_val = _data(config.seed)
    share, runs, figures = _Progress(progress, len(config.lrs)), {}, {}
    for i, (name, lr) in enumerate(zip(LR_NAMES, config.lrs, strict=True)):
        model = make_mlp(config.hidden, config.seed, final_scale=0.01)
        label = f"{name} (η = {lr:g})"
        runs[label] = _fit(model, X, y, steps=config.steps, lr=lr, batch_size=config.batch_size,
                           optimizer=config.optimizer, seed=config.seed, evaluate=_validation(X_val, y_val),
                           progress=share.run(i))
        key = name.replace(" ", "_")
        last = runs[label][-1]
        figures.update({f"lr_{key}": lr, f"final_train_loss_{key}": last["train_loss"],
                        f"final_val_loss_{key}": last["val_loss"], f"diverged_{key}": float(last["diverged"])})
    share.done()
    return ExperimentResult(_frame(runs), figures)


# --- 5. overfitting vs data size and weight decay --------------------------------------------------------

@dataclass(frozen=True)
class OverfittingConfig:
    train_sizes: tuple[int, ...] = (100, 1000)
    weight_decays: tuple[float, ...] = (0.0, 1e-3)
    hidden: int = 128
    steps: int = 300
    lr: float = 3e-3
    seed: int = 0

    def __post_init__(self):
        _validate(self)


@_timed
def overfitting(config: OverfittingConfig = OverfittingConfig(), progress: ProgressFn = None) -> ExperimentResult:
    """Full-batch training on n examples, with and without weight decay; train vs validation curves.

    figures: for each run, final_train_loss / final_val_loss / gap (val − train) under "<n>_wd<λ>_..." keys.
    """
    X, y, X_val, y_val = _data(config.seed)
    grid = [(n, wd) for n in config.train_sizes for wd in config.weight_decays]
    share, runs, figures = _Progress(progress, len(grid)), {}, {}
    for i, (n, wd) in enumerate(grid):
        n = min(int(n), len(y))
        model = make_mlp(config.hidden, config.seed, final_scale=0.01)
        label = f"n = {n}, λ = {wd:g}"
        rows = _fit(model, X[:n], y[:n], steps=config.steps, lr=config.lr, weight_decay=wd, seed=config.seed,
                    evaluate=_validation(X_val, y_val),
                    progress=share.run(i))
        for row in rows:
            row.update(n_train=n, weight_decay=wd)
        runs[label] = rows
        key = f"{n}_wd{wd:g}"
        last = rows[-1]
        figures.update({f"{key}_final_train_loss": last["train_loss"], f"{key}_final_val_loss": last["val_loss"],
                        f"{key}_gap": last["val_loss"] - last["train_loss"], f"{key}_final_val_acc": last["val_acc"]})
    share.done()
    return ExperimentResult(_frame(runs), figures)


EXPERIMENTS = {
    "init_loss": init_loss,
    "overfit_one_batch": overfit_one_batch,
    "input_independent_baseline": input_independent_baseline,
    "learning_rates": learning_rates,
    "overfitting": overfitting,
}
