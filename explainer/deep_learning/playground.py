"""A TensorFlow-Playground-style MLP classifier on 2D toy data, trained a few steps at a time.

Model: `depth` hidden layers of `width` units with the chosen activation, then a linear layer to one logit
per class (depth 0 is multinomial logistic regression). Loss: the mean cross-entropy of the softmax,
    L = −(1/B) Σ_i log softmax(f(x_i))_{y_i},
is what backward() differentiates. The L2 penalty (λ/2) Σ ‖W‖² on the weight matrices (not the biases) enters
once, in the optimiser (optim.py), which adds its gradient λw to each weight's gradient; it is never added to L.
The reported losses are the cross-entropy alone, so runs with different λ can be compared.

Determinism: the data, the initial weights and the minibatch order all come from `config.seed` through
private generators (explainer.seeding), so two trainers with one config produce the same numbers, even when
they run in background threads.

Inline, not a job: the playground is the one trainable demo that does not go through the job registry. A viewer
steps it (`step(n)`: a few milliseconds per call, well under a second) and plays it tick by tick, and each
session has its own trainer (its knobs are its own), so there is nothing to store or share across sessions.
"""
import math
import threading
from dataclasses import dataclass, fields

import numpy as np
import torch
from torch import nn

from explainer.checks import Choice, Config, Range
from explainer.data.labelled import CLASS_RANGE, DATASETS, make_dataset
from explainer.deep_learning.init import default_init_
from explainer.deep_learning.optim import SGD, Adam
from explainer.seeding import torch_generator
from explainer.threads import one_thread

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}
OPTIMIZERS = ("sgd", "adam")
ADAM_BETAS, ADAM_EPS = (0.9, 0.999), 1e-8

# what every field must be (explainer/checks.py): validation rejects, `clamped` clips numbers into these ranges
RULES = {
    "dataset": Choice(DATASETS), "activation": Choice(tuple(ACTIVATIONS)), "optimizer": Choice(OPTIMIZERS),
    "n_classes": Range(2, 5, int), "noise": Range(0.0, 1.0), "n_samples": Range(20, 2000, int),
    "test_fraction": Range(0.1, 0.9), "depth": Range(0, 6, int), "width": Range(1, 64, int), "lr": Range(1e-5, 10.0),
    "l2": Range(0.0, 1.0), "batch_size": Range(1, 1024, int), "seed": Range(0, 2**31 - 1, int),
}
RANGES = {name: (r.lo, r.hi) for name, r in RULES.items() if isinstance(r, Range)}  # (low, high) of every number
CHOICES = {name: r.options for name, r in RULES.items() if isinstance(r, Choice)}


@dataclass(frozen=True)
class PlaygroundConfig(Config):
    """Everything that defines a playground run; validated on creation (ValueError with a clear message)."""
    RULES = RULES
    dataset: str = "moons"
    n_classes: int = 2
    noise: float = 0.1
    n_samples: int = 400
    test_fraction: float = 0.3
    depth: int = 2
    width: int = 8
    activation: str = "tanh"
    lr: float = 0.03
    l2: float = 0.0
    batch_size: int = 16
    optimizer: str = "sgd"
    seed: int = 0

    def validate(self) -> None:
        lo, hi = CLASS_RANGE[self.dataset]
        if not lo <= self.n_classes <= hi:
            only = f"exactly {lo}" if lo == hi else f"{lo} to {hi}"
            raise ValueError(f"{self.dataset} has {only} classes, got n_classes={self.n_classes}")

    @property
    def n_test(self) -> int:
        return max(1, round(self.n_samples * self.test_fraction))

    @property
    def n_train(self) -> int:
        return self.n_samples - self.n_test

    @classmethod
    def clamped(cls, **raw) -> tuple["PlaygroundConfig", list[str]]:
        """A valid config from untrusted values (e.g. URL parameters), and a message for each value changed.

        Unknown names are ignored, numbers are parsed and clipped into range, unknown choices fall back to the
        default, and n_classes is fitted to the dataset.
        """
        defaults, values, notes = cls(), {}, []
        known = {f.name for f in fields(cls)}
        for name in sorted(set(raw) - known):
            notes.append(f"ignored unknown setting {name!r}")
        for f in fields(cls):
            default = getattr(defaults, f.name)
            if f.name not in raw:
                values[f.name] = default
            elif f.name in CHOICES:
                value = str(raw[f.name]).strip().lower()
                if value not in CHOICES[f.name]:
                    notes.append(f"{f.name}={raw[f.name]!r} is not one of {', '.join(CHOICES[f.name])}; "
                                 f"using {default!r}")
                    value = default
                values[f.name] = value
            else:
                values[f.name] = _clip_number(f.name, raw[f.name], default, notes)
        lo, hi = CLASS_RANGE[values["dataset"]]
        if not lo <= values["n_classes"] <= hi:
            fitted = min(max(values["n_classes"], lo), hi)
            notes.append(f"{values['dataset']} supports {lo}..{hi} classes; using {fitted}")
            values["n_classes"] = fitted
        return cls(**values), notes


def _clip_number(name, raw, default, notes):
    rule = RULES[name]
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = float("nan")
    if not math.isfinite(value):
        notes.append(f"{name}={raw!r} is not a number; using {default!r}")
        return default
    clipped = rule.clip(value)
    if clipped != value:
        notes.append(f"{name}={raw!r} is outside {rule.lo:g}..{rule.hi:g} or not whole; using {clipped!r}")
    return clipped


def build_mlp(config: PlaygroundConfig, generator: torch.Generator) -> nn.Sequential:
    """2 → [width, activation] × depth → n_classes, initialised from `generator` (see `init.default_init_`)."""
    sizes = [2] + [config.width] * config.depth + [config.n_classes]
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < config.depth:
            layers.append(ACTIVATIONS[config.activation]())
    return default_init_(nn.Sequential(*layers), generator)


def update_rule_latex(config: PlaygroundConfig) -> str:
    """The parameter update for this config, as LaTeX for st.latex (η = lr, λ = L2 strength).

    L is loss_latex's cross-entropy; the L2 penalty enters here only, as λw added to the gradient of the weight
    matrices (biases get λ = 0), exactly as optim.py's _gradients does."""
    grad = r"g_t = \nabla_w L(w_{t-1})" + (r" + \lambda\, w_{t-1}" if config.l2 > 0 else "")
    numbers = rf"\eta = {config.lr:g}" + (rf",\ \lambda = {config.l2:g}" r"\ \text{(weights; 0 for biases)}"
                                          if config.l2 > 0 else "")
    if config.optimizer == "sgd":
        rule = [grad, r"w_t = w_{t-1} - \eta\, g_t"]
    else:
        b1, b2 = ADAM_BETAS
        rule = [
            grad,
            r"m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t",
            r"v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2",
            r"\hat m_t = m_t / (1 - \beta_1^t), \quad \hat v_t = v_t / (1 - \beta_2^t)",
            r"w_t = w_{t-1} - \eta\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)",
        ]
        numbers += rf",\ \beta_1 = {b1:g},\ \beta_2 = {b2:g},\ \epsilon = 10^{{-8}}"
    lines = [line.replace("=", "&=", 1) for line in rule]
    # the numbers under the rule, not beside it: beside Adam's four lines they ran past a narrow column's edge
    return r"\begin{gathered}\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned} \\ " + numbers + r"\end{gathered}"


def loss_latex(config: PlaygroundConfig) -> str:
    """The loss the trainer backpropagates, as LaTeX: the mean softmax cross-entropy over the minibatch.

    The L2 penalty is not part of it (the code never adds it to the loss): it enters once, in the update rule,
    as λw added to the weights' gradient (update_rule_latex). `config` is kept for a uniform signature."""
    del config
    return r"L = -\frac{1}{B} \sum_{i=1}^{B} \log \frac{e^{f_{y_i}(x_i)}}{\sum_{c} e^{f_c(x_i)}}"


class PlaygroundTrainer:
    """Train the playground MLP a few minibatch steps at a time; thread-safe (one lock around the model).

    `history` holds the full train and test loss/accuracy at step 0, every `eval_every` steps and at the end
    of every `step()` call.
    """

    def __init__(self, config: PlaygroundConfig, eval_every: int = 10):
        self.config = config
        self.eval_every = max(1, int(eval_every))
        X, y = make_dataset(config.dataset, config.n_samples, config.n_classes, config.noise, config.seed)
        n_test = config.n_test
        self.X_test, self.y_test = torch.from_numpy(X[:n_test]), torch.from_numpy(y[:n_test])
        self.X_train, self.y_train = torch.from_numpy(X[n_test:]), torch.from_numpy(y[n_test:])
        self._gen = torch_generator(config.seed, "order")
        self.model = build_mlp(config, torch_generator(config.seed, "init"))
        self.optimizer = self._make_optimizer()
        self.batch_size = min(config.batch_size, len(self.y_train))
        self._order, self._pos = torch.randperm(len(self.y_train), generator=self._gen), 0
        self.steps = 0
        self.history = {"step": [], "train_loss": [], "test_loss": [], "train_acc": [], "test_acc": []}
        self._lock = threading.Lock()
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = 0.1 * (hi - lo).max() + 0.1
        self.bounds = (float(lo[0] - pad), float(hi[0] + pad), float(lo[1] - pad), float(hi[1] + pad))
        with one_thread():
            self._record()

    def _make_optimizer(self) -> SGD | Adam:
        weights = [p for name, p in self.model.named_parameters() if name.endswith("weight")]
        biases = [p for name, p in self.model.named_parameters() if name.endswith("bias")]
        groups = [{"params": weights, "weight_decay": self.config.l2}, {"params": biases, "weight_decay": 0.0}]
        if self.config.optimizer == "adam":
            return Adam(groups, lr=self.config.lr, betas=ADAM_BETAS, eps=ADAM_EPS)
        return SGD(groups, lr=self.config.lr)

    def _next_batch(self) -> torch.Tensor:
        """Indices of the next minibatch: a fresh random permutation of the training set every epoch."""
        if self._pos + self.batch_size > len(self._order):
            self._order, self._pos = torch.randperm(len(self.y_train), generator=self._gen), 0
        idx = self._order[self._pos:self._pos + self.batch_size]
        self._pos += self.batch_size
        return idx

    def step(self, n: int = 1) -> dict:
        """Train `n` minibatch steps (0 ≤ n ≤ 100000); returns `state()`."""
        n = int(n)
        if not 0 <= n <= 100_000:
            raise ValueError(f"n must be between 0 and 100000, got {n}")
        with self._lock, one_thread():
            self.model.train()
            for _ in range(n):
                idx = self._next_batch()
                loss = nn.functional.cross_entropy(self.model(self.X_train[idx]), self.y_train[idx])
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
                self.steps += 1
                if self.steps % self.eval_every == 0:
                    self._record()
            if self.history["step"][-1] != self.steps:
                self._record()
        return self.state()

    @torch.no_grad()
    def _evaluate(self, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        logits = self.model(X)
        loss = nn.functional.cross_entropy(logits, y).item()
        acc = (logits.argmax(1) == y).float().mean().item()
        return (loss if math.isfinite(loss) else float("nan")), acc

    def _record(self):
        train_loss, train_acc = self._evaluate(self.X_train, self.y_train)
        test_loss, test_acc = self._evaluate(self.X_test, self.y_test)
        for key, value in zip(self.history, (self.steps, train_loss, test_loss, train_acc, test_acc), strict=True):
            self.history[key].append(value)

    def state(self) -> dict:
        """step, train_loss, test_loss, train_acc, test_acc (latest), history (dict of equal-length lists)."""
        with self._lock:
            h = self.history
            latest = {key: h[key][-1] for key in h}
            latest["diverged"] = not math.isfinite(latest["train_loss"])
            latest["history"] = {key: list(values) for key, values in h.items()}
        return latest

    @torch.no_grad()
    def decision_grid(self, res: int = 80) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """xs (res,), ys (res,), probs (res, res, n_classes) with probs[i, j] = softmax at (xs[j], ys[i]).

        Rows follow y and columns follow x, the layout a heatmap (e.g. Plotly's z) expects. The box is fixed
        for a run: the data's extent plus a margin, so the picture does not jump while training.
        """
        res = int(min(max(int(res), 2), 400))
        x0, x1, y0, y1 = self.bounds
        xs, ys = np.linspace(x0, x1, res, dtype=np.float32), np.linspace(y0, y1, res, dtype=np.float32)
        gx, gy = np.meshgrid(xs, ys)
        points = torch.from_numpy(np.c_[gx.ravel(), gy.ravel()])
        with self._lock, one_thread():
            self.model.eval()
            probs = torch.softmax(self.model(points), dim=1)
        return xs, ys, probs.reshape(res, res, -1).numpy()

    def update_rule_latex(self) -> str:
        return update_rule_latex(self.config)

    def loss_latex(self) -> str:
        return loss_latex(self.config)

    def data(self) -> dict[str, np.ndarray]:
        """The points, for plotting: X_train (n, 2), y_train (n,), X_test, y_test."""
        return {"X_train": self.X_train.numpy(), "y_train": self.y_train.numpy(),
                "X_test": self.X_test.numpy(), "y_test": self.y_test.numpy()}
