"""The device policy picks cuda > mps > cpu and never fails on a machine without a GPU."""
import torch

from explainer import device


def test_the_picked_device_works_and_is_described():
    info = device.pick_device()
    expected = "cuda" if torch.cuda.is_available() else "mps" if device._mps_available() else "cpu"
    assert info.kind == expected and info.describe()
    assert torch.zeros(2, device=info.torch_device).sum().item() == 0


def test_cuda_preferred_over_mps(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=0: "Fake GPU")
    monkeypatch.setattr(device, "_mps_available", lambda: True)
    info = device.pick_device()
    assert (info.kind, info.name) == ("cuda", "Fake GPU")
    assert info.describe() == "CUDA GPU: Fake GPU"
    assert device.use_amp(info.kind)


def test_mps_when_no_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device, "_mps_available", lambda: True)
    assert device.pick_device().kind == "mps"


def test_unavailable_preference_falls_back(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device, "_mps_available", lambda: False)
    monkeypatch.setenv("EXPLAINER_DEVICE", "cuda")
    info = device.pick_device()
    assert info.kind == "cpu" and not device.use_amp(info.kind)
    assert "thread" in info.describe()


def test_cpu_can_be_forced(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=0: "Fake GPU")
    assert device.pick_device("cpu").kind == "cpu"
