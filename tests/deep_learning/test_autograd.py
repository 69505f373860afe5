"""The scalar autograd engine and its graphs, checked against torch.autograd in float64."""
import math

import pytest
import torch

from explainer.deep_learning.autograd import Value, topological_order
from explainer.deep_learning.graph import MLP_DEFAULTS, NEURON_DEFAULTS, gradient_step, neuron, tiny_mlp, to_dot


def micrograd_sanity(x, y, z):
    a = 2 * x + 2 + x
    q = a.relu() + a * x
    h = (a * a).relu()
    return h + q + q * x + 0 * y + 0 * z


def micrograd_more_ops(a, b, _):
    c = a + b
    d = a * b + b ** 3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    return g + 10.0 / f


def smooth_ops(a, b, c):
    return (a * b).tanh() + (a.exp() / (1 + b.exp())).log() + (c - a).sigmoid() * b ** -1 - 3 / (c * c + 1)


def reuse_and_relu(a, b, c):
    s = a * a + a  # a used three times: gradients must accumulate
    return (s - b).relu() + (b - s).relu() * c + (1 - c) / b


def sigmoid_extremes(a, b, c):
    return (a * 40).sigmoid() + (b * -40).sigmoid() + c.sigmoid().log()


EXPRESSIONS = [micrograd_sanity, micrograd_more_ops, smooth_ops, reuse_and_relu, sigmoid_extremes]
POINTS = [(-4.0, 2.0, 0.5), (0.3, -1.7, 2.2), (1.5, 0.8, -0.6)]


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("point", POINTS)
def test_values_and_gradients_match_torch(expr, point):
    ours = [Value(v, label=n) for v, n in zip(point, "abc", strict=True)]
    out = expr(*ours)
    out.backward()
    theirs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point]
    ref = expr(*theirs)
    ref.backward()
    assert out.data == pytest.approx(ref.item(), rel=1e-10, abs=1e-10)
    for v, t in zip(ours, theirs, strict=True):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert v.grad == pytest.approx(expected, rel=1e-9, abs=1e-10)


def torch_graph(numbers, build):
    leaves = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in numbers.items()}
    build(leaves).backward()
    return {k: t.grad.item() for k, t in leaves.items()}


def torch_neuron(t):
    o = torch.tanh(t["x1"] * t["w1"] + t["x2"] * t["w2"] + t["b"])
    return (o - t["y"]) ** 2


def torch_mlp(t):
    h1 = torch.tanh(t["w11"] * t["x1"] + t["w12"] * t["x2"] + t["b1"])
    h2 = torch.tanh(t["w21"] * t["x1"] + t["w22"] * t["x2"] + t["b2"])
    o = torch.tanh(t["v1"] * h1 + t["v2"] * h2 + t["c"])
    return (o - t["y"]) ** 2


@pytest.mark.parametrize("build, ref, defaults", [(neuron, torch_neuron, NEURON_DEFAULTS),
                                                  (tiny_mlp, torch_mlp, MLP_DEFAULTS)])
@pytest.mark.parametrize("shift", [0.0, 0.37, -1.1])
def test_graph_gradients_match_torch(build, ref, defaults, shift):
    numbers = {k: v + shift * (i % 3 - 1) for i, (k, v) in enumerate(defaults.items())}
    graph = build(**numbers)
    expected = torch_graph(numbers, ref)
    for name, grad in graph.grads().items():
        assert grad == pytest.approx(expected[name], rel=1e-9, abs=1e-12), name


def test_micrograd_neuron_example():
    g = neuron()
    o = next(v for v in g.nodes() if v.label == "o")
    assert o.data == pytest.approx(math.sqrt(0.5), abs=1e-9)  # tanh(0.8814) = 1/√2


def test_backward_twice_gives_the_same_gradients():
    a, b = Value(1.5), Value(-2.0)
    out = (a * b).tanh() + a
    out.backward()
    first = (a.grad, b.grad)
    out.backward()
    assert (a.grad, b.grad) == first


def test_long_chain_does_not_hit_the_recursion_limit():
    x = Value(1.0, label="x")
    y = x
    for _ in range(5000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == pytest.approx(1.0)
    assert topological_order(y)[-1] is y


@pytest.mark.parametrize("build", [neuron, tiny_mlp])
def test_dot_shows_every_value_and_gradient(build):
    graph = build()
    dot = to_dot(graph)
    assert dot.startswith("digraph") and "rankdir=LR" in dot and dot.rstrip().endswith("}")
    for v in graph.nodes():
        assert f"value {v.data:.4f}" in dot and f"grad {v.grad:.4f}" in dot
        if v.label:
            assert v.label in dot
    n_ops = sum(1 for v in graph.nodes() if v._op)
    assert dot.count("shape=circle") == n_ops
    assert dot.count("shape=record") == len(graph.nodes())
    assert to_dot(build()) == dot  # same expression, same text


def test_gradient_step_lowers_the_loss_and_updates_parameters():
    for build in (neuron, tiny_mlp):
        graph = build()
        before_loss, before = graph.loss.data, graph.numbers()
        grads = graph.grads()
        after_loss = gradient_step(graph, 0.05)
        assert after_loss < before_loss
        assert after_loss == graph.loss.data
        for name in graph.param_names:
            assert graph.numbers()[name] == pytest.approx(before[name] - 0.05 * grads[name])
        for name in set(before) - set(graph.param_names):
            assert graph.numbers()[name] == before[name]  # inputs and target do not move
        losses = [gradient_step(graph, 0.05) for _ in range(20)]
        assert losses[-1] < after_loss


@pytest.mark.parametrize("bad", [{"x1": float("nan")}, {"w1": float("inf")}, {"w1": "3"}, {"nope": 1.0}])
def test_builders_reject_bad_numbers(bad):
    with pytest.raises(ValueError):
        neuron(**bad)


def test_gradient_step_rejects_bad_learning_rate():
    with pytest.raises(ValueError):
        gradient_step(neuron(), float("nan"))


def test_builders_accept_numpy_numbers():
    import numpy as np

    assert neuron(w1=np.float32(0.5), x1=np.int64(1)).numbers()["w1"] == 0.5


@pytest.mark.parametrize("build", [neuron, tiny_mlp])
def test_the_compact_dot_folds_unlabelled_intermediates_and_keeps_every_labelled_number(build):
    graph = build()
    dot = to_dot(graph, op_nodes=False)
    shown = [v for v in graph.nodes() if v.label]
    assert dot.count("shape=record") == len(shown) and "shape=circle" not in dot
    for v in shown:
        assert f"value {v.data:.4f}" in dot and f"grad {v.grad:.4f}" in dot
    assert "tanh → o" in dot and "square → L" in dot
