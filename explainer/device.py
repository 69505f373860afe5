"""Which device the engine computes on: cuda > mps > cpu, and a human description of it."""
import os
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class DeviceInfo:
    kind: str  # "cuda" | "mps" | "cpu"
    name: str  # e.g. "NVIDIA H100 80GB HBM3", "Apple GPU", "CPU"
    threads: int  # CPU threads torch uses (matters on the CPU path)

    @property
    def torch_device(self) -> torch.device:
        return torch.device(self.kind)

    def describe(self) -> str:
        if self.kind == "cuda":
            return f"CUDA GPU: {self.name}"
        if self.kind == "mps":
            return "Apple GPU (MPS)"
        return f"CPU ({self.threads} thread{'s' if self.threads != 1 else ''})"


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    try:
        return bool(mps and mps.is_available())
    except Exception:  # old or odd builds can raise instead of answering False
        return False


def pick_device(prefer: str | None = None) -> DeviceInfo:
    """The best device available: cuda > mps > cpu. `prefer` (or env EXPLAINER_DEVICE) may force one.

    A preference that is not available falls back to the best available one instead of failing,
    so a config written on a GPU box still runs on a laptop.
    """
    prefer = (prefer or os.environ.get("EXPLAINER_DEVICE") or "auto").lower()
    threads = torch.get_num_threads()
    cuda_ok = torch.cuda.is_available()
    mps_ok = _mps_available()
    order = {"cuda": ["cuda"], "mps": ["mps"], "cpu": ["cpu"]}.get(prefer, ["cuda", "mps", "cpu"])
    for kind in order + ["cuda", "mps", "cpu"]:
        if kind == "cuda" and cuda_ok:
            return DeviceInfo("cuda", torch.cuda.get_device_name(0), threads)
        if kind == "mps" and mps_ok:
            return DeviceInfo("mps", "Apple GPU", threads)
        if kind == "cpu":
            return DeviceInfo("cpu", "CPU", threads)
    return DeviceInfo("cpu", "CPU", threads)  # unreachable; keeps type checkers calm


def describe(device: torch.device | str) -> str:
    """A human description of a device a run trained on ("CUDA GPU: NVIDIA H200", "CPU (1 thread)")."""
    kind = torch.device(device).type
    name = torch.cuda.get_device_name(0) if kind == "cuda" else "Apple GPU" if kind == "mps" else "CPU"
    return DeviceInfo(kind, name, torch.get_num_threads()).describe()


def use_amp(kind: str) -> bool:
    """Mixed precision only on CUDA, where bf16/fp16 kernels pay; CPU and MPS stay in fp32."""
    return kind == "cuda"
