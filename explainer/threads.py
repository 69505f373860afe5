"""The one thread policy: how many torch intra-op threads a piece of work gets.

The models here are small: splitting each operation over threads costs more than it saves, and when other work
keeps the cores busy an OpenMP team waits for its slowest thread. Measured on the 2-core machine under load: one
CNN training step on a batch of 32 digits took ≈4 ms on one thread and 35–180 ms on two; a textbook GAN loop ran at
6 steps/s with 2 threads per job against 290 with 1.

- a training job gets `job_threads(max_jobs)`: the cores shared out between the jobs that may run at once (one
  each on a machine with as many jobs as cores); the harness (explainer.runs.jobs.execute) sets it around train();
- inline work in a page's script thread (a forward pass, an attribution map) runs under `one_thread()`.

`torch.set_num_threads` sets the calling thread's count (and the default for threads started later; other running
threads keep theirs), so `limited()` restores the previous value on exit.
"""
import os
from contextlib import contextmanager

import torch


def job_threads(max_jobs: int) -> int:
    """Threads for each of `max_jobs` concurrent training jobs on this machine."""
    return max(1, (os.cpu_count() or 1) // max(1, max_jobs))


@contextmanager
def limited(n: int):
    """Run the block with `n` torch intra-op threads in this thread."""
    before = torch.get_num_threads()
    if before != n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)


def one_thread():
    return limited(1)
