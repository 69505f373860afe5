"""Randomness is private: every topic's smallest run trains to the same bits alone and while another thread keeps
reseeding and drawing from torch's and numpy's global generators (as another viewer's job or page would), and two
topics' jobs sharing one registry train exactly as each does alone."""
import random
import threading

import numpy as np
import pandas as pd
import pytest
import torch

from explainer.deep_learning.cnn import CNNConfig
from explainer.deep_learning.recipe import OverfitBatchConfig
from explainer.driving.dagger import DaggerConfig
from explainer.driving.data_engine import DataEngineConfig
from explainer.driving.episode import EpisodeConfig
from explainer.driving.pilotnet import PilotNetConfig
from explainer.gan.classifier import ClassifierConfig
from explainer.gan.config import GANConfig
from explainer.interpretability.presets import SHUFFLED_CNN
from explainer.runs.jobs import JobRegistry, execute
from explainer.runs.store import RunStore

SMALLEST = {  # one small config of every kind of run each topic trains; CPU, where results are bit-exact
    "gan": GANConfig(g_width=16, d_width=16, batch_size=32, steps=40, n_seeds=2, n_snapshots=2, snapshot_samples=32,
                     grid_size=8, pack=2, instance_noise=0.1, device="cpu"),
    "gan-classifier": ClassifierConfig(epochs=2),
    "deep-learning-cnn": CNNConfig(epochs=2),
    "deep-learning-recipe": OverfitBatchConfig(steps=30),
    "interpretability-shuffled-cnn": SHUFFLED_CNN.replace(epochs=2),
    "driving-episode": EpisodeConfig("highway", 3, 10),
    "driving-pilotnet": PilotNetConfig(drives=1, drive_steps=12, epochs=2, test_steps=10),
    "driving-dagger": DaggerConfig(rounds=1, demo_steps=10, horizon=20, test_seeds=2, epochs=5),
    "driving-data-engine": DataEngineConfig(rounds=1, demos=1, fleet=2, horizon=12, test_seeds=2, epochs=5),
}


class GlobalNoise:
    """A thread that, until stopped, reseeds torch's, numpy's and Python's global generators and draws from them."""

    def __init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.draws = 0

    def _run(self):
        while not self._stop.is_set():
            torch.manual_seed(self.draws)
            torch.rand(16)
            torch.randn(4, 4)
            np.random.seed(self.draws % 2**32)
            np.random.rand(8)
            random.seed(self.draws)
            random.random()
            self.draws += 1

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def assert_same_run(a, b) -> None:
    assert a.status == b.status and a.key == b.key
    assert set(a.weights) == set(b.weights)
    for name in a.weights:
        assert torch.equal(a.weights[name], b.weights[name]), name
    pd.testing.assert_frame_equal(a.metrics, b.metrics)
    pd.testing.assert_frame_equal(a.history, b.history)
    assert len(a.snapshots) == len(b.snapshots)
    for sa, sb in zip(a.snapshots, b.snapshots, strict=True):
        assert sa.arrays.keys() == sb.arrays.keys()
        for name in sa.arrays:
            np.testing.assert_array_equal(sa.arrays[name], sb.arrays[name], err_msg=name)


@pytest.mark.parametrize("name", SMALLEST)
def test_a_run_is_the_same_alone_and_beside_a_thread_drawing_from_the_global_generators(name):
    config = SMALLEST[name]
    alone = execute(config)
    with GlobalNoise() as noise:
        beside = execute(config)
    assert noise.draws > 0  # the other thread really ran while this one trained
    assert_same_run(alone, beside)


def test_two_topics_jobs_in_one_registry_train_as_each_does_alone(tmp_path):
    configs = [SMALLEST["driving-dagger"], SMALLEST["deep-learning-cnn"], SMALLEST["gan"]]
    alone = [execute(c) for c in configs]
    registry = JobRegistry(store=RunStore(tmp_path, readonly=[]), max_cpu_jobs=len(configs))
    with GlobalNoise():
        jobs = [registry.get_or_start(c) for c in configs]
        assert all(job.wait(300) for job in jobs)
    for job, expected in zip(jobs, alone, strict=True):
        assert job.view().source == "trained"  # trained here, side by side, not loaded from a store
        assert_same_run(job.result, expected)
