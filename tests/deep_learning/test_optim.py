"""Our written-out SGD and Adam take the same steps as torch.optim."""
import pytest
import torch

from explainer.deep_learning.optim import SGD, Adam
from explainer.threads import one_thread


def run(make_opt, steps=25):
    gen = torch.Generator().manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2)).double()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64))
    X = torch.randn(16, 3, generator=gen, dtype=torch.float64)
    y = torch.randint(0, 2, (16,), generator=gen)
    weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
    opt = make_opt([{"params": weights, "weight_decay": 0.01}, {"params": biases, "weight_decay": 0.0}])
    for _ in range(steps):
        loss = torch.nn.functional.cross_entropy(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return [p.detach().clone() for p in model.parameters()]


@pytest.mark.parametrize("ours, theirs", [
    (lambda g: SGD(g, lr=0.1), lambda g: torch.optim.SGD(g, lr=0.1)),
    (lambda g: Adam(g, lr=0.01), lambda g: torch.optim.Adam(g, lr=0.01)),
    (lambda g: Adam(g, lr=0.05, betas=(0.5, 0.9), eps=1e-6), lambda g: torch.optim.Adam(g, lr=0.05, betas=(0.5, 0.9),
                                                                                         eps=1e-6)),
])
def test_matches_torch_optim(ours, theirs):
    with one_thread():  # tiny float64 ops: one thread is ~30× faster on a busy 2-core machine
        pairs = list(zip(run(ours), run(theirs), strict=True))
    for a, b in pairs:
        assert torch.allclose(a, b, rtol=1e-10, atol=1e-12)
