"""Section 1 of the "Deep learning" page: gradient steps that move the sliders, the chain rule with live numbers,
and a live check of the engine's gradients against torch.autograd.

The sliders are the state: "Take a gradient step" (a button callback, run before the script) writes the updated
parameters into the sliders' session state, so the graph, the URL and the sliders all show the stepped values.
The loss after each step is kept in a "trail" in session state; moving a slider by hand starts a new trail.
"""
import math

import streamlit as st
import torch

from explainer.deep_learning.graph import BUILDERS, MLP_DEFAULTS, NEURON_DEFAULTS, Graph, gradient_step
from explainer.ui.deep_learning.params import graph_sliders, slider_range

TRAIL = "dl:backprop:trail"  # {"expr", "origin": numbers before the first step, "numbers": after the last, "losses"}
DEFAULTS = {"neuron": NEURON_DEFAULTS, "mlp": MLP_DEFAULTS}


def current_numbers(url, expr: str) -> dict[str, float]:
    """The graph's numbers as the sliders hold them (read from session state: usable inside a callback)."""
    return {name: float(url.widget_value(key)) for key, name, _ in graph_sliders(expr)}


def trail(expr: str, numbers: dict[str, float]) -> dict | None:
    """The steps taken so far, if the sliders still hold the numbers the last step left (else None)."""
    t = st.session_state.get(TRAIL)
    if not t or t["expr"] != expr or set(t["numbers"]) != set(numbers):
        return None
    if any(not math.isclose(t["numbers"][k], v, rel_tol=0, abs_tol=1e-9) for k, v in numbers.items()):
        return None
    return t


def _set_sliders(url, expr: str, numbers: dict[str, float]) -> None:
    for key, name, _ in graph_sliders(expr):
        url.set_widget_value(key, numbers[name])


def on_step(url, expr: str, eta: float, n: int = 1) -> None:
    """Button callback: n steps of p ← p − η·∂L/∂p on the parameters, written back into the sliders."""
    numbers = current_numbers(url, expr)
    t = trail(expr, numbers)
    graph = BUILDERS[expr](**numbers)
    if t is None:
        t = {"expr": expr, "origin": dict(numbers), "losses": [graph.loss.data], "clamped": False}
    for _ in range(n):
        gradient_step(graph, eta)
        stepped = graph.numbers()
        for name in graph.param_names:  # keep parameters inside the sliders' range
            lo, hi = slider_range(name)
            if not lo <= stepped[name] <= hi:
                stepped[name] = min(max(stepped[name], lo), hi)
                t["clamped"] = True
        graph = BUILDERS[expr](**stepped)
        t["losses"].append(graph.loss.data)
    t["numbers"] = graph.numbers()
    _set_sliders(url, expr, t["numbers"])
    st.session_state[TRAIL] = t


def on_reset(url, expr: str) -> None:
    """Button callback: back to the values before the first step, or to the defaults if no step was taken."""
    t = trail(expr, current_numbers(url, expr))
    _set_sliders(url, expr, t["origin"] if t else DEFAULTS[expr])
    st.session_state.pop(TRAIL, None)


def _n(x: float) -> str:
    """A number for a formula: parenthesised when negative."""
    return f"{x:.4f}" if x >= 0 else f"({x:.4f})"


def node(graph: Graph, label: str):
    """The node of `graph` with this label."""
    return next(v for v in graph.nodes() if v.label == label)


def chain_rule_latex(graph: Graph, expr: str) -> tuple[str, float]:
    """(the chain rule for one weight as a 3-line LaTeX block: local derivatives, their formulas, this graph's
    numbers; the resulting value) for w₁ of the neuron or w₁₁ of the 2-layer network."""
    v = graph.leaves
    o, y, x1 = node(graph, "o").data, v["y"].data, v["x1"].data
    if expr == "neuron":
        chain = (r"\frac{\partial L}{\partial w_1} &= \frac{\partial L}{\partial o}\cdot\frac{\partial o}{\partial n}"
                 r"\cdot\frac{\partial n}{\partial w_1}")
        formula = r"&= 2\,(o - y)\cdot(1 - o^2)\cdot x_1"
        value = 2 * (o - y) * (1 - o ** 2) * x1
        numbers = rf"&= 2\,({_n(o)} - {_n(y)})\cdot(1 - {_n(o)}^2)\cdot {_n(x1)} \\ &= {value:.4f}"
    else:
        h1, v1 = node(graph, "h1").data, v["v1"].data
        chain = (r"\frac{\partial L}{\partial w_{11}} &= \frac{\partial L}{\partial o}\cdot"
                 r"\frac{\partial o}{\partial n_3}\cdot\frac{\partial n_3}{\partial h_1}\cdot"
                 r"\frac{\partial h_1}{\partial n_1}\cdot\frac{\partial n_1}{\partial w_{11}}")
        formula = r"&= 2\,(o - y)\cdot(1 - o^2)\cdot v_1\cdot(1 - h_1^2)\cdot x_1"
        value = 2 * (o - y) * (1 - o ** 2) * v1 * (1 - h1 ** 2) * x1
        numbers = (rf"&= 2\,({_n(o)} - {_n(y)})\cdot(1 - {_n(o)}^2) \\ &\quad\cdot {_n(v1)}"
                   rf"\cdot(1 - {_n(h1)}^2)\cdot {_n(x1)} \\ &= {value:.4f}")
    return r"\begin{aligned}" + r" \\ ".join((chain, formula, numbers)) + r"\end{aligned}", value


def expression_latex(expr: str) -> str:
    if expr == "neuron":
        return r"n = w_1 x_1 + w_2 x_2 + b,\qquad o = \tanh(n),\qquad L = (o - y)^2"
    return (r"h_i = \tanh(\underbrace{w_{i1} x_1 + w_{i2} x_2 + b_i}_{n_i}),\quad "
            r"o = \tanh(\underbrace{v_1 h_1 + v_2 h_2 + c}_{n_3}),\quad L = (o - y)^2")


def torch_gradients(expr: str, numbers: dict[str, float]) -> dict[str, float]:
    """∂L/∂leaf for every named leaf, computed by torch.autograd in float64 on the same expression."""
    t = {k: torch.tensor(float(x), dtype=torch.float64, requires_grad=True) for k, x in numbers.items()}
    if expr == "neuron":
        o = torch.tanh(t["x1"] * t["w1"] + t["x2"] * t["w2"] + t["b"])
    else:
        h1 = torch.tanh(t["w11"] * t["x1"] + t["w12"] * t["x2"] + t["b1"])
        h2 = torch.tanh(t["w21"] * t["x1"] + t["w22"] * t["x2"] + t["b2"])
        o = torch.tanh(t["v1"] * h1 + t["v2"] * h2 + t["c"])
    ((o - t["y"]) ** 2).backward()
    return {k: float(x.grad) for k, x in t.items()}


def max_gradient_gap(graph: Graph, expr: str) -> float:
    """The largest |engine gradient − torch gradient| over every named leaf."""
    ours, theirs = graph.grads(), torch_gradients(expr, graph.numbers())
    return max(abs(ours[k] - theirs[k]) for k in ours)
