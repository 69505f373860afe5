"""A scalar autograd engine, in the spirit of micrograd (Karpathy, 2020).

Every `Value` holds a number (`data`), the derivative of the final output with respect to it (`grad`),
the values it was computed from (`_prev`), the operation that made it (`_op`) and a human `label`.

Backpropagation is the chain rule applied node by node, from the output back to the leaves:
if out = f(a, b) then  a.grad += ∂out/∂a · out.grad  (and the same for b). Gradients *accumulate*
(`+=`) because a value used twice receives a contribution from each use.

Local derivatives used below (∂out/∂input):
    a + b    -> 1, 1               a - b   -> 1, -1
    a * b    -> b, a               a ** k  -> k·a^(k-1)   (k a constant)
    exp(a)   -> exp(a)             log(a)  -> 1/a
    tanh(a)  -> 1 - tanh(a)²       relu(a) -> 1 if a > 0 else 0
    sigmoid(a) = 1/(1 + e^(-a)) = s  -> s·(1 - s)
Negation and division are built from these: -a = a · (-1),  a / b = a · b^(-1).
"""
import math


class Value:
    """A scalar in a computation graph that knows how to pass gradients to its inputs."""

    def __init__(self, data, children=(), op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None  # spreads self.grad to the children; set by the op that made self
        self._prev = tuple(children)
        self._op = op
        self.label = label

    # --- operations: each computes the result and records how to backpropagate through it ---
    def __add__(self, other):
        other = _lift(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _lift(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __sub__(self, other):
        other = _lift(other)
        out = Value(self.data - other.data, (self, other), "-")

        def _backward():
            self.grad += out.grad
            other.grad -= out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        assert isinstance(k, (int, float)), "only constant exponents are supported"
        out = Value(self.data ** k, (self,), f"**{k:g}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self):
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1 - out.data ** 2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        s = 1 / (1 + math.exp(-self.data)) if self.data >= 0 else math.exp(self.data) / (1 + math.exp(self.data))
        out = Value(s, (self,), "sigmoid")

        def _backward():
            self.grad += s * (1 - s) * out.grad
        out._backward = _backward
        return out

    # --- the rest is built from the operations above ---
    def __neg__(self):
        return self * -1

    def __truediv__(self, other):
        return self * _lift(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _lift(other) - self

    def __rtruediv__(self, other):
        return _lift(other) / self

    # --- backpropagation ---
    def backward(self):
        """Fill in `grad` of every node this value depends on: d(self)/d(node).

        Grads are reset to zero first, so calling backward() twice gives the same answer.
        """
        topo = topological_order(self)
        for node in topo:
            node.grad = 0.0
        self.grad = 1.0  # d(self)/d(self)
        for node in reversed(topo):  # outputs before the inputs they were made from
            node._backward()

    def __repr__(self):
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.4g}, grad={self.grad:.4g})"


def _lift(x):
    """Wrap a plain number as a constant leaf (labelled with its value) so it can join the graph."""
    return x if isinstance(x, Value) else Value(x, label=f"{x:g}")


def topological_order(root):
    """Every node `root` depends on, each listed after all of its children (inputs first, root last)."""
    topo, seen, stack = [], set(), [(root, False)]
    while stack:  # an explicit stack instead of recursion, so deep chains cannot hit the recursion limit
        node, children_done = stack.pop()
        if children_done:
            topo.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node._prev) if id(child) not in seen)
    return topo
