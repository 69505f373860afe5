"""The playground: config validation, determinism, learning, decision grid, update rule."""
import math

import numpy as np
import pytest
import torch

from explainer.deep_learning.playground import PlaygroundConfig, PlaygroundTrainer


def test_same_config_same_numbers():
    config = PlaygroundConfig(dataset="spiral", n_classes=3, optimizer="adam", lr=0.01, l2=1e-3, seed=7)
    a, b = PlaygroundTrainer(config), PlaygroundTrainer(config)
    sa, sb = a.step(60), b.step(60)
    assert sa == sb
    assert np.array_equal(a.decision_grid(20)[2], b.decision_grid(20)[2])
    other = PlaygroundTrainer(PlaygroundConfig(dataset="spiral", n_classes=3, optimizer="adam", lr=0.01, l2=1e-3,
                                               seed=8)).step(60)
    assert other["train_loss"] != sa["train_loss"]


def test_loss_decreases_on_moons():
    trainer = PlaygroundTrainer(PlaygroundConfig(dataset="moons", lr=0.1, seed=0))
    start = trainer.state()
    end = trainer.step(400)
    assert end["step"] == 400
    assert end["train_loss"] < 0.5 * start["train_loss"]
    assert end["test_acc"] > 0.9
    h = end["history"]
    assert h["step"][0] == 0 and h["step"][-1] == 400
    assert len({len(v) for v in h.values()}) == 1  # all history lists have the same length


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "gelu"])
def test_every_activation_and_optimiser_learns_blobs(activation, optimizer):
    lr = 0.01 if optimizer == "adam" else 0.3
    config = PlaygroundConfig(dataset="blobs", n_classes=4, activation=activation, optimizer=optimizer, lr=lr,
                              width=8, depth=2, l2=1e-4)
    state = PlaygroundTrainer(config).step(400)  # sigmoid with SGD leaves its plateau between 200 and 400
    assert math.isfinite(state["train_loss"]) and state["train_acc"] > 0.5 and not state["diverged"]


def test_depth_zero_is_a_linear_classifier():
    trainer = PlaygroundTrainer(PlaygroundConfig(depth=0, width=1))
    assert sum(p.numel() for p in trainer.model.parameters()) == 2 * 2 + 2
    trainer.step(10)


def test_decision_grid():
    trainer = PlaygroundTrainer(PlaygroundConfig(dataset="circles", n_classes=3))
    xs, ys, probs = trainer.decision_grid(30)
    assert xs.shape == (30,) and ys.shape == (30,) and probs.shape == (30, 30, 3)
    assert np.allclose(probs.sum(-1), 1, atol=1e-5)
    assert xs[0] < trainer.X_train[:, 0].min() and ys[-1] > trainer.X_train[:, 1].max()
    assert trainer.decision_grid(10**6)[2].shape[0] == 400  # clamped
    assert trainer.decision_grid(-5)[2].shape[0] == 2


def test_update_rule_latex():
    sgd = PlaygroundTrainer(PlaygroundConfig(optimizer="sgd", l2=0.01)).update_rule_latex()
    assert r"\eta" in sgd and r"\lambda" in sgd and r"\hat m" not in sgd
    adam = PlaygroundTrainer(PlaygroundConfig(optimizer="adam", l2=0.0)).update_rule_latex()
    assert r"\hat m_t" in adam and r"\beta_1" in adam and r"\lambda" not in adam


def test_the_l2_penalty_enters_once_as_in_the_optimiser():
    """optim.py adds λw to the weights' gradient of the cross-entropy; the loss itself has no L2 term. The page's
    formulas say the same: the loss is the cross-entropy alone and the update adds λw once, to weights only."""
    for optimizer in ("sgd", "adam"):
        trainer = PlaygroundTrainer(PlaygroundConfig(optimizer=optimizer, l2=0.05))
        assert r"\lambda" not in trainer.loss_latex()
        rule = trainer.update_rule_latex()
        assert rule.count(r"\lambda\, w") == 1 and "0 for biases" in rule
    # the code: one SGD step with λ moves a weight by η(∇CE + λw), a bias by η∇CE
    trainer = PlaygroundTrainer(PlaygroundConfig(optimizer="sgd", l2=0.05, lr=0.1))
    before = [p.detach().clone() for p in trainer.model.parameters()]
    idx = trainer._order[:trainer.batch_size]
    trainer.model.zero_grad()
    torch.nn.functional.cross_entropy(trainer.model(trainer.X_train[idx]), trainer.y_train[idx]).backward()
    grads = [p.grad.clone() for p in trainer.model.parameters()]
    trainer.step(1)
    for (name, p), w, g in zip(trainer.model.named_parameters(), before, grads, strict=True):
        expected = w - 0.1 * (g + (0.05 * w if name.endswith("weight") else 0))
        torch.testing.assert_close(p.detach(), expected)


@pytest.mark.parametrize("bad", [
    {"depth": 7}, {"depth": -1}, {"depth": 2.5}, {"width": 0}, {"width": 65}, {"lr": 0.0}, {"lr": float("nan")},
    {"lr": float("inf")}, {"lr": "0.1"}, {"l2": -1.0}, {"batch_size": 0}, {"batch_size": True},
    {"activation": "swish"}, {"optimizer": "rmsprop"}, {"dataset": "mnist"}, {"dataset": "moons", "n_classes": 3},
    {"dataset": "xor", "n_classes": 4}, {"dataset": "spiral", "n_classes": 9}, {"seed": -1}, {"noise": 2.0},
    {"n_samples": 10**9}, {"test_fraction": 1.0}, {"activation": None},
])
def test_config_rejects_hostile_values(bad):
    with pytest.raises(ValueError):
        PlaygroundConfig(**bad)


def test_clamped_turns_hostile_values_into_a_valid_config():
    raw = {"dataset": "SPIRAL", "n_classes": "99", "lr": "nan", "width": "1e9", "depth": "-3", "seed": "abc",
           "batch_size": "0", "activation": "<script>", "l2": "-inf", "noise": "0.2", "evil": "1"}
    config, notes = PlaygroundConfig.clamped(**raw)
    assert config.dataset == "spiral" and config.n_classes == 5 and config.width == 64 and config.depth == 0
    assert config.lr == PlaygroundConfig().lr and config.activation == PlaygroundConfig().activation
    assert config.batch_size == 1 and config.noise == 0.2 and config.seed == 0
    assert len(notes) >= 8 and any("evil" in n for n in notes)
    moons, notes = PlaygroundConfig.clamped(dataset="moons", n_classes="4")
    assert moons.n_classes == 2 and notes
    same, notes = PlaygroundConfig.clamped(**PlaygroundConfig(seed=5).to_dict())
    assert same == PlaygroundConfig(seed=5) and notes == []


def test_step_rejects_silly_counts():
    trainer = PlaygroundTrainer(PlaygroundConfig())
    with pytest.raises(ValueError):
        trainer.step(-1)
    assert trainer.step(0)["step"] == 0


def test_batch_larger_than_the_training_set_is_full_batch():
    trainer = PlaygroundTrainer(PlaygroundConfig(n_samples=40, batch_size=1024))
    assert trainer.batch_size == len(trainer.y_train)
    trainer.step(3)


def test_huge_learning_rate_is_reported_not_raised():
    trainer = PlaygroundTrainer(PlaygroundConfig(lr=10.0, activation="relu", width=64, depth=6, optimizer="sgd"))
    state = trainer.step(50)
    assert isinstance(state["diverged"], bool)
    trainer.decision_grid(10)


def test_the_spiral_needs_hidden_units():
    """The playground's spiral lesson: no straight line separates its arms (a network with no hidden layer stays
    near chance even on its training points), a small hidden network does."""
    def trained(depth):
        config = PlaygroundConfig(dataset="spiral", n_classes=2, depth=depth, width=16, activation="relu",
                                  optimizer="adam", lr=0.01, noise=0.05)
        return PlaygroundTrainer(config).step(2000)

    linear, hidden = trained(0), trained(2)
    assert linear["train_acc"] < 0.7 and linear["test_acc"] < 0.7
    assert hidden["train_acc"] > 0.95 and hidden["test_acc"] > 0.9
