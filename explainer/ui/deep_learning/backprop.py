"""Section ① of the "Deep learning" page: gradient steps that move the sliders, the chain rule with live numbers,
and a live check of the engine's gradients against torch.autograd.

The sliders are the state: "Take a gradient step" (a button callback, run before the script) writes the updated
parameters into the sliders' session state, so the graph, the URL and the sliders all show the stepped values.
The loss after each step is kept in a "trail" in session state; moving a slider by hand starts a new trail.
"""
import math

import streamlit as st
import torch

from explainer.deep_learning.graph import BUILDERS, MLP_DEFAULTS, NEURON_DEFAULTS, Graph, gradient_step, to_dot
from explainer.ui import charts, presenter
from explainer.ui.deep_learning import plots
from explainer.ui.deep_learning.params import (
    ETAS,
    EXPRESSIONS,
    GROUPS,
    graph_sliders,
    slider_range,
)

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


def learn(url, expr: str, graph: Graph, steps: dict | None, where, across: bool = False) -> float:
    """The step buttons and the loss, stacked in `where`, or side by side in one row under a slide's graph;
    returns the learning rate chosen."""
    slots = where.columns([1.3, 1.2, 0.7, 0.7, 1.4], vertical_alignment="bottom") if across else [where] * 5
    if not across:
        where.markdown("**Learn**")
    with slots[0]:
        eta = url.widget(st.select_slider, "eta", "Learning rate η", options=ETAS)
    slots[1].button("Take a gradient step", type="primary", icon=":material/trending_down:", width="stretch",
                    on_click=on_step, args=(url, expr, eta, 1), key="dl:bp:step")
    more = slots[2:4] if across else where.columns(2)
    more[0].button("10 steps", width="stretch", help="Ten gradient steps in a row.",
                   on_click=on_step, args=(url, expr, eta, 10), key="dl:bp:step10")
    more[1].button("Reset", width="stretch", on_click=on_reset, args=(url, expr), key="dl:bp:reset",
                   help="Back to the values before your first step (or to the defaults if you took none).")
    with slots[4]:
        loss = graph.loss.data
        if steps and len(steps["losses"]) > 1:
            before = steps["losses"][-2]
            st.metric("Loss L (after the last step)", f"{loss:.4f}", delta=f"{loss - before:+.4f} (was {before:.4f})",
                      delta_color="inverse", chart_data=steps["losses"], chart_type="line",
                      help="The sparkline is the loss after each step you took.")
            st.caption(f"{len(steps['losses']) - 1} step{'s' if len(steps['losses']) > 2 else ''} taken: "
                       f"L went {steps['losses'][0]:.4f} → {loss:.4f}.")
            if steps.get("clamped"):
                st.caption("A parameter reached the end of its slider and was held there.")
        else:
            st.metric("Loss L", f"{loss:.4f}", help="Take a step to see it drop.")
    return eta


def render(url) -> None:
    """Section ①: a neuron (or a 2-2-1 network) as a graph of values and gradients, stepped by hand."""
    st.header("A neuron and backprop")
    presenter.prose(
        """
A neuron adds up its inputs, each multiplied by a weight, plus a bias, and squashes the sum with tanh. The loss
$L = (o - y)^2$ says how far its output $o$ is from the target $y$. Every box in the graph below is one number of
that computation: its **value** (the forward pass, from the inputs to the loss) and its **grad**,
$\\partial L/\\partial$ that number (the backward pass, from the loss back to the inputs). Backpropagation is the
chain rule applied one operation at a time: each operation only needs its own local derivative. A `+` passes the
gradient through unchanged, a `*` multiplies it by the *other* factor, `tanh` multiplies it by $1 - o^2$. The
yellow boxes are the parameters; a gradient step moves each one against its gradient,
$p \\leftarrow p - \\eta\\, \\partial L/\\partial p$, and the loss drops.

The engine is a scalar autograd in the style of Karpathy's *micrograd*. As his post *Yes you should understand
backprop* argues, knowing how gradients flow explains failures: set the target $y = -1$ and the bias $b = 10$, and
the neuron is far from its target yet barely learns, because a saturated tanh ($o \\approx 1$) has a local
gradient $1 - o^2 \\approx 0$ that shrinks every gradient behind it.
""",
        label="How to read the graph",
    )
    expr = url.widget(st.segmented_control, "expr", "Expression", format_func=EXPRESSIONS.get, required=True)
    groups = GROUPS[expr]
    wide = presenter.is_on() and expr == "mlp"  # the 2-2-1 graph needs the slide's width to be read
    if wide:  # one slide: the graph across it, one row per box; under it the step buttons, the numbers folded
        picture, steps_row = st.container(), st.container()
        with presenter.folded("The network's numbers"):
            columns = [*st.columns(len(groups), gap="small"), steps_row]
    elif presenter.is_on():  # one slide: the knobs in a narrow column (two abreast), the graph beside them
        knobs, picture = st.columns([1, 2.6], gap="medium")
        with knobs:
            pairs = st.columns(2, gap="small")
        columns = [pairs[i % 2] for i in range(len(groups))] + [knobs]
    else:  # the knobs in a row across the page, the graph below them at the page's width (above them on a phone)
        both = presenter.demo_first("backprop")
        columns, picture = both.columns([1] * len(groups) + [1.25], gap="medium"), both.container()
    numbers = {}
    for column, (title, sliders) in zip(columns, groups.items(), strict=False):
        with column:
            st.markdown(f"**{title}**")
            for key, name, label in sliders:
                numbers[name] = url.widget(st.slider, key, label, step=0.01, format="%.3f")
    graph = BUILDERS[expr](**numbers)
    steps = trail(expr, numbers)
    eta = learn(url, expr, graph, steps, columns[-1], across=wide)
    picture.latex(expression_latex(expr))
    font = 14
    caption = ("Each box: the name of a number (after the operation that made it: tanh → o), its **value** and its "
               "**grad** ∂L/∂(that number); Σ is a weighted sum (its products and partial sums folded into one box); "
               "yellow boxes are the parameters a step changes.")
    if wide:
        font = 20
        caption = ("Each box: the name of a number, its value, and after ∂ its grad ∂L/∂(that number); Σ is a "
                   "weighted sum; yellow boxes are the parameters a step changes.")
    dot = to_dot(graph, digits=3 if wide else 4, op_nodes=False)
    charts.graph(plots.readable_dot(dot, font, one_row=wide), font, container=picture)
    picture.caption(caption)
    left, right = st.columns([1.4, 1], gap="large")
    with left:
        st.markdown("**The chain rule, for one weight**")
        chain, value = chain_rule_latex(graph, expr)
        st.latex(chain)
        weight = "w1" if expr == "neuron" else "w11"
        st.caption(f"…the same number as the grad of `{weight}` in the graph ({graph.leaves[weight].grad:.4f}).")
    with right:
        st.markdown("**Each parameter's next step**")
        st.dataframe(
            [{"parameter": name, "value": p.data, "∂L/∂p": p.grad, "−η·∂L/∂p": -eta * p.grad}
             for name, p in graph.params.items()],
            hide_index=True, width="stretch",
            column_config={c: st.column_config.NumberColumn(format="%.4f") for c in ("value", "∂L/∂p", "−η·∂L/∂p")})
        gap = max_gradient_gap(graph, expr)
        st.caption(f":material/check_circle: Every gradient above matches PyTorch's `torch.autograd` on the same "
                   f"expression (largest difference {gap:.1e}).")


