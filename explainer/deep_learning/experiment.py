"""What every recipe experiment shares: the digits data, a small MLP, a training loop that logs curves, and the
typed result an experiment returns (and how it is stored as a run, so it goes through the job registry).

A result is `ExperimentResult`: `curves`, a long-format table (one row per run and logged step), and `runs`, one
`RunSummary` per training run of the experiment (its setting, first and last losses, whether it diverged). Pages
read those fields; nothing is rebuilt from string keys.
"""
import dataclasses
import math
from collections.abc import Callable

import pandas as pd
import torch
from torch import nn

from explainer.data.digits import load_split
from explainer.deep_learning.init import default_init_
from explainer.deep_learning.optim import SGD, Adam
from explainer.runs.config import RunConfig
from explainer.runs.result import TrainResult

TICK_EVERY = 20  # optimiser steps per progress report


@dataclasses.dataclass(frozen=True)
class RunSummary:
    """One training run of an experiment, as its first and last logged rows say."""
    label: str  # the run's name in `curves["run"]`
    setting: float  # the knob this run varies: final-layer scale, learning rate, L2 strength, ...
    n_train: int  # training examples it saw
    initial_loss: float  # training loss at step 0
    final_train_loss: float  # NaN when it diverged
    final_train_acc: float
    final_val_loss: float  # NaN when the experiment has no validation set or the run diverged
    final_val_acc: float
    diverged: bool

    @property
    def gap(self) -> float:
        """Validation minus training loss at the end: how much it overfits."""
        return self.final_val_loss - self.final_train_loss

    @classmethod
    def of(cls, label: str, setting: float, n_train: int, rows: list[dict]) -> "RunSummary":
        first, last = rows[0], rows[-1]
        return cls(label, float(setting), int(n_train), first["train_loss"], last["train_loss"], last["train_acc"],
                   last.get("val_loss", math.nan), last.get("val_acc", math.nan), bool(last["diverged"]))


@dataclasses.dataclass
class ExperimentResult:
    curves: pd.DataFrame  # long format: run, step, and the measured columns
    runs: tuple[RunSummary, ...]  # in the order the experiment trained them
    label_entropy: float = math.nan  # the best loss without looking at the input (the baseline experiment)
    seconds: float = 0.0

    def run(self, label: str) -> RunSummary:
        return next(r for r in self.runs if r.label == label)

    def to_run(self, run) -> TrainResult:
        """As the TrainResult of `run` for the run store: curves as history, one metrics row per training run."""
        metrics = pd.DataFrame([dataclasses.asdict(r) for r in self.runs])
        return run.result(diverged=[r.diverged for r in self.runs], history=self.curves, metrics=metrics,
                          label_entropy=self.label_entropy, seconds=round(run.elapsed_s, 3))

    @classmethod
    def of(cls, run: TrainResult) -> "ExperimentResult":
        """Back from a stored run (field types restored: the store keeps plain columns)."""
        kinds = {f.name: f.type for f in dataclasses.fields(RunSummary)}  # str, float, int, bool
        runs = tuple(RunSummary(**{k: kinds[k](v) for k, v in row.items()})
                     for row in run.metrics.to_dict("records"))
        return cls(run.history, runs, float(run.extra.get("label_entropy", math.nan)),
                   float(run.extra.get("seconds", 0.0)))


class ExperimentConfig(RunConfig):
    """Mixin for a recipe experiment's frozen config: a RunConfig whose train() runs `experiment` (a function
    run -> ExperimentResult; a subclass sets it and `n_runs`, the training runs it makes of `steps` steps each)."""
    SCHEMA = 2  # 2: private streams per purpose (explainer.seeding)
    experiment: Callable = None
    n_runs: int = 1

    @property
    def progress_units(self) -> int:
        return self.steps * self.n_runs

    def train(self, run) -> TrainResult:
        return type(self).experiment(run).to_run(run)


def digits_data(seed: int, val_fraction: float = 0.3):
    """Train/validation tensors: inputs (n, 64) scaled to 0..1, labels (n,)."""
    X_train, y_train, X_val, y_val = load_split(val_fraction, seed)
    def flat(X):
        return torch.from_numpy(X.reshape(len(X), 64) / 16)
    return flat(X_train), torch.from_numpy(y_train), flat(X_val), torch.from_numpy(y_val)


def make_mlp(hidden: int, gen: torch.Generator, final_scale: float = 1.0) -> nn.Sequential:
    """64 → hidden (ReLU) → 10, default initialisation from `gen`, final layer multiplied by `final_scale`.
    The runs of one experiment each get a fresh run.generator("init"): they start from the same weights."""
    model = default_init_(nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)), gen)
    with torch.no_grad():
        model[-1].weight.mul_(final_scale)
        model[-1].bias.mul_(final_scale)
    return model


def validation(X_val: torch.Tensor, y_val: torch.Tensor):
    """An `evaluate` for `fit`: the validation loss and accuracy."""
    def evaluate(model):
        loss, acc = measure(model, X_val, y_val)
        return {"val_loss": loss, "val_acc": acc}
    return evaluate


@torch.no_grad()
def measure(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    logits = model(X)
    loss = nn.functional.cross_entropy(logits, y).item()
    return (loss if math.isfinite(loss) else float("nan")), (logits.argmax(1) == y).float().mean().item()


def fit(model, X, y, run, *, steps, lr, batch_size=None, weight_decay=0.0, optimizer="adam", log_every=10,
        evaluate=None):
    """Train with cross-entropy; every `log_every` steps (and at step 0) record {step, train_loss, train_acc}
    on all of (X, y), plus `evaluate(model)` (a dict). Stops early, marking `diverged`, if the loss is not finite.
    batch_size None = full batch. Ticks `run` once per step (every TICK_EVERY, and the rest at the end); the
    minibatch order comes from a fresh run.generator("order"), the same for every run of an experiment.
    """
    make = Adam if optimizer == "adam" else SGD
    opt = make([{"params": model.parameters(), "weight_decay": weight_decay}], lr=lr)
    gen = run.generator("order")
    rows, ticked = [], 0

    def log(step):
        train_loss, train_acc = measure(model, X, y)
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
        if step % TICK_EVERY == 0:
            run.tick(step - ticked)
            ticked = step
    run.tick(steps - ticked)  # a run that diverged early still counts its whole share
    return rows


def frame(rows_by_run: dict[str, list[dict]]) -> pd.DataFrame:
    return pd.DataFrame([{"run": run, **row} for run, rows in rows_by_run.items() for row in rows])

