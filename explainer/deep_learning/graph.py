"""Tiny expressions built on `autograd.Value`, drawn as Graphviz DOT text, and one step of gradient descent.

Two builders, each returning a `Graph` whose `loss` has already been backpropagated:

- `neuron`: o = tanh(w1·x1 + w2·x2 + b),  L = (o − y)²
- `tiny_mlp`: a 2-2-1 network, h_i = tanh(w_i1·x1 + w_i2·x2 + b_i),  o = tanh(v1·h1 + v2·h2 + c),  L = (o − y)²

`to_dot(graph)` gives a plain DOT string for `st.graphviz_chart` in the style of micrograd's `draw_dot`: one
record per value showing its label, value and gradient, one small circle per operation, left to right.
`gradient_step(graph, lr)` moves every parameter against its gradient, p ← p − η·∂L/∂p, and recomputes the loss.
"""
import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real

from explainer.deep_learning.autograd import Value, topological_order

# the example neuron of the micrograd lecture (Neural Networks: Zero to Hero):
# tanh(2·(−3) + 0·1 + 6.8813735870195432) = tanh(0.8814) ≈ 0.7071 = 1/√2
NEURON_DEFAULTS = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432, "y": 1.0}
NEURON_PARAMS = ("w1", "w2", "b")

MLP_DEFAULTS = {
    "x1": 1.0, "x2": -0.5, "y": 1.0,
    "w11": 0.5, "w12": -0.8, "b1": 0.1,   # hidden unit 1
    "w21": -0.4, "w22": 0.9, "b2": -0.2,  # hidden unit 2
    "v1": 0.7, "v2": -0.6, "c": 0.05,     # output unit
}
MLP_PARAMS = ("w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "c")


@dataclass
class Graph:
    """A built expression: its loss node, its named leaves, and how to rebuild it from numbers."""
    loss: Value
    leaves: dict[str, Value]  # every named input, parameter and target
    param_names: tuple[str, ...]  # the leaves that gradient descent updates
    build: Callable[..., "Graph"]  # build(**numbers) -> Graph, e.g. `neuron`

    @property
    def params(self) -> dict[str, Value]:
        return {name: self.leaves[name] for name in self.param_names}

    def numbers(self) -> dict[str, float]:
        """The current number in every named leaf: enough to rebuild the graph (or to put in a URL)."""
        return {name: v.data for name, v in self.leaves.items()}

    def grads(self) -> dict[str, float]:
        """∂L/∂leaf for every named leaf."""
        return {name: v.grad for name, v in self.leaves.items()}

    def nodes(self) -> list[Value]:
        """Every node, inputs first and the loss last."""
        return topological_order(self.loss)


def _leaves(numbers: dict[str, float], defaults: dict[str, float]) -> dict[str, Value]:
    unknown = set(numbers) - set(defaults)
    if unknown:
        raise ValueError(f"unknown names {sorted(unknown)}; expected some of {sorted(defaults)}")
    merged = {**defaults, **numbers}
    for name, x in merged.items():
        if isinstance(x, bool) or not isinstance(x, Real) or not math.isfinite(x):
            raise ValueError(f"{name} must be a finite number, got {x!r}")
    return {name: Value(merged[name], label=name) for name in defaults}


def _named(v: Value, label: str) -> Value:
    v.label = label
    return v


def neuron(**numbers: float) -> Graph:
    """One tanh neuron with a squared-error loss; any of x1, x2, w1, w2, b, y may be given (defaults above)."""
    leaf = _leaves(numbers, NEURON_DEFAULTS)
    x1, x2, w1, w2, b, y = (leaf[k] for k in ("x1", "x2", "w1", "w2", "b", "y"))
    x1w1 = _named(x1 * w1, "x1·w1")
    x2w2 = _named(x2 * w2, "x2·w2")
    n = _named(_named(x1w1 + x2w2, "x1·w1 + x2·w2") + b, "n")
    o = _named(n.tanh(), "o")
    loss = _named(_named(o - y, "o − y") ** 2, "L")
    loss.backward()
    return Graph(loss, leaf, NEURON_PARAMS, neuron)


def tiny_mlp(**numbers: float) -> Graph:
    """A 2-2-1 tanh network with a squared-error loss; any name in MLP_DEFAULTS may be given."""
    leaf = _leaves(numbers, MLP_DEFAULTS)
    x1, x2 = leaf["x1"], leaf["x2"]
    n1 = _named(leaf["w11"] * x1 + leaf["w12"] * x2 + leaf["b1"], "n1")
    h1 = _named(n1.tanh(), "h1")
    n2 = _named(leaf["w21"] * x1 + leaf["w22"] * x2 + leaf["b2"], "n2")
    h2 = _named(n2.tanh(), "h2")
    n3 = _named(leaf["v1"] * h1 + leaf["v2"] * h2 + leaf["c"], "n3")
    o = _named(n3.tanh(), "o")
    loss = _named(_named(o - leaf["y"], "o − y") ** 2, "L")
    loss.backward()
    return Graph(loss, leaf, MLP_PARAMS, tiny_mlp)


BUILDERS = {"neuron": neuron, "mlp": tiny_mlp}


def gradient_step(graph: Graph, lr: float) -> float:
    """One step of gradient descent on the parameters, p ← p − η·∂L/∂p; returns the new loss.

    The graph is updated in place: its leaves hold the new numbers, and `graph.loss` is the new loss node,
    already backpropagated, so `to_dot(graph)` shows the new values and gradients.
    """
    if isinstance(lr, bool) or not isinstance(lr, Real) or not math.isfinite(lr):
        raise ValueError(f"lr must be a finite number, got {lr!r}")
    graph.loss.backward()  # make sure the gradients belong to the current numbers
    numbers = graph.numbers()
    for name, p in graph.params.items():
        numbers[name] = p.data - lr * p.grad
    fresh = graph.build(**numbers)
    graph.loss, graph.leaves = fresh.loss, fresh.leaves
    return graph.loss.data


def _escape(text: str) -> str:
    """Escape the characters that are special inside a DOT record label."""
    for ch in '\\{}|<>"':
        text = text.replace(ch, "\\" + ch)
    return text


def _named_inputs(v: Value) -> tuple[list[Value], set[str]]:
    """The nearest labelled values `v` is computed from, looking through unlabelled intermediates, and the
    operations of the intermediates looked through."""
    inputs, ops = [], set()
    for child in v._prev:
        if child.label or not child._op:
            inputs.append(child)
        else:
            more, more_ops = _named_inputs(child)
            inputs += [x for x in more if x not in inputs]
            ops |= {child._op} | more_ops
    return inputs, ops


def to_dot(graph: Graph, digits: int = 4, op_nodes: bool = True) -> str:
    """Graphviz DOT text: a record `label | value | grad` per value, a small circle per operation, rankdir=LR.

    Parameters are filled yellow and the loss is drawn bold. Node ids follow the topological order, so the
    same expression always gives the same text. Without `op_nodes` the graph is drawn compact, to keep its text
    large at a page's width: each operation is written into the record of the value it makes ("tanh → o"),
    and unlabelled intermediates (the products and partial sums inside n1 = w11·x1 + w12·x2 + b1) are folded
    into the labelled value they feed, a weighted sum shown as "Σ → n1".
    """
    nodes = graph.nodes()
    if not op_nodes:
        nodes = [v for v in nodes if v.label or not v._op]
    ids = {id(v): f"n{i}" for i, v in enumerate(nodes)}
    params = {id(v) for v in graph.params.values()}
    lines = [
        "digraph G {",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", fontsize=11];',
    ]
    for v in nodes:
        nid = ids[id(v)]
        name = v.label
        if v._op and not op_nodes:
            inputs, folded = _named_inputs(v)
            op = "Σ" if folded and folded | {v._op} <= {"+", "*"} else v._op
            shown = {"**2": "square"}.get(op, op)
            # e.g. "tanh → o"; a label that spells its operation ("o − y", "x1·w1") says it already
            name = v.label if any(c in v.label for c in "·+−") else f"{shown} → {v.label}"
        fields = ([name] if name else []) + [f"value {v.data:.{digits}f}", f"grad {v.grad:.{digits}f}"]
        text = " | ".join(_escape(f) for f in fields)
        style = ' style=filled fillcolor="#fde68a"' if id(v) in params else ""
        if v is graph.loss:
            style = ' style="bold"'
        lines.append(f'  {nid} [shape=record label="{{ {text} }}"{style}];')
        if v._op and not op_nodes:
            lines.extend(f"  {ids[id(child)]} -> {nid};" for child in inputs)
        elif v._op:
            lines.append(f'  {nid}_op [shape=circle width=0.3 margin=0.02 fontsize=10 label="{_escape(v._op)}"];')
            lines.append(f"  {nid}_op -> {nid};")
            for child in v._prev:
                lines.append(f"  {ids[id(child)]} -> {nid}_op;")
    lines.append("}")
    return "\n".join(lines)
