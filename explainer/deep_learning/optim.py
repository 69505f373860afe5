"""Plain SGD and Adam with an L2 term, written out so the code reads like the update rule on the page.

They follow the update rules of torch.optim.SGD (no momentum) and torch.optim.Adam (weight_decay adds λw to
the gradient, i.e. L2 regularisation, not AdamW's decoupled decay); tests check them against torch.optim.
Writing them here also spares a cold process the seconds that constructing a torch.optim optimizer spends
importing torch._dynamo.

    SGD:   g = ∇L(w) + λw;   w ← w − η g
    Adam:  g = ∇L(w) + λw;   m ← β1 m + (1 − β1) g;   v ← β2 v + (1 − β2) g²
           m̂ = m / (1 − β1^t);   v̂ = v / (1 − β2^t);   w ← w − η m̂ / (√v̂ + ε)
"""
import torch


class _Optimizer:
    def __init__(self, groups, lr: float):
        """`groups`: an iterable of tensors, or of dicts {"params": [...], "weight_decay": λ}."""
        groups = list(groups)
        if groups and isinstance(groups[0], torch.Tensor):
            groups = [{"params": groups}]
        self.groups = [{"params": list(g["params"]), "weight_decay": float(g.get("weight_decay", 0.0))}
                       for g in groups]
        self.lr = float(lr)

    def zero_grad(self):
        for group in self.groups:
            for p in group["params"]:
                p.grad = None

    def _gradients(self):
        """(parameter, gradient with the L2 term λw added) for every parameter that has a gradient."""
        for group in self.groups:
            for p in group["params"]:
                if p.grad is not None:
                    yield p, p.grad + group["weight_decay"] * p if group["weight_decay"] else p.grad


class SGD(_Optimizer):
    @torch.no_grad()
    def step(self):
        for p, g in self._gradients():
            p -= self.lr * g


class Adam(_Optimizer):
    def __init__(self, groups, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8):
        super().__init__(groups, lr)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.t = 0
        self.m, self.v = {}, {}  # first and second moment estimates, keyed by id(parameter)

    @torch.no_grad()
    def step(self):
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        for p, g in self._gradients():
            m = self.m.setdefault(id(p), torch.zeros_like(p))
            v = self.v.setdefault(id(p), torch.zeros_like(p))
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).addcmul_(g, g, value=1 - b2)
            m_hat = m / (1 - b1 ** self.t)
            v_hat = v / (1 - b2 ** self.t)
            p -= self.lr * m_hat / (v_hat.sqrt() + self.eps)
