"""Run tiny models on one CPU thread.

The models on the "Deep learning" page are so small that splitting each operation over threads costs more
than it saves, and when other work keeps the cores busy an OpenMP team waits for its slowest thread.
Measured on the 2-core machine under load: one CNN training step on a batch of 32 digits took ≈4 ms on one
thread and 35–180 ms on two.

`torch.set_num_threads` sets the calling thread's count (and the default for threads started later), so
`one_thread()` restores the previous value on exit.
"""
from contextlib import contextmanager

import torch


@contextmanager
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
